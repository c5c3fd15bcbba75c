import { describe, expect, it } from 'vitest';
import type { CsvPreview } from '../../../core/api/contract.js';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { defaultWizardState } from './specBuilder.js';
import { budgetTrialsText, wizardEta, wizardEtaText } from './wizardEta.js';

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

  it('never runs past a time budget, and says so', () => {
    // 1000 trials of 200 epochs on iris: over 17 min unbudgeted.
    const state = { ...defaultWizardState(), epochs: 200 };
    const open = wizardEta(state, 1000, iris, null, 2);
    expect(open.ok && open.range.low).toBeGreaterThan(10 * 60);
    const capped = wizardEta({ ...state, maxMinutes: 10 }, 1000, iris, null, 2);
    expect(capped.ok && capped.range).toEqual({ low: 10 * 60, high: 10 * 60 });
    expect(wizardEtaText(capped)).toBe('at most 10 min (budget)');
    // Fewer trials start than planned, the optimistic costs letting more start.
    const started = capped.ok && capped.budget ? capped.budget.trialsStarted : null;
    expect(started && started.low > 0 && started.low < started.high && started.high < 1000).toBe(true);
    expect(budgetTrialsText(capped, 1000)).toBe(`about ${started?.low}–${started?.high} of 1,000 start within the budget`);
  });

  it('caps only the end a budget reaches, and names a budget the sweep stays within', () => {
    const state = { ...defaultWizardState(), epochs: 200 };
    const open = wizardEta(state, 40, iris, null, 2);
    if (!open.ok) throw new Error('no estimate');
    // A budget between the two ends: the optimistic end stands, the pessimistic one is the budget.
    const minutes = (open.range.low + open.range.high) / 2 / 60;
    const between = wizardEta({ ...state, maxMinutes: minutes }, 40, iris, null, 2);
    expect(between.ok && between.range).toEqual({ low: open.range.low, high: minutes * 60 });
    expect(wizardEtaText(between)).toMatch(/^≈ .+: at most [\d.]+ min \(budget\)$/);
    const roomy = wizardEta({ ...state, maxMinutes: 600 }, 40, iris, null, 2);
    expect(roomy.ok && roomy.range).toEqual(open.range);
    expect(wizardEtaText(roomy)).toMatch(/^≈ .+, within the 600 min budget$/);
    expect(budgetTrialsText(roomy, 40)).toBeNull();
    expect(wizardEtaText(open)).not.toContain('budget');
  });
});
