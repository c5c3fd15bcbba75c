import { describe, expect, it } from 'vitest';
import type { CsvPreview } from '../../../core/api/contract.js';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { defaultWizardState } from './specBuilder.js';
import { wizardEta } from './wizardEta.js';

const iris = { key: 'builtin:iris', rows: 150, featureCount: 4 } as DatasetInfo;

describe('wizardEta', () => {
  it('gives a range once the dataset and the trials are known', () => {
    const eta = wizardEta(defaultWizardState(), 12, iris, null, 2);
    expect(eta.ok && eta.range.high > eta.range.low).toBe(true);
  });

  it('says what is missing, and only that', () => {
    const state = defaultWizardState();
    expect(wizardEta(state, 12, undefined, null)).toEqual({ ok: false, reason: 'pick a dataset first' });
    expect(wizardEta({ ...state, datasetMode: 'csv' }, 12, iris, null)).toEqual({ ok: false, reason: 'choose a CSV file first' });
    // No optimizer picked: the dataset is there, the trials are not.
    expect(wizardEta({ ...state, optimizers: [] }, 0, iris, null)).toEqual({ ok: false, reason: 'no trials planned: see the issues' });
    expect(wizardEta({ ...state, batchSizes: '' }, 12, iris, null)).toEqual({ ok: false, reason: 'enter batch sizes first' });
  });

  it('counts a date column as the three numbers training makes of it, not one input per distinct date', () => {
    const state = { ...defaultWizardState(), datasetMode: 'csv' as const, csvTarget: 'label' };
    const preview = (columns: CsvPreview['columns']): CsvPreview => ({
      header: columns.map((c) => c.name), rows: [], columns, rowCount: 200, suggestedTarget: 'label', task: 'classification',
    });
    const label = { name: 'label', kind: 'categorical' as const, missing: 0, distinct: 2 };
    const dated = wizardEta(state, 12, undefined, preview([{ name: 'day', kind: 'date', missing: 0, distinct: 180 }, label]), 2);
    const numbers: CsvPreview['columns'] = ['a', 'b', 'c'].map((name) => ({ name, kind: 'numeric', missing: 0, distinct: 180 }));
    const three = wizardEta(state, 12, undefined, preview([...numbers, label]), 2);
    expect(dated.ok).toBe(true);
    expect(dated).toEqual(three);
  });
});
