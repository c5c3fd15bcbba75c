// Bad input shows a readable error that says where the problem is, and creates nothing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { textOf, until } from './ui.js';

const app = useApp();
// The renderer's fetch logs a console error for every 4xx answer; these tests expect them.
const http400 = /status of 400/;

async function studyCount(): Promise<{ api: number; rows: number }> {
  const { page, open, call } = app();
  await open('#/');
  await page.getByTestId('nav-studies').click();
  await page.getByRole('heading', { name: 'Studies', exact: true }).waitFor();
  // Either the table or the empty state, once loaded.
  await until(async () => (await page.getByTestId('studies-row').count()) > 0 || (await page.getByText('No studies yet').count()) > 0, 'studies loaded');
  return { api: (await call('studies.list', {})).length, rows: await page.getByTestId('studies-row').count() };
}

let before = { api: 0, rows: 0 };

describe('readable errors for bad input', () => {
  beforeAll(async () => {
    // One existing study (not started), so "unchanged" compares a non-empty list.
    await app().call('studies.create', { spec: { name: 'e2e-existing', dataset: 'builtin:iris', space: { optimizer: 'sgd', learningRate: 0.1, batchSize: 16 } }, start: false });
    before = await studyCount();
    expect(before).toEqual({ api: 1, rows: 1 });
  });

  it('a ragged CSV row is refused with a message naming its line', async () => {
    const { page, open, serve, allowErrors } = app();
    allowErrors(http400);
    const ragged = ['a,b,label', '1,2,x', '3,4,y', '5,6,7,z', '8,9,x'].join('\n') + '\n';
    await open('#/new');
    await page.getByTestId('wizard-reset').click();
    await page.getByTestId('wizard-dataset-mode-csv').check();
    await page.getByTestId('wizard-csv-file').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(ragged) });
    const banner = page.getByTestId('error-banner');
    await banner.waitFor({ timeout: 30_000 });
    const text = await textOf(banner);
    expect(text).toMatch(/CSV/);
    expect(text).toContain('line 4');
    expect(text).toMatch(/4 columns but the header has 3/);
    await expect(page.getByTestId('wizard-csv-preview').count()).resolves.toBe(0);
    await expect(page.getByTestId('wizard-launch').isDisabled()).resolves.toBe(true);
    expect(existsSync(join(serve.home, 'datasets')) ? readdirSync(join(serve.home, 'datasets')) : []).toEqual([]);
    await screenshot(page, '10-error-csv');
  });

  it('an unknown optimizer in a loaded YAML spec names the field, in the form and from the server', async () => {
    const { page, open, allowErrors } = app();
    allowErrors(http400);
    const yaml = [
      'name: e2e-bad-spec',
      'dataset: builtin:iris',
      'epochs: 3',
      'space:',
      '  optimizer: { choice: [sgd, lion] }',
      '  learningRate: 0.01',
      '  batchSize: 16',
      'search: { strategy: grid }',
    ].join('\n');
    await open('#/new');
    await page.getByTestId('wizard-reset').click();
    await page.locator('summary', { hasText: 'Spec as YAML' }).click();
    await page.getByTestId('wizard-yaml-file').setInputFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    // Loading a file applies it to the form; the form refuses and says which field.
    const banner = page.getByTestId('error-banner');
    await banner.first().waitFor();
    const formText = await textOf(banner.first());
    expect(formText).toContain('/space/optimizer');
    expect(formText).toContain('lion');
    await expect(page.getByTestId('wizard-yaml').inputValue()).resolves.toContain('lion');

    // Launching the YAML as is: the server refuses it and names the field too. Its answer takes
    // the form's banner's place (one banner: a message line, then the issues), so the same issue
    // is not listed twice.
    await page.getByTestId('wizard-yaml-launch').click();
    await until(async () => (await textOf(banner.first())).includes('The study was not launched.'), 'server error banner');
    await expect(banner.count()).resolves.toBe(1);
    const all = (await banner.allTextContents()).join('\n');
    expect(all).toMatch(/The spec is not valid/);
    expect(all.match(/\/space\/optimizer/g)?.length ?? 0).toBe(1);
    expect(all).toContain('lion');
    expect(page.url()).toMatch(/#\/new$/);
    await screenshot(page, '11-error-spec');
  });

  it('an empty optimizer selection is named and blocks the launch', async () => {
    const { page, open } = app();
    await open('#/new');
    await page.getByTestId('wizard-reset').click();
    for (const box of await page.locator('[data-testid^="wizard-optimizer-"]').all()) await box.uncheck();
    const issues = page.getByTestId('wizard-issues');
    await issues.waitFor();
    const text = await textOf(issues);
    expect(text).toContain('/space/optimizer');
    expect(text).toContain('pick at least one optimizer');
    await expect(page.getByTestId('wizard-launch').isDisabled()).resolves.toBe(true);
    await expect(textOf(page.getByTestId('wizard-planned'))).resolves.toBe('0');
    await screenshot(page, '12-error-empty-optimizers');
  });

  it('a malformed or unknown route shows Not found, on a fresh load and on a hash change', async () => {
    const { page, open } = app();
    await open('#/study/%E0%A4%A');
    const heading = page.getByRole('heading', { name: 'Page not found' });
    await heading.waitFor();
    await expect(textOf(page.locator('main'))).resolves.toContain('/study/%E0%A4%A');
    await page.getByTestId('nav-studies').click();
    await page.getByRole('heading', { name: 'Studies', exact: true }).waitFor();
    // A hash change in the same document (the harness's open() loads a fresh one).
    await page.evaluate(() => void ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/no/such/page'));
    await heading.waitFor();
  });

  it('left the studies list unchanged', async () => {
    const after = await studyCount();
    expect(after).toEqual(before);
  });
});
