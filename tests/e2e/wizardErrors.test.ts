// The wizard's dataset errors: each has its own heading, none reads "changed since the study
// started"; a launch error clears when the input changes and on Start over; the name placeholder
// is the name the server would give; limits reach the stored spec.
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { textOf, until } from './ui.js';

const app = useApp();

async function uploadCsv(name: string, csv: string): Promise<void> {
  const { page } = app();
  await page.getByTestId('wizard-reset').click();
  await page.getByTestId('wizard-dataset-mode-csv').check();
  await page.getByTestId('wizard-csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await until(async () => (await textOf(page.getByTestId('wizard-csv-stage'))).includes('Imported'), `${name} imported`, 60_000);
}

/** Launches the form's spec through the YAML panel (the form's own Launch is disabled while issues show). */
async function launchAsYaml(): Promise<string> {
  const { page } = app();
  const panel = page.locator('details.spec-yaml');
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  await page.getByTestId('wizard-yaml-show').click();
  await page.getByTestId('wizard-yaml-launch').click();
  const banner = panel.getByTestId('error-banner');
  await banner.waitFor();
  return textOf(banner.locator('strong').first());
}

describe('wizard errors, placeholder and limits', () => {
  it('gives a one-class CSV and a two-row CSV their own headings, cleared by an edit and by Start over', async () => {
    const { page, open } = app();
    app().allowErrors(/studies\.create.*400|400/);
    await open('#/new');

    await uploadCsv('one-class.csv', 'x,y,label\n1,2,a\n3,4,a\n5,6,a\n7,8,a\n');
    await until(async () => (await textOf(page.getByTestId('wizard-issues'))).includes('fewer than 2 classes') || undefined, 'the form names the issue');
    expect(await page.getByTestId('wizard-launch').isDisabled()).toBe(true);
    expect(await launchAsYaml()).toBe('The target has only one value');
    await screenshot(page, '45-wizard-one-class');
    // Any edit of the launched text clears its error.
    await page.getByTestId('wizard-yaml').press('End');
    await page.getByTestId('wizard-yaml').pressSequentially(' ');
    await page.locator('details.spec-yaml').getByTestId('error-banner').waitFor({ state: 'detached' });

    await uploadCsv('two-rows.csv', 'x,y\n1,2\n3,5\n');
    expect(await launchAsYaml()).toBe('Too few rows to train on');
    const banner = page.locator('details.spec-yaml').getByTestId('error-banner');
    expect(await textOf(banner)).not.toContain('changed since');
    await screenshot(page, '46-wizard-too-few-rows');
    await page.getByTestId('wizard-reset').click();
    await banner.waitFor({ state: 'detached' });
    expect(await page.getByTestId('error-banner').count()).toBe(0);
  }, 120_000);

  it('shows the name the server would give as the placeholder, and sends the limits it sets', async () => {
    const { page, open, call } = app();
    await open('#/new');
    await page.getByTestId('wizard-reset').click();
    const name = page.getByTestId('wizard-name');
    await expect(name.getAttribute('placeholder')).resolves.toBe('iris-grid');
    await page.getByTestId('wizard-strategy').selectOption('random');
    await expect(name.getAttribute('placeholder')).resolves.toBe('iris-random');
    await page.getByTestId('wizard-pruner').selectOption('median');
    await page.getByTestId('wizard-trials').fill('2');
    await page.getByTestId('wizard-timeout').fill('90');
    await page.getByTestId('wizard-retries').fill('0');
    await page.getByTestId('wizard-max-failures').fill('3');
    await page.getByTestId('wizard-epochs').fill('2');
    await until(async () => (await page.getByTestId('wizard-launch').isEnabled()) || undefined, 'launch enabled');
    await screenshot(page, '47-wizard-limits');
    await page.getByTestId('wizard-launch').click();
    await until(async () => /#\/study\/\d+$/.test(page.url()) || undefined, 'the study page');
    const id = Number(page.url().split('/').pop());
    const { study } = await call('studies.get', { study: id });
    expect(study.name).toMatch(/^iris-random(-\d+)?$/);
    expect(study.spec.pruner.type).toBe('median');
    expect(study.spec.limits).toEqual({ trialTimeoutSeconds: 90, maxRetries: 0, maxConsecutiveFailures: 3 });
    await call('studies.cancel', { study: id }).catch(() => undefined);
  }, 120_000);
});
