// The Backends & GPU panel: reached from the studies page, runs doctor through the web host.
import { describe, expect, it } from 'vitest';
import { screenshot, useApp } from './harness.js';
import { textOf, until } from './ui.js';

const app = useApp();

describe('Backends & GPU panel', () => {
  it('lists every backend with why not, and the steps/s of those that work', async () => {
    const { page, open } = app();
    await open('#/');
    await page.getByTestId('open-backends').click();
    await page.getByTestId('backends-check').click();
    const table = page.getByTestId('backends-table');
    await until(async () => (await table.count()) > 0, 'doctor report', 120_000);
    const row = async (backend: string) => (await table.locator(`tr[data-backend="${backend}"] td`).allTextContents()).map((cell) => cell.trim()).join(' | ');
    expect(await row('tensorflow')).toMatch(/^tensorflow \| no \| @tensorflow\/tfjs-node-gpu: not installed/);
    expect(await row('webgpu')).toMatch(/^webgpu \| (no \| webgpu: no adapter|yes)/);
    expect(await row('wasm')).toMatch(/^wasm \| yes \|  \| [\d.]+ \| [\d.]+$/);
    expect(await textOf(page.getByTestId('backends-picked'))).toMatch(/A trial here runs on wasm/);
    await screenshot(page, 'backends');
  });
});
