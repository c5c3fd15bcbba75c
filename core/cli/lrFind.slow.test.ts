import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-lrfind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (space: string) => {
  const path = join(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `dataset: builtin:iris\nmodel: { type: mlp, hidden: [16] }\nspace: ${space}\nsearch: { strategy: random, trials: 4 }\n`);
  return path;
};

describe('tunebench lr-find (real training in a worker, on iris)', () => {
  it('raises the rate per batch, records the loss and suggests a range inside the tested one', () => {
    const run = runCli(['lr-find', spec('{ optimizer: adam, learningRate: 0.01, batchSize: 16 }'), '--db', join(dir, 'a.db'), '--steps', '60', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.params).toEqual({ optimizer: 'adam', batchSize: 16 });
    const rates: number[] = result.points.map((p: { lr: number }) => p.lr);
    expect(rates[0]).toBeCloseTo(1e-6, 12);
    for (let i = 1; i < rates.length; i += 1) expect(rates[i]! / rates[i - 1]!).toBeCloseTo(rates[1]! / rates[0]!, 6); // exponential
    // Adam on iris learns: the loss falls somewhere in 1e-6..1, so there is a range to suggest.
    const [low, high] = result.suggested;
    expect(low).toBeGreaterThanOrEqual(1e-6);
    expect(high).toBeLessThanOrEqual(1);
    expect(low).toBeLessThan(high);
    const at = (lr: number) => result.points.find((p: { lr: number }) => p.lr === lr).smoothed;
    expect(at(high)).toBeLessThan(at(rates[0]!));

    const text = runCli(['lr-find', spec('{ optimizer: adam, learningRate: 0.01, batchSize: 16 }'), '--db', join(dir, 'a.db'), '--steps', '30']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^LR range test: adam, batch 16, \d+ batches on /);
    expect(text.stdout).toMatch(/suggested: learningRate: \{ logUniform: \[[\d.e-]+, [\d.e-]+\] \}|no suggestion/);
  });

  it('refuses a bad spec or range with exit 2, naming the field', () => {
    const bad = runCli(['lr-find', spec('{ optimizer: adamx, learningRate: 0.01, batchSize: 16 }'), '--db', join(dir, 'b.db')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('/space/optimizer');
    const range = runCli(['lr-find', spec('{ optimizer: adam, learningRate: 0.01, batchSize: 16 }'), '--db', join(dir, 'b.db'), '--min-lr', '1', '--max-lr', '0.1']);
    expect(range.status).toBe(2);
    expect(range.stderr).toContain('minLr must be below maxLr');
  });
});
