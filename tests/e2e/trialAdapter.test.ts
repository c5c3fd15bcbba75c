// A trial that trained on a GPU shows its adapter on the trial page and in the leaderboard's hover;
// one off the GPU shows none.
// The trials are written straight into the served database (no GPU is needed to show one).
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { completed, finishedTrial, sampleStudy } from '../support/storeFixtures.js';
import { screenshot, useApp } from './harness.js';
import { textOf } from './ui.js';

const app = useApp();
const adapter = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA: 535.183.01', device: 'NVIDIA GeForce RTX 3060', isSoftware: false };

describe('the GPU adapter on the trial page', () => {
  it('names vendor, architecture, driver and device for a webgpu trial, and is absent for a wasm one', async () => {
    const { page, open, serve } = app();
    const store = await openSqliteStore(serve.dbPath);
    const studyId = (await store.createStudy(sampleStudy('e2e-gpu'))).id;
    const onGpu = await finishedTrial(store, studyId, { ...completed(0.3), backend: 'webgpu', adapter });
    const onCpu = await finishedTrial(store, studyId, completed(0.4));
    await store.close();

    await open(`#/study/${studyId}/trial/${onGpu.id}`);
    await expect(textOf(page.getByTestId('trial-adapter'))).resolves.toBe('nvidia ampere: NVIDIA: 535.183.01, NVIDIA GeForce RTX 3060');
    await expect(textOf(page.getByTestId('trial-backend'))).resolves.toBe('webgpu');
    await screenshot(page, '23-trial-gpu-adapter');

    await open(`#/study/${studyId}`);
    const hover = page.locator(`[data-testid="leaderboard-row"][data-trial-id="${onGpu.id}"] td[title^="adapter "]`);
    await hover.waitFor();
    expect(await hover.getAttribute('title')).toBe('adapter nvidia ampere: NVIDIA: 535.183.01, NVIDIA GeForce RTX 3060');

    await open(`#/study/${studyId}/trial/${onCpu.id}`);
    await expect(textOf(page.getByTestId('trial-backend'))).resolves.toBe('wasm');
    expect(await page.getByTestId('trial-adapter').count()).toBe(0);
  });
});
