// A random-search study seeded through the API, then the leaderboard's sorting and tag filter,
// a trial's own page (parameters, run facts, curves, notes, export, new study from it) and the charts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Trial } from '../../core/api/domain.js';
import { screenshot, useApp } from './harness.js';
import { chartInk, leaderboardRows, textOf, until } from './ui.js';

const app = useApp();
let studyId = 0;
let trials: Trial[] = [];

const spec = {
  name: 'e2e-random',
  dataset: 'builtin:iris',
  model: { type: 'mlp', hidden: [8] },
  objective: { metric: 'val_loss', direction: 'minimize' },
  epochs: 12,
  space: {
    optimizer: { choice: ['sgd', 'momentum', 'adam'] },
    learningRate: { logUniform: [0.001, 0.3] },
    batchSize: { choice: [16, 32] },
    lrSchedule: { choice: ['constant', 'exponential'] },
    momentum: { choice: [0.8, 0.9] },
    decayRate: 0.5,
  },
  search: { strategy: 'random', trials: 10, seed: 5 },
  pruner: { type: 'median', startupTrials: 3, warmupEpochs: 2 },
  workers: 2,
  seed: 1,
};

const numbersOf = async () => (await leaderboardRows(app().page)).map((row) => row.number);

describe('leaderboard sorting, tag filter and the trial page', () => {
  it('runs a 10-trial random study to the end', async () => {
    const { call } = app();
    studyId = (await call('studies.create', { spec, start: true })).id;
    await until(async () => (await call('studies.get', { study: studyId })).study.status === 'done', 'study done', 150_000, 500);
    trials = (await call('trials.page', { study: studyId, sort: 'number', limit: 100 })).rows;
    expect(trials).toHaveLength(10);
  });

  it('sorts by each parameter column as the API does, both ways, and shows momentum only where it applies', async () => {
    const { page, open, call } = app();
    await open(`#/study/${studyId}`);
    await page.getByTestId('leaderboard-row').first().waitFor();
    for (const key of ['learningRate', 'optimizer', 'batchSize', 'lrSchedule', 'momentum'] as const) {
      await page.getByTestId(`leaderboard-sort-${key}`).click();
      const ascending = (await call('trials.page', { study: studyId, sort: key, descending: false })).rows.map((t) => t.number);
      await until(async () => (await numbersOf()).join() === ascending.join() || undefined, `${key} ascending`);
      await page.getByTestId(`leaderboard-sort-${key}`).click();
      const descending = (await call('trials.page', { study: studyId, sort: key, descending: true })).rows.map((t) => t.number);
      await until(async () => (await numbersOf()).join() === descending.join() || undefined, `${key} descending`);
    }
    const momentumCells = await page.locator('[data-testid="leaderboard-row"] td[data-column="momentum"]').allTextContents();
    const byNumber = new Map(trials.map((trial) => [trial.number, trial]));
    const rows = await numbersOf();
    rows.forEach((number, index) => {
      const momentum = byNumber.get(number)?.params.momentum;
      expect(momentumCells[index]?.trim()).toBe(momentum === undefined ? '' : String(momentum));
    });
    await page.getByTestId('leaderboard-sort-learningRate').click();
    await screenshot(page, '20-leaderboard-sorted-by-lr');
  });

  it('shows a pruned trial with its last value marked pruned, when the pruner stopped one', async () => {
    const { page, open } = app();
    await open(`#/study/${studyId}`);
    const pruned = trials.filter((trial) => trial.state === 'pruned');
    for (const trial of pruned) {
      const cell = page.locator(`[data-testid="leaderboard-row"][data-trial-id="${trial.id}"] [data-testid="leaderboard-value"]`);
      await until(async () => /^\d[\d.e-]* pruned$/.test(await textOf(cell)) || undefined, `pruned value of trial ${trial.number}`);
    }
  });

  it('filters by a trial tag', async () => {
    const { page, call } = app();
    const tagged = trials[3]!;
    await call('trials.annotate', { trialId: tagged.id, tags: ['keep'] });
    await page.getByTestId('leaderboard-tag').fill('keep');
    await page.getByTestId('leaderboard-tag').press('Enter');
    await until(async () => (await numbersOf()).join() === String(tagged.number) || undefined, 'only the tagged trial');
    await page.getByTestId('leaderboard-tag').fill('');
    await page.getByTestId('leaderboard-tag').press('Enter');
    await until(async () => (await numbersOf()).length === 10 || undefined, 'all trials again');
  });

  it('opens a trial page from its row with every parameter, the run facts and a curve per metric', async () => {
    const { page } = app();
    const best = (await leaderboardRows(page)).find((row) => row.state === 'complete')!;
    const trial = trials.find((entry) => entry.id === best.id)!;
    await page.locator(`[data-testid="leaderboard-row"][data-trial-id="${trial.id}"] [data-testid="leaderboard-open"]`).click();
    await page.waitForURL(new RegExp(`#/study/${studyId}/trial/${trial.id}$`));
    await expect(textOf(page.getByTestId('trial-title'))).resolves.toBe(`Trial #${trial.number}`);
    const params = await page.locator('[data-testid="trial-params"] tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-param')));
    expect(params.sort()).toEqual(Object.keys(trial.params).sort());
    await expect(textOf(page.getByTestId('trial-seed'))).resolves.toBe(String(trial.seed));
    await expect(textOf(page.getByTestId('trial-best-epoch'))).resolves.toBe(String(trial.bestEpoch! + 1)); // 1-based
    await expect(textOf(page.getByTestId('trial-epochs'))).resolves.toBe(`${trial.epochsRun} of 12`);
    await expect(textOf(page.getByTestId('trial-backend'))).resolves.toBe(trial.backend ?? '—');
    for (const metric of ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr']) {
      expect(await chartInk(page, `trial-curve-${metric}`)).toBeGreaterThan(50);
    }
    await page.getByTestId('trial-page-notes').fill('the one to keep');
    await page.getByTestId('trial-page-save').click();
    await screenshot(page, '21-trial-detail');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trial-export').click()]);
    expect(download.suggestedFilename()).toBe(`e2e-random-trial-${trial.number}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { spec: { space: unknown }; trial: { seed: number } };
    expect(exported.spec.space).toEqual(trial.params);
    expect(exported.trial.seed).toBe(trial.seed);

    await page.getByTestId('trial-new-study').click();
    await until(async () => (await page.getByTestId('wizard-name').inputValue()) === `e2e-random-trial-${trial.number}` || undefined, 'wizard named after the trial');
    await until(async () => (await textOf(page.getByTestId('wizard-planned'))) === '1' || undefined, 'one trial planned');
    await screenshot(page, '22-wizard-from-trial');
  });

  it('keeps the notes saved on the trial page', async () => {
    const { call } = app();
    const noted = async () => (await call('trials.page', { study: studyId, limit: 100 })).rows.filter((trial) => trial.notes === 'the one to keep');
    await until(async () => (await noted()).length === 1 || undefined, 'the note saved');
  });

  it('shows the trial page of a failed or missing trial without breaking', async () => {
    const { page, open } = app();
    await open(`#/study/${studyId}/trial/999999`);
    await page.getByText('Trial not found').waitFor();
  });

  it('draws slices with each category under its own label and a binned, captioned heatmap', async () => {
    const { page, open } = app();
    await open(`#/study/${studyId}`);
    await page.getByTestId('chart-tab-slices').click();
    expect(await chartInk(page, 'chart-slice-optimizer')).toBeGreaterThan(50);
    await screenshot(page, '23-slices', { fullPage: true });
    await page.getByTestId('chart-tab-heatmap').click();
    expect(await chartInk(page, 'chart-heatmap')).toBeGreaterThan(50);
    await screenshot(page, '24-heatmap');
    await page.getByTestId('chart-tab-curves').click();
    expect(await chartInk(page, 'chart-curves')).toBeGreaterThan(50);
    await screenshot(page, '25-curves-legend');
  });
});
