import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './hashRoute.js';

describe('parseRoute', () => {
  it('maps the empty hash and #/ to the studies list', () => {
    expect(parseRoute('')).toEqual({ name: 'studies' });
    expect(parseRoute('#/')).toEqual({ name: 'studies' });
    expect(parseRoute('#/studies')).toEqual({ name: 'studies' });
  });

  it('reads a study id and rejects ids that are not positive integers', () => {
    expect(parseRoute('#/study/42')).toEqual({ name: 'study', studyId: 42 });
    expect(parseRoute('#/study/0')).toEqual({ name: 'notFound', path: '/study/0' });
    expect(parseRoute('#/study/abc')).toEqual({ name: 'notFound', path: '/study/abc' });
    expect(parseRoute('#/study/1.5')).toEqual({ name: 'notFound', path: '/study/1.5' });
  });

  it('shows a malformed escape or an unknown path as Not found instead of throwing', () => {
    expect(parseRoute('#/study/%E0%A4%A')).toEqual({ name: 'notFound', path: '/study/%E0%A4%A' });
    expect(parseRoute('#/%')).toEqual({ name: 'notFound', path: '/%' });
    expect(parseRoute('#/study/3/compare/%zz?trials=1')).toEqual({ name: 'notFound', path: '/study/3/compare/%zz' });
    expect(parseRoute('#/nowhere/at/all')).toEqual({ name: 'notFound', path: '/nowhere/at/all' });
  });

  it('reads compare trial ids, dropping junk and duplicates', () => {
    expect(parseRoute('#/study/3/compare?trials=7,9,x,7,0')).toEqual({
      name: 'compare',
      studyId: 3,
      trialIds: [7, 9],
    });
    expect(parseRoute('#/study/3/compare')).toEqual({ name: 'compare', studyId: 3, trialIds: [] });
  });

  it('reads a trial page and a wizard started from a trial, and formats them back', () => {
    expect(parseRoute('#/study/3/trial/17')).toEqual({ name: 'trial', studyId: 3, trialId: 17 });
    expect(parseRoute('#/study/3/trial/x')).toEqual({ name: 'notFound', path: '/study/3/trial/x' });
    expect(parseRoute('#/new?from=3&trial=17')).toEqual({ name: 'new', fromStudy: 3, fromTrial: 17 });
    expect(formatRoute({ name: 'trial', studyId: 3, trialId: 17 })).toBe('#/study/3/trial/17');
    expect(formatRoute({ name: 'new', fromStudy: 3, fromTrial: 17 })).toBe('#/new?from=3&trial=17');
  });

  it('reads the backends panel', () => {
    expect(parseRoute('#/backends')).toEqual({ name: 'backends' });
    expect(formatRoute({ name: 'backends' })).toBe('#/backends');
  });

  it('reads the wizard with and without a source study', () => {
    expect(parseRoute('#/new')).toEqual({ name: 'new', fromStudy: null });
    expect(parseRoute('#/new?from=5')).toEqual({ name: 'new', fromStudy: 5 });
  });

  it('round-trips every route through formatRoute', () => {
    for (const hash of ['#/', '#/new', '#/new?from=5', '#/study/8', '#/study/8/compare?trials=1,2,3']) {
      expect(formatRoute(parseRoute(hash))).toBe(hash);
    }
  });
});
