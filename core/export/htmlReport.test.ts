import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { runtimeVersions } from './htmlReport.js';
import { renderExport } from './renderExport.js';
import { createFixtureStudy, fixtureCurve, tempStore } from '../../tests/support/export.js';

const now = new Date('2025-01-02T03:04:05.000Z');
const hostileName = '<script>alert("x")</script> & co';

function sections(html: string): string[] {
  return [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1] ?? '');
}

describe('HTML report', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  async function report(trialCount = 8, name = hostileName, top = 50) {
    const trials = Array.from({ length: trialCount }, (_, i) => ({
      params: { optimizer: (i % 2 === 0 ? 'adam' : 'sgd') as 'adam' | 'sgd', learningRate: 0.001 * (i + 1) },
      value: i === 3 ? null : 0.5 + ((i * 7) % 10) / 20,
      backend: i % 3 === 0 ? 'wasm' : 'cpu',
    }));
    const { study } = await createFixtureStudy(store, { name, direction: 'maximize', trials });
    return renderExport(store, study, 'html', top, { now, appVersion: '1.2.3' });
  }

  it('is self-contained: no script, no external URL, its own strict CSP', async () => {
    const result = await report();
    expect(result).toMatchObject({ fileName: 'script-alert-x-script-co-report.html', mimeType: 'text/html' });
    const html = result.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\son\w+=/i); // no inline event handlers
    expect(html).not.toMatch(/\sstyle=/i); // the CSP allows only the hashed <style> block
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(css).digest('base64');
    expect(html).toContain(`content="default-src 'none'; style-src 'sha256-${hash}'; img-src data:"`);
    expect(css).toContain('prefers-color-scheme: dark');
  });

  it('escapes the study name everywhere', async () => {
    const html = (await report()).text;
    expect(html).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co · Tunebench report</title>');
    expect(html).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1>');
    expect(html).not.toContain('<script>alert');
  });

  it('has the summary, charts, leaderboard, spec, dataset and versions', async () => {
    const html = (await report()).text;
    expect(sections(html)).toEqual([
      'Summary',
      'Optimization history',
      'Learning curves (top 5, val_accuracy)',
      'Leaderboard (top 7)',
      'Spec',
      'Dataset and environment',
    ]);
    expect(html).toContain('maximize <code>val_accuracy</code>');
    expect(html).toContain('7 complete, 1 failed');
    expect(html).toContain('<dt>Best value</dt><dd>0.95 (trial 7)</dd>');
    // Two charts: history (7 dots and a best-so-far path) and 5 learning curves.
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html.match(/<circle class="dot" cx="[\d.]+" cy="[\d.]+" r="3"><title>/g)).toHaveLength(7);
    expect(html).toMatch(/<path class="best" d="M[\d.]+ [\d.]+(H[\d.]+V[\d.]+)+H[\d.]+"\/>/);
    expect(html.match(/<polyline class="curve s\d"/g)).toHaveLength(5);
    expect(html.match(/<text class="tick"/g)?.length).toBeGreaterThan(6);
    // Leaderboard: best first.
    const ranks = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>([\d.]+)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(ranks[0]).toEqual(['1', '7', '0.95']);
    expect(ranks).toHaveLength(7);
    expect(ranks.map((r) => Number(r[2]))).toEqual([...ranks.map((r) => Number(r[2]))].sort((a, b) => b - a));
    expect(html).toMatch(/<pre><code>dataset: builtin:iris\nmodel:\n/);
    expect(html).toContain('<code>' + 'a1'.repeat(32) + '</code>');
    expect(html).toContain('<dt>Backends used</dt><dd>wasm, cpu</dd>');
    const versions = runtimeVersions('1.2.3');
    expect(versions.tfjs).toMatch(/^\d+\.\d+\.\d+/);
    expect(html).toContain(`<dt>Node</dt><dd>${process.version}</dd>`);
    expect(html).toContain(`<dt>TensorFlow.js</dt><dd>${versions.tfjs}</dd>`);
    expect(html).toContain('<dt>Tunebench</dt><dd>1.2.3 (study created with test)</dd>');
    expect(html).toContain('2025-01-02T03:04:05.000Z');
  });

  it('shows as many leaderboard rows as --top asks for', async () => {
    const html = (await report(55, 'big', 50)).text;
    expect(sections(html)).toContain('Leaderboard (top 50)');
    expect(html.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr>/g)).toHaveLength(50);
    const three = (await report(55, 'small-top', 3)).text;
    expect(sections(three)).toContain('Leaderboard (top 3)');
    expect(three.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr>/g)).toHaveLength(3);
    const seventy = (await report(75, 'big-top', 70)).text;
    expect(seventy.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr>/g)).toHaveLength(70);
  });

  it('renders a study without results', async () => {
    const html = (await report(0, 'empty')).text;
    expect(html.match(/no data yet/g)).toHaveLength(2);
    expect(html).toContain('no complete trial yet');
  });

  it('shows a study\'s test metrics beside the validation value, with the note on what they mean', async () => {
    const { study } = await createFixtureStudy(store, { name: 'held-out', direction: 'maximize', trials: [], spec: { testSplit: 0.2 } });
    for (const [i, value] of [0.7, 0.9, 0.8].entries()) {
      const trial = await store.createTrial(study.id, { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' }, i);
      await store.markTrialRunning(trial.id, 'w1', 1_000);
      // The engine stores test points at the best epoch only (2 in the fixture curves).
      const test = [
        { trialId: trial.id, epoch: 2, name: 'test_accuracy', value: 0.6 + i / 10 },
        { trialId: trial.id, epoch: 2, name: 'test_loss', value: 1 - i / 10 },
      ];
      const result = { state: 'complete' as const, value, bestEpoch: 2, epochsRun: 5, endedAt: 2_000, error: null, backend: 'cpu' };
      await store.finishTrial(trial.id, result, [...fixtureCurve(trial.id, 'val_accuracy', value, 'maximize'), ...test]);
    }
    const html = (await renderExport(store, study, 'html', 50, { now, appVersion: '1.2.3' })).text;
    expect(html).toContain('<th>value</th><th>test_accuracy</th><th>test_loss</th><th>optimizer</th>');
    const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td>/g)].map((m) => m.slice(2, 6));
    expect(rows).toEqual([['1', '0.9', '0.7', '0.9'], ['2', '0.8', '0.8', '0.8'], ['0', '0.7', '0.6', '1']]);
    expect(html).toContain('the validation value is optimistic');
    // Without a test part, no such column or note.
    expect((await report(3, 'no-test')).text).not.toContain('test_');
  });
});
