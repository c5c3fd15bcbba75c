import { describe, expect, it } from 'vitest';
import { importanceOption } from './importanceOption.js';

describe('importanceOption', () => {
  it('draws one bar per parameter, the largest at the top, on a 0..1 axis', () => {
    const option = importanceOption({ study: 's', method: 'ped-anova', trials: 30, importance: [{ name: 'learningRate', importance: 0.7 }, { name: 'optimizer', importance: 0.3 }] });
    expect(option?.yAxis).toMatchObject({ type: 'category', data: ['optimizer', 'learningRate'] });
    expect(option?.xAxis).toMatchObject({ min: 0, max: 1 });
    expect((option?.series as { data: number[] }[])[0]?.data).toEqual([0.3, 0.7]);
  });

  it('has nothing to draw when no parameter varies', () => {
    expect(importanceOption({ study: 's', method: 'ped-anova', trials: 3, importance: [] })).toBeNull();
  });
});
