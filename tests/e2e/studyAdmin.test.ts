// What a person does to studies from the dashboard: rename (a taken name keeps the dialog open),
// duplicate, delete, notes and tags, and the cancel confirmation's wording on a running study.
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { textOf, until } from './ui.js';

const app = useApp();
const spec = (name: string, epochs = 2) => ({ name, dataset: 'builtin:iris', epochs, space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } });
const ids: Record<string, number> = {};

const rowOf = (id: number) => app().page.locator(`[data-testid="studies-row"][data-study-id="${id}"]`);

describe('renaming, duplicating, deleting and annotating studies', () => {
  it('lists two studies made through the API', async () => {
    const { page, call, open } = app();
    for (const name of ['admin-a', 'admin-b']) ids[name] = (await call('studies.create', { spec: spec(name), start: false })).id;
    await open('#/');
    await rowOf(ids['admin-b']!).waitFor();
  });

  it('keeps the rename dialog open with the reason when the name is taken, then renames', async () => {
    const { page, call } = app();
    app().allowErrors(/studies\.rename.*400|400.*studies\.rename/);
    await rowOf(ids['admin-a']!).getByTestId('study-rename').click();
    const dialog = page.getByTestId('prompt-dialog');
    await page.getByTestId('prompt-input').fill('admin-b');
    await page.getByTestId('prompt-ok').click();
    const reason = dialog.getByRole('alert');
    await reason.waitFor();
    expect(await textOf(reason)).toContain('a study named "admin-b" exists already; choose another name');
    expect(await textOf(reason)).not.toContain('--name');
    expect(await textOf(reason.locator('strong').first())).toBe('That name is already taken');
    expect(await dialog.isVisible()).toBe(true);
    await screenshot(page, '30-rename-conflict', { fullPage: false });
    await page.getByTestId('prompt-input').fill('admin-renamed');
    await page.getByTestId('prompt-ok').click();
    await dialog.waitFor({ state: 'hidden' });
    await until(async () => (await textOf(rowOf(ids['admin-a']!).getByTestId('study-open'))) === 'admin-renamed' || undefined, 'renamed row');
    expect((await call('studies.get', { study: ids['admin-a']! })).study.name).toBe('admin-renamed');
  });

  it('duplicates a study and opens the copy', async () => {
    const { page, call, open } = app();
    await open('#/');
    await rowOf(ids['admin-b']!).getByTestId('study-duplicate').click();
    await page.waitForURL(/#\/study\/\d+$/);
    const copyId = Number(/#\/study\/(\d+)$/.exec(page.url())?.[1]);
    expect(copyId).not.toBe(ids['admin-b']);
    await until(async () => (await textOf(page.getByTestId('study-name'))) === 'admin-b-copy' || undefined, 'the copy open');
    expect((await call('studies.get', { study: copyId })).study.spec.space).toEqual((await call('studies.get', { study: ids['admin-b']! })).study.spec.space);
    ids['admin-b-copy'] = copyId;
  });

  it('saves notes and tags on a study, kept after a reload', async () => {
    const { page, open, call } = app();
    await open(`#/study/${ids['admin-b']}`);
    await page.getByTestId('study-notes-add').click();
    await page.getByTestId('study-notes').fill('baseline for the LR sweep');
    await page.getByTestId('study-tags').fill('baseline, iris');
    await page.getByTestId('study-save').click();
    await until(async () => (await call('studies.get', { study: ids['admin-b']! })).study.tags.join() === 'baseline,iris' || undefined, 'tags saved');
    await open(`#/study/${ids['admin-b']}`);
    await until(async () => (await textOf(page.locator('summary'))).includes('baseline, iris') || undefined, 'tags shown after reload');
    expect((await call('studies.get', { study: ids['admin-b']! })).study.notes).toBe('baseline for the LR sweep');
  });

  it('deletes a study after confirmation', async () => {
    const { page, open, call } = app();
    await open('#/');
    await rowOf(ids['admin-b-copy']!).getByTestId('study-delete').click();
    await page.getByTestId('confirm-ok').click();
    await rowOf(ids['admin-b-copy']!).waitFor({ state: 'detached' });
    expect((await call('studies.list', {})).map((study) => study.id)).not.toContain(ids['admin-b-copy']);
  });

  it('asks before cancelling a running study with "Keep running" / "Cancel study"', async () => {
    const { page, open, call } = app();
    const id = (await call('studies.create', { spec: spec('admin-running', 2000), start: true })).id;
    await open(`#/study/${id}`);
    await until(async () => (await textOf(page.getByTestId('study-status'))) === 'running' || undefined, 'running');
    await page.getByTestId('study-cancel').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await textOf(page.getByTestId('confirm-cancel'))).toBe('Keep running');
    expect(await textOf(page.getByTestId('confirm-ok'))).toBe('Cancel study');
    await screenshot(page, '31-cancel-confirmation', { fullPage: false });
    await page.getByTestId('confirm-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await call('studies.get', { study: id })).study.status).toBe('running');
    await page.getByTestId('study-pause').click();
    await until(async () => (await textOf(page.getByTestId('study-pending'))).includes('running trials finish, no new ones start') || undefined, 'pause banner');
    await screenshot(page, '32-pause-banner', { fullPage: false });
    await call('studies.remove', { study: id });
  });
});
