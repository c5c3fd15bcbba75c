// Pause, resume and cancel from the dashboard, on a study the dashboard runs and on a CLI sweep it
// watches live: what the page shows is checked against the API and the CLI's exit code.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/cli.js';
import { screenshot, useApp } from './harness.js';
import { leaderboardRows, textOf, until } from './ui.js';

const app = useApp();

/** Four trials (2 optimizers x 2 rates) on one worker, each long enough to pause in the middle. */
const spec = (name: string, epochs: number) => ({
  name,
  dataset: 'builtin:iris',
  model: { type: 'mlp' as const, hidden: [8] },
  objective: { metric: 'val_loss' as const, direction: 'minimize' as const },
  epochs,
  space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { choice: [0.01, 0.05] }, batchSize: 16 },
  workers: 1,
});

const status = () => textOf(app().page.getByTestId('study-status'));
const progress = async () => Number((await textOf(app().page.getByTestId('study-progress-text'))).split('/')[0]);
const statesOf = async (id: number) => (await app().call('trials.page', { study: id, limit: 100, sort: 'number' })).rows.map((trial) => trial.state);

describe('pause, resume and cancel from the dashboard', () => {
  it('pauses a study it runs (the running trial ends, no new one starts), then resumes it to the end', async () => {
    const { page, open, call } = app();
    const id = (await call('studies.create', { spec: spec('control-pause', 3000), start: true })).id;
    await open(`#/study/${id}`);
    await page.getByTestId('running-trial').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('study-pause').click();
    await until(async () => (await status()) === 'paused' || undefined, 'the study paused', 60_000);
    const states = await statesOf(id);
    expect(states.filter((state) => state === 'running' || state === 'queued')).toEqual([]);
    const finished = states.filter((state) => state === 'complete').length;
    expect(finished).toBeLessThan(4);
    expect(await progress()).toBe(finished);
    expect(await page.getByTestId('running-trial').count()).toBe(0);
    expect(await page.getByTestId('study-resume').count()).toBe(1);
    // The leaderboard follows the status at once: no row left 'running' under a 'paused' badge.
    await until(async () => (await leaderboardRows(page)).filter((row) => row.state === 'complete').length === finished || undefined, 'finished rows', 700, 50);
    expect((await leaderboardRows(page)).map((row) => row.state)).not.toContain('running');
    await screenshot(page, '40-paused-by-dashboard', { fullPage: false });
    // Nothing starts while paused.
    await new Promise((done) => setTimeout(done, 2000));
    expect((await statesOf(id)).filter((state) => state === 'complete')).toHaveLength(finished);

    await page.getByTestId('study-resume').click();
    await until(async () => (await status()) === 'done' || undefined, 'the resumed study done', 120_000);
    expect(await statesOf(id)).toEqual(['complete', 'complete', 'complete', 'complete']);
    await until(async () => (await progress()) === 4 || undefined, '4/4 trials');
    await until(async () => (await leaderboardRows(page)).filter((row) => row.state === 'complete').length === 4 || undefined, 'four complete rows');
    await screenshot(page, '41-resumed-to-done', { fullPage: false });
  }, 240_000);

  it('cancels a study it runs after the confirmation: the running trial is cancelled and Resume is offered', async () => {
    const { page, open, call } = app();
    const id = (await call('studies.create', { spec: spec('control-cancel', 3000), start: true })).id;
    await open(`#/study/${id}`);
    await page.getByTestId('running-trial').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('study-cancel').click();
    await page.getByTestId('confirm-ok').click();
    await until(async () => (await status()) === 'cancelled' || undefined, 'the study cancelled', 60_000);
    expect((await call('studies.get', { study: id })).study.status).toBe('cancelled');
    const states = await statesOf(id);
    expect(states).not.toContain('running');
    expect(states).toContain('cancelled');
    await until(async () => (await leaderboardRows(page)).some((row) => row.state === 'cancelled') || undefined, 'a cancelled row');
    expect(await page.getByTestId('running-trial').count()).toBe(0);
    expect(await page.getByTestId('study-resume').count()).toBe(1);
    expect(await page.getByTestId('study-cancel').count()).toBe(0);
    await screenshot(page, '42-cancelled-by-dashboard', { fullPage: false });
    await call('studies.remove', { study: id });
  }, 120_000);

  it('watches a CLI sweep live, pauses it from the dashboard (the CLI exits), and resumes it in the dashboard to the end', async () => {
    const { page, open, serve, call } = app();
    await open('#/');
    const specPath = join(serve.dir, 'control-cli.json');
    // Long trials: the trainer runs iris's 1,000 epochs in about a second.
    writeFileSync(specPath, JSON.stringify(spec('control-cli', 5000)));
    const cli = startCli(['sweep', specPath, '--db', serve.dbPath]);
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    try {
      const link = page.getByText('control-cli').first();
      await link.waitFor({ timeout: 30_000 });
      await link.click();
      await until(async () => (await textOf(page.getByTestId('study-owner'))).includes(`pid ${cli.pid}`) || undefined, 'the CLI named as owner');
      // Live: the running trial's epochs advance on the page with no reload.
      const epochText = () => textOf(page.getByTestId('running-trial').first());
      const first = await until(async () => (await epochText()) || undefined, 'a running trial', 60_000);
      await until(async () => ((await epochText()) !== first ? true : undefined), 'epochs advancing live', 30_000);
      await screenshot(page, '43-cli-sweep-watched', { fullPage: false });

      await page.getByTestId('study-pause').click();
      expect(await exited).toBe(1);
      await until(async () => (await status()) === 'paused' || undefined, 'the CLI study paused', 30_000);
      expect(await page.getByTestId('study-owner').count()).toBe(0);
      const id = (await call('studies.list', {})).find((study) => study.name === 'control-cli')?.id ?? 0;
      expect((await statesOf(id)).filter((state) => state === 'running')).toEqual([]);

      await page.getByTestId('study-resume').click();
      await until(async () => (await status()) === 'done' || undefined, 'resumed here and done', 120_000);
      expect(await statesOf(id)).toEqual(['complete', 'complete', 'complete', 'complete']);
      await until(async () => (await leaderboardRows(page)).filter((row) => row.state === 'complete').length === 4 || undefined, 'four complete rows', 700, 50);
      await screenshot(page, '44-cli-sweep-resumed-here', { fullPage: false });
    } finally {
      cli.kill('SIGKILL');
    }
  }, 300_000);
});
