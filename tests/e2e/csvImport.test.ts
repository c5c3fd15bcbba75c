// Importing a CSV through the wizard: preview, column kinds, target pick, inferred task, a sweep.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { textOf, until, weatherCsv, type PageNode } from './ui.js';

const app = useApp();

describe('CSV import through the UI', () => {
  it('previews the file, takes the picked text target as classification, and runs a tiny sweep', async () => {
    const { page, open, call, serve } = app();
    const csv = weatherCsv(80);
    const lines = csv.trim().split('\n');
    await open('#/new');
    await page.getByTestId('wizard-reset').click();
    await page.getByTestId('wizard-dataset-mode-csv').check();
    await page.getByTestId('wizard-csv-file').setInputFiles({ name: 'weather.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await until(async () => (await textOf(page.getByTestId('wizard-csv-stage'))).includes('Imported'), 'CSV imported', 60_000);

    // The preview: the header, the first data rows as in the file, and each column's kind.
    const preview = page.getByTestId('wizard-csv-preview');
    const head = await preview.locator('thead th').evaluateAll((cells: PageNode[]) => cells.map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(head.map((text) => text.split(' ')[0])).toEqual(['label', 'temp', 'humidity', 'wind', 'sky']);
    expect(head[0]).toContain('categorical');
    expect(head[1]).toContain('numeric');
    expect(head[4]).toContain('categorical');
    const body = await preview.locator('tbody tr').evaluateAll((rows: PageNode[]) =>
      rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim())),
    );
    expect(body.length).toBe(10);
    expect(body.slice(0, 3).map((cells) => cells.join(','))).toEqual(lines.slice(1, 4));

    // The text column is picked as the target: the task is inferred as classification.
    await page.getByTestId('wizard-target').selectOption('label');
    await until(async () => (await textOf(page.getByTestId('wizard-task'))) === 'classification', 'task classification');
    await expect(page.getByTestId('wizard-metric').inputValue()).resolves.toBe('val_accuracy');
    // A numeric target flips it to regression, and back.
    await page.getByTestId('wizard-target').selectOption('temp');
    await until(async () => (await textOf(page.getByTestId('wizard-task'))) === 'regression', 'task regression');
    await page.getByTestId('wizard-target').selectOption('label');
    await until(async () => (await textOf(page.getByTestId('wizard-task'))) === 'classification', 'task classification again');
    // Kept by content beside the database: <db folder>/datasets/<sha256>/weather.csv.
    const datasetsDir = join(dirname(serve.dbPath), 'datasets');
    const kept = readdirSync(datasetsDir).map((hash) => join(datasetsDir, hash, 'weather.csv'));
    expect(kept.filter((path) => existsSync(path))).toHaveLength(1);
    // It went through the upload route (streamed to .uploads, then moved into place), not JSON text.
    expect(readdirSync(join(datasetsDir, '.uploads'))).toEqual([]);

    // A tiny sweep: one optimizer, a fixed rate, two batch sizes, a few epochs.
    await page.getByTestId('wizard-optimizer-sgd').uncheck();
    await page.getByTestId('wizard-optimizer-adam').check();
    await page.getByTestId('wizard-lr-low').fill('0.05');
    await page.getByTestId('wizard-lr-high').fill('0.05');
    await page.getByTestId('wizard-batch-sizes').fill('8, 16');
    await page.getByTestId('wizard-epochs').fill('5');
    await page.getByTestId('wizard-name').fill('e2e-weather');
    await until(async () => (await textOf(page.getByTestId('wizard-planned'))) === '2', 'planned trials = 2');
    await screenshot(page, '08-wizard-csv');
    await page.getByTestId('wizard-launch').click();
    await page.waitForURL(/#\/study\/\d+$/, { timeout: 30_000 });
    const studyId = Number(/#\/study\/(\d+)$/.exec(page.url())?.[1]);

    await until(async () => (await textOf(page.getByTestId('study-status'))) === 'done', 'CSV study done', 120_000, 300);
    await until(async () => (await textOf(page.getByTestId('study-progress-text'))) === '2/2 trials', 'progress 2/2');
    await until(async () => (await page.locator('[data-testid="leaderboard-row"][data-state="complete"]').count()) === 2, '2 complete rows');
    const detail = await call('studies.get', { study: studyId });
    expect(detail.study.counts.complete).toBe(2);
    expect(detail.dataset?.source).toBe('csv');
    expect(detail.dataset?.target).toBe('label');
    expect(detail.dataset?.task).toBe('classification');
    expect(detail.dataset?.classes?.slice().sort()).toEqual(['cold', 'warm']);
    await screenshot(page, '09-study-csv');
  });
});
