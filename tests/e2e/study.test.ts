// The main path a person takes: wizard -> live study -> compare -> export, on built-in iris.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ExportDocument } from '../../core/export/exportData.js';
import { screenshot, useApp } from './harness.js';
import { repoRoot } from './server.js';
import { chartInk, fillIrisGrid, leaderboardRows, textOf, until, type PageNode, type PageWindow } from './ui.js';

const app = useApp();
const studyName = 'e2e-iris';
let studyId = 0;

describe('a study created in the wizard, watched live, compared and exported', () => {
  it('creates a 2 x 2 grid on iris in the wizard and launches it', async () => {
    const { page, open } = app();
    await open('#/');
    await page.getByTestId('new-study').click();
    // Long enough that the leaderboard (refreshed at most once a second) shows finished rows
    // while later trials still run, even on an idle machine.
    await fillIrisGrid(page, 600);
    // val_loss (continuous) rather than accuracy on 30 validation rows, so the best trial is unique.
    await page.getByTestId('wizard-metric').selectOption('val_loss');
    await page.getByTestId('wizard-direction').selectOption('minimize');
    await page.getByTestId('wizard-name').fill(studyName);
    // The count is the server's answer once validation settles (debounced).
    await until(async () => (await textOf(page.getByTestId('wizard-planned'))) === '4', 'planned trials = 4');
    await expect(page.getByTestId('wizard-issues').count()).resolves.toBe(0);
    await screenshot(page, '02-wizard');

    await page.getByTestId('wizard-launch').click();
    await page.waitForURL(/#\/study\/\d+$/, { timeout: 30_000 });
    studyId = Number(/#\/study\/(\d+)$/.exec(page.url())?.[1]);
    expect(studyId).toBeGreaterThan(0);
    await expect(textOf(page.getByTestId('study-name'))).resolves.toBe(studyName);
  });

  it('fills the leaderboard live, finishes, and draws the history and learning curves', async () => {
    const { page, call } = app();
    // Atomic check in the page: a finished row is listed while the study still runs.
    await page.waitForFunction(
      () => {
        const { document } = globalThis as unknown as PageWindow;
        const status = document.querySelector('[data-testid="study-status"]')?.textContent?.trim();
        const done = document.querySelectorAll('[data-testid="leaderboard-row"][data-state="complete"]').length;
        return status === 'running' && done >= 1 && done < 4;
      },
      undefined,
      { timeout: 120_000, polling: 100 },
    ).catch(async (error: unknown) => {
      // Say what the page showed instead, and what the server knew.
      await screenshot(page, 'failed-live');
      const shown = `status ${await textOf(page.getByTestId('study-status'))}, rows ${JSON.stringify(await leaderboardRows(page))}`;
      const known = JSON.stringify((await call('studies.get', { study: studyId })).study.counts);
      throw new Error(`${String(error)}\npage: ${shown}\nserver counts: ${known}`);
    });
    const live = await leaderboardRows(page);
    expect(live.length).toBeGreaterThanOrEqual(1);
    await screenshot(page, '03-study-live');

    await until(async () => (await textOf(page.getByTestId('study-status'))) === 'done', 'study status done', 180_000, 300);
    await until(async () => (await textOf(page.getByTestId('study-progress-text'))) === '4/4 trials', 'progress 4/4');
    const rows = await until(async () => {
      const current = await leaderboardRows(page);
      return current.length === 4 && current.every((row) => row.state === 'complete') && current;
    }, '4 complete leaderboard rows');
    // The best row is marked and is the one the study summary names.
    const summary = (await call('studies.get', { study: studyId })).study;
    expect(summary.counts.complete).toBe(4);
    expect(rows).toHaveLength(4);
    // The server's top row holds the best value (ties may name either trial); the page shows that
    // row first once its live refresh (at most one a second) has run.
    const top = (await call('trials.page', { study: studyId, limit: 1 })).rows[0]!;
    expect(top.value).toBe(summary.bestValue);
    await until(async () => (await leaderboardRows(page))[0]?.number === top.number, 'the best trial on top', 5_000);
    await expect(page.locator('[data-testid="leaderboard-row"].is-best').getAttribute('data-trial-number')).resolves.toBe(String(top.number));

    expect(await chartInk(page, 'chart-history')).toBeGreaterThan(50);
    await page.getByTestId('chart-tab-curves').click();
    expect(await chartInk(page, 'chart-curves')).toBeGreaterThan(50);
    await screenshot(page, '04-study-done');
    await page.getByTestId('chart-tab-history').click();
  });

  it('compares two trials with their params side by side and the differences highlighted', async () => {
    const { page, call } = app();
    const rows = await leaderboardRows(page);
    const picked = rows.slice(0, 2);
    for (const row of picked) await page.locator(`[data-testid="leaderboard-row"][data-trial-id="${row.id}"] [data-testid="leaderboard-pick"]`).check();
    await page.getByTestId('compare-button').click();
    await page.waitForURL(/#\/study\/\d+\/compare\?trials=/);
    const table = page.getByTestId('compare-table');
    await table.waitFor();
    const headers = await table.locator('thead th').allTextContents();
    expect(headers.map((text) => text.trim())).toEqual(['Parameter', ...picked.map((row) => `Trial #${row.number}`)]);

    const trials = await call('trials.get', { trialIds: picked.map((row) => row.id) });
    const compareRows = await page.getByTestId('compare-row').evaluateAll((elements: PageNode[]) =>
      elements.map((element) => ({
        label: (element.querySelector('th')?.textContent ?? '').replace(/^≠\s*/, '').trim(),
        values: Array.from(element.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim()),
        differs: element.getAttribute('data-differs') === 'true',
        background: (globalThis as unknown as PageWindow).getComputedStyle(element.querySelector('td') ?? element).backgroundColor,
      })),
    );
    const byLabel = new Map(compareRows.map((row) => [row.label, row]));
    for (const key of ['optimizer', 'learningRate', 'batchSize', 'lrSchedule'] as const) {
      const row = byLabel.get(key);
      expect(row, `compare row ${key}`).toBeDefined();
      const differs = trials[0]?.params[key] !== trials[1]?.params[key];
      expect(row?.differs, `${key} differs`).toBe(differs);
      if (!differs) expect(row?.values[0]).toBe(row?.values[1]);
    }
    expect(byLabel.get('optimizer')?.values).toEqual(trials.map((trial) => trial.params.optimizer));
    const differing = compareRows.filter((row) => row.differs);
    const same = compareRows.filter((row) => !row.differs);
    expect(differing.length).toBeGreaterThan(0);
    // Highlighted: a differing row is painted unlike a shared one.
    if (same[0]) expect(differing[0]?.background).not.toBe(same[0].background);
    await page.getByTestId('compare-metrics').waitFor();
    // Their curves on one chart.
    expect(await chartInk(page, 'chart-compare')).toBeGreaterThan(50);
    await screenshot(page, '05-compare');

    await page.getByTestId('compare-diff-only').check();
    const shown = await page.getByTestId('compare-row').evaluateAll((elements: PageNode[]) => elements.map((element) => element.getAttribute('data-differs')));
    expect(shown.length).toBe(differing.length);
    expect(shown.every((value) => value === 'true')).toBe(true);
    await page.getByTestId('compare-back').click();
    await page.getByTestId('leaderboard-row').first().waitFor();
  });

  it('exports the best trial as JSON: the file, the API and the CLI agree with the leaderboard', async () => {
    const { page, call, serve } = app();
    const top = (await leaderboardRows(page))[0];
    await page.getByTestId('export-open').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await page.getByTestId('export-format').selectOption('json');
    await page.getByTestId('export-scope').selectOption('best');
    await page.getByTestId('export-preview-button').click();
    await page.getByTestId('export-preview').waitFor();
    await screenshot(page, '06-export-dialog', { fullPage: false });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    expect(download.suggestedFilename()).toBe(`${studyName}-best.json`);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as ExportDocument;
    await until(async () => (await textOf(page.getByTestId('export-status'))).includes(download.suggestedFilename()), 'export status naming the file');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    expect(doc.study.name).toBe(studyName);
    expect(doc.trials).toHaveLength(1);
    const best = doc.trials[0];
    expect(best?.rank).toBe(1);
    expect(best?.number).toBe(top?.number);
    expect(best?.params).toMatchObject({ optimizer: expect.any(String), learningRate: expect.any(Number), batchSize: 16, lrSchedule: 'constant' });

    // The API's best-first page and every complete trial: the export holds the top value.
    const page1 = await call('trials.page', { study: studyId, limit: 10, sort: 'value' });
    expect(page1.rows[0]?.number).toBe(best?.number);
    expect(page1.rows[0]?.params).toEqual(best?.params);
    expect(best?.value).toBe(Math.min(...page1.rows.map((trial) => trial.value ?? Infinity)));
    expect(page1.rows.filter((trial) => trial.value === best?.value)).toHaveLength(1);

    // The CLI, reading the same database while the server runs, exports the same trial.
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin', 'tunebench.js'), 'export', String(studyId), '--db', serve.dbPath, '--format', 'json'], {
      cwd: repoRoot,
      env: { ...process.env, TUNEBENCH_HOME: serve.home },
      timeout: 60_000,
    });
    const fromCli = JSON.parse(stdout) as ExportDocument;
    expect(fromCli.trials[0]?.number).toBe(best?.number);
    expect(fromCli.trials[0]?.params).toEqual(best?.params);
    expect(fromCli.trials[0]?.value).toBe(best?.value);
  });

  it('shows the study in the dark theme and lists it on the studies page', async () => {
    const { page } = app();
    await page.getByTestId('theme-toggle').click();
    await until(async () => (await page.evaluate(() => (globalThis as unknown as PageWindow).document.documentElement.dataset.theme)) === 'dark', 'dark theme');
    const background = await page.evaluate(() => {
      const win = globalThis as unknown as PageWindow;
      return win.getComputedStyle(win.document.body).backgroundColor;
    });
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect(r + g + b).toBeLessThan(200);
    expect(await chartInk(page, 'chart-history')).toBeGreaterThan(50);
    await screenshot(page, '07-study-dark');
    await page.getByTestId('theme-toggle').click();

    await page.getByTestId('nav-studies').click();
    const row = page.locator('[data-testid="studies-row"]', { hasText: studyName });
    await row.waitFor();
    const text = await textOf(row);
    expect(text).toContain('done');
    expect(text).toContain('4/4');
    await expect(textOf(row.getByTestId('study-row-status'))).resolves.toBe('done');
    await screenshot(page, '01-studies');
  });
});
