// The wizard's run options: a time budget (limits.maxMinutes) and trial packing. Bad values name
// their field and launch nothing; good ones reach the stored spec and the packed study finishes.
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { fillIrisGrid, textOf, until } from './ui.js';

const app = useApp();

/** The summary's issue list once it names `where` (the server's answer is debounced). */
async function issueNaming(where: string): Promise<string> {
  const { page } = app();
  const list = page.getByTestId('wizard-issues');
  return until(async () => {
    if ((await list.count()) === 0) return undefined;
    const text = await textOf(list);
    return text.includes(where) && text;
  }, `an issue naming ${where}`);
}

/** The wizard open on a 2 x 2 grid on iris, 5 epochs: one pack of 4 when packing is on. */
async function openIrisGrid(): Promise<void> {
  const { page, open } = app();
  await open('#/new');
  await fillIrisGrid(page, 5);
}

describe('wizard time budget and trial packing', () => {
  it('names the field of a bad budget or pack size and launches nothing', async () => {
    const { page, call } = app();
    await openIrisGrid();
    const launch = page.getByTestId('wizard-launch');
    const searchIssues = page.locator('fieldset', { hasText: 'Strategy and resources' }).getByTestId('wizard-field-issues');

    await page.getByTestId('wizard-budget').fill('0');
    expect(await issueNaming('/limits/maxMinutes')).toBe('/limits/maxMinutes must be above 0');
    await expect(textOf(searchIssues)).resolves.toBe('Time budget: must be above 0');
    expect(await launch.isDisabled()).toBe(true);
    await screenshot(page, '70-wizard-budget-zero');

    // A budget shorter than the sweep: the estimate stops at it, and fewer trials start.
    await page.getByTestId('wizard-budget').fill('0.02');
    await until(async () => (await textOf(page.getByTestId('wizard-eta'))) === 'at most 0.02 min (budget)' || undefined, 'the estimate capped at the budget');
    await expect(textOf(page.getByTestId('wizard-budget-trials'))).resolves.toMatch(/^about \d+–\d+ of 4 start within the budget$/);
    await screenshot(page, '69-wizard-budget-binding', { fullPage: false });
    await page.getByTestId('wizard-budget').fill('');
    await until(async () => (await textOf(page.getByTestId('wizard-eta'))).startsWith('≈') || undefined, 'no budget, no cap');
    expect(await page.getByTestId('wizard-budget-trials').count()).toBe(0);

    await page.getByTestId('wizard-budget').fill('30');
    expect(await page.getByTestId('wizard-packing-k').isDisabled()).toBe(true);
    await page.getByTestId('wizard-packing').check();
    await page.getByTestId('wizard-packing-k').fill('100');
    const tooMany = await issueNaming('/packing/maxTrials');
    expect(tooMany).toMatch(/^\/packing\/maxTrials \D*64$/);
    await expect(textOf(searchIssues)).resolves.toMatch(/^Pack trials: \D*64$/);
    expect(await launch.isDisabled()).toBe(true);
    // One is no packing at all: the form asks for a pair, before the server is asked.
    await page.getByTestId('wizard-packing-k').fill('1');
    expect(await issueNaming('/packing/maxTrials')).toContain('at least 2 trials per worker');
    await expect(textOf(searchIssues)).resolves.toBe('Pack trials: at least 2 trials per worker, or turn packing off');
    expect(await launch.isDisabled()).toBe(true);
    await screenshot(page, '71-wizard-pack-one');

    expect(await call('studies.list', {})).toEqual([]);
  }, 120_000);

  it('sends the budget and packing it sets, shows them in the YAML and estimate, and the packed study finishes', async () => {
    const { page, call } = app();
    await openIrisGrid();
    await page.getByTestId('wizard-budget').fill('30');
    await page.getByTestId('wizard-packing').check();
    await page.getByTestId('wizard-packing-k').fill('4');
    await page.getByTestId('wizard-name').fill('e2e-packed-budget');
    await until(async () => (await textOf(page.getByTestId('wizard-planned'))) === '4', 'planned trials = 4');
    await until(async () => (await page.getByTestId('wizard-launch').isEnabled()) || undefined, 'launch enabled');
    await expect(page.getByTestId('wizard-issues').count()).resolves.toBe(0);
    await expect(textOf(page.getByTestId('wizard-eta'))).resolves.toMatch(/^≈ .+, within the 30 min budget$/);

    const panel = page.locator('details.spec-yaml');
    if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
    await page.getByTestId('wizard-yaml-show').click();
    const yaml = await page.getByTestId('wizard-yaml').inputValue();
    expect(yaml).toMatch(/packing:\n\s+maxTrials: 4/);
    expect(yaml).toMatch(/maxMinutes: 30/);
    // And back: Start over clears both, the YAML applied fills them again.
    await page.getByTestId('wizard-reset').click();
    await expect(page.getByTestId('wizard-budget').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('wizard-packing').isChecked()).resolves.toBe(false);
    await page.getByTestId('wizard-yaml').fill(yaml);
    await page.getByTestId('wizard-yaml-apply').click();
    await until(async () => (await page.getByTestId('wizard-budget').inputValue()) === '30' || undefined, 'the budget back from the YAML');
    await expect(page.getByTestId('wizard-packing').isChecked()).resolves.toBe(true);
    await expect(page.getByTestId('wizard-packing-k').inputValue()).resolves.toBe('4');
    await until(async () => (await textOf(page.getByTestId('wizard-planned'))) === '4', 'planned trials = 4 again');
    await screenshot(page, '72-wizard-budget-packing');
    // The fields and the summary at reading size, as a person sees them.
    await page.getByTestId('wizard-budget').scrollIntoViewIfNeeded();
    await screenshot(page, '73-wizard-budget-packing-view', { fullPage: false });

    await page.getByTestId('wizard-launch').click();
    await page.waitForURL(/#\/study\/\d+$/, { timeout: 30_000 });
    const id = Number(/#\/study\/(\d+)$/.exec(page.url())?.[1]);
    const { study } = await call('studies.get', { study: id });
    expect(study.spec.packing).toEqual({ maxTrials: 4 });
    expect(study.spec.limits.maxMinutes).toBe(30);

    await until(async () => (await textOf(page.getByTestId('study-status'))) === 'done', 'study status done', 180_000, 300);
    const finished = (await call('studies.get', { study: id })).study;
    expect(finished.status).toBe('done');
    expect(finished.counts.complete).toBe(4);
    const { rows } = await call('trials.page', { study: id, limit: 10 });
    expect(rows.map((row) => row.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    await screenshot(page, '74-packed-study-done');
  }, 240_000);
});
