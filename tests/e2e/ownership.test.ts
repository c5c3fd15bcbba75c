// A CLI sweep on the database `serve` has open: the dashboard follows it without Refresh, says who
// runs it, refuses Resume while it lives, and its Cancel reaches the CLI through the database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, startCli } from '../support/cli.js';
import { screenshot, useApp } from './harness.js';
import { leaderboardRows, textOf, until } from './ui.js';

const app = useApp();

// 20 trials of 1,000 epochs: a trial takes about a second, so the sweep outlasts the UI's cancel.
const spec = `
name: from-the-cli
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_loss, direction: minimize }
epochs: 1000
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { choice: [0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.055] }
  batchSize: 16
search: { strategy: grid }
`;

describe('a study run by another process (RELIABILITY row 39)', () => {
  it('appears and advances in the open dashboard, shows its owner, and is cancelled from the UI', async () => {
    const { page, open, serve } = app();
    await open('#/');
    const specPath = join(serve.dir, 'cli.yaml');
    writeFileSync(specPath, spec);
    expect(binPath).toMatch(/tunebench\.js$/);
    const cli = startCli(['sweep', specPath, '--db', serve.dbPath, '--workers', '1']);
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    try {
      // No reload: the row arrives through the change feed.
      const row = page.getByTestId('study-row-status').first();
      await until(async () => (await textOf(row)) === 'running', 'the CLI study listed as running', 30_000);
      await page.getByText('from-the-cli').first().click();
      await until(async () => (await textOf(page.getByTestId('study-owner'))).includes(`pid ${cli.pid}`), 'the owner named');
      await expect(page.getByTestId('study-eta').count()).resolves.toBe(0);
      await until(async () => /^[1-9]\d*\/20 trials$/.test(await textOf(page.getByTestId('study-progress-text'))) || undefined, 'progress advancing', 90_000);
      await until(async () => (await leaderboardRows(page)).some((row) => row.state === 'complete'), 'a finished trial on the leaderboard', 30_000);
      await screenshot(page, 'ownership-followed');

      await page.getByTestId('study-cancel').click();
      await page.getByRole('button', { name: 'Cancel study' }).click();
      expect(await exited).toBe(130);
      await until(async () => (await textOf(page.getByTestId('study-status'))) === 'cancelled', 'the study cancelled', 30_000);
      await expect(page.getByTestId('study-resume').count()).resolves.toBe(1);
    } finally {
      cli.kill('SIGKILL');
    }
  }, 180_000);
});
