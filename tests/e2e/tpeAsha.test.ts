// A TPE + ASHA study that also tunes the model (depth, widths, activation, dropout, L2), created
// through the API and watched in the study view: its leaderboard shows the model columns, marks
// pruned trials with the rung where each stopped (also as marks on the history chart), and the
// Importance tab draws PED-ANOVA's bars.
import { describe, expect, it } from 'vitest';
import type { Trial } from '../../core/api/domain.js';
import { screenshot, useApp } from './harness.js';
import { palettes } from '../../renderer/src/charts/palette.js';
import { chartInk, findColour, leaderboardRows, textOf, until, type PageWindow } from './ui.js';

const app = useApp();
let studyId = 0;
let trials: Trial[] = [];

const epochs = 9;
const spec = {
  name: 'e2e-tpe-asha',
  dataset: 'builtin:iris',
  model: { type: 'mlp', hidden: [8] },
  objective: { metric: 'val_loss', direction: 'minimize' },
  epochs,
  space: {
    optimizer: { choice: ['sgd', 'adam'] },
    learningRate: { logUniform: [0.001, 0.3] },
    batchSize: 16,
    hiddenLayers: { choice: [1, 2] },
    units1: { choice: [4, 16] },
    units2: { choice: [4, 16] },
    activation: { choice: ['relu', 'tanh'] },
    dropout: { uniform: [0, 0.3] },
    l2: { logUniform: [0.00001, 0.01] },
  },
  search: { strategy: 'tpe', trials: 16, seed: 3, startupTrials: 6 },
  // Without the noise margin, so the plain ASHA rule cuts at rungs 1 and 3 (of 1, 3, 9).
  pruner: { type: 'asha', minEpochs: 1, reductionFactor: 3, noiseAware: false },
  workers: 2,
  seed: 1,
};

describe('a TPE + ASHA study end to end', () => {
  it('runs in the open study view, which follows it to the end', async () => {
    const { page, open, call } = app();
    studyId = (await call('studies.create', { spec, start: true })).id;
    await open(`#/study/${studyId}`);
    await until(async () => (await leaderboardRows(page)).length > 0 || undefined, 'first trials in the leaderboard', 60_000);
    await screenshot(page, '40-tpe-asha-running');
    await until(async () => (await call('studies.get', { study: studyId })).study.status === 'done', 'study done', 240_000, 500);
    trials = (await call('trials.page', { study: studyId, sort: 'number', limit: 100 })).rows;
    expect(trials).toHaveLength(16);
    expect(trials.some((trial) => trial.state === 'pruned')).toBe(true);
    expect(trials.some((trial) => trial.state === 'complete')).toBe(true);
    await until(async () => (await leaderboardRows(page)).filter((row) => row.state === 'complete' || row.state === 'pruned').length === 16 || undefined, 'all 16 finished in the view', 30_000);
  });

  it('marks each pruned trial with the rung (epoch) where it stopped, and shows the model params', async () => {
    const { page, open } = app();
    await open(`#/study/${studyId}`);
    await page.getByTestId('leaderboard-row').first().waitFor();
    const byNumber = new Map(trials.map((trial) => [trial.number, trial]));
    const pruned = page.locator('[data-testid="leaderboard-row"][data-state="pruned"]');
    const count = await pruned.count();
    expect(count).toBe(trials.filter((trial) => trial.state === 'pruned').length);
    for (let i = 0; i < count; i++) {
      const row = pruned.nth(i);
      const trial = byNumber.get(Number(await row.getAttribute('data-trial-number')));
      // The pruner asks at rung 1 or 3; the stop reaches the worker a few fast epochs later at most.
      expect(trial?.epochsRun).toBeGreaterThanOrEqual(1);
      expect(trial?.epochsRun).toBeLessThan(epochs);
      await expect(textOf(row.getByTestId('leaderboard-pruned-at'))).resolves.toBe(`at epoch ${trial?.epochsRun}`);
    }
    for (const key of ['hiddenLayers', 'units1', 'units2', 'activation', 'dropout', 'l2']) {
      await expect(page.getByTestId(`leaderboard-sort-${key}`).count()).resolves.toBe(1);
    }
    await screenshot(page, '41-tpe-asha-leaderboard');
    const first = trials.find((trial) => trial.state === 'pruned');
    await open(`#/study/${studyId}/trial/${first?.id}`);
    await expect(textOf(page.getByTestId('trial-pruned-at'))).resolves.toBe(`stopped by the pruner at epoch ${first?.epochsRun}`);
    await screenshot(page, '42-tpe-asha-pruned-trial');
  });

  it('marks pruned trials on the history chart, the epoch each stopped at in its tooltip', async () => {
    const { page, open, call } = app();
    const points = await call('trials.history', { study: studyId, valueMode: 'best' });
    const prunedTrials = trials.filter((trial) => trial.state === 'pruned');
    expect(points.filter((point) => point.pruned).map((point) => [point.number, point.pruned?.epoch, point.value])).toEqual(
      prunedTrials.map((trial) => [trial.number, trial.epochsRun, null]),
    );
    await open(`#/study/${studyId}`);
    expect(await chartInk(page, 'chart-history')).toBeGreaterThan(50);
    const theme = await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
    // The pruned series is the chart's third: its triangles are painted in the palette's third colour.
    const marks = await findColour(page.getByTestId('chart-history'), palettes[theme][2]!);
    expect(marks.length).toBeGreaterThan(0);
    await page.mouse.move(marks[0]!.x, marks[0]!.y);
    const tooltip = await until(async () => {
      const text = await textOf(page.getByTestId('chart-history'));
      return /trial #\d+ pruned at epoch \d+/.exec(text)?.[0];
    }, 'a pruned mark\'s tooltip', 10_000);
    const [, number, epoch] = /trial #(\d+) pruned at epoch (\d+)/.exec(tooltip)!;
    const trial = prunedTrials.find((candidate) => candidate.number === Number(number));
    expect(trial?.epochsRun).toBe(Number(epoch));
    await screenshot(page, '44-tpe-asha-history-pruned');
  });

  it('draws the importance bars the API computes', async () => {
    const { page, open, call } = app();
    const importance = await call('studies.importance', { study: studyId });
    expect(importance.trials).toBe(trials.filter((trial) => trial.state === 'complete').length);
    expect(importance.importance.length).toBeGreaterThan(1);
    await open(`#/study/${studyId}`);
    await page.getByTestId('chart-tab-importance').click();
    expect(await chartInk(page, 'chart-importance')).toBeGreaterThan(50);
    await expect(textOf(page.getByTestId('importance-note'))).resolves.toContain(`${importance.trials} complete trials`);
    await screenshot(page, '43-tpe-asha-importance');
  });
});
