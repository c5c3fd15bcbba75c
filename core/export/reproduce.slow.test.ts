import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../tests/support/cli.js';
import type { ExportDocument } from './exportData.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Long enough, at a high enough rate, that most trials peak before their last epoch.
const spec = `
name: repro
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_loss, direction: minimize }
epochs: 12
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: 0.3
  batchSize: 16
  lrSchedule: { choice: [constant, cosine] }
search: { strategy: grid }
seed: 5
`;

describe('an exported one-point spec reproduces its trial', () => {
  it('re-sweeps trials other than #0 (a constant and a cosine schedule) with the real CLI and gets their values', () => {
    const db = join(dir, 'study.db');
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const sweep = runCli(['sweep', join(dir, 'spec.yaml'), '--db', db, '--workers', '2', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const out = join(dir, 'top.yaml');
    expect(runCli(['export', 'repro', '--db', db, '--format', 'yaml', '--top', '4', '--out', out]).status).toBe(0);
    const exported = parse(readFileSync(out, 'utf8')) as ExportDocument;
    expect(exported.trials).toHaveLength(4);

    const others = exported.trials.filter((trial) => trial.number !== 0);
    const picks = [others.find((t) => t.params.lrSchedule === 'constant'), others.find((t) => t.params.lrSchedule === 'cosine')];
    for (const trial of picks) {
      if (!trial) throw new Error('the grid has a constant and a cosine trial besides #0');
      const path = join(dir, `trial${trial.number}.yaml`);
      writeFileSync(path, stringify(trial.spec));
      const rerun = runCli(['sweep', path, '--db', join(dir, `rerun${trial.number}.db`), '--json']);
      expect(rerun.status, rerun.stderr).toBe(0);
      const summary = JSON.parse(rerun.stdout) as { best: { value: number; bestEpoch: number } };
      expect(summary.best.value).toBe(trial.value);
      expect(summary.best.bestEpoch).toBe(trial.bestEpoch);
      expect(trial.spec.trialSeed).toBe(trial.config.seed);
      expect(trial.spec.epochs).toBe(trial.params.lrSchedule === 'cosine' ? 12 : (trial.bestEpoch ?? 0) + 1);
    }
    // Trials peaking early really were cut short: the constant pick trains fewer epochs.
    expect(picks.some((t) => t && t.spec.epochs < 12) || picks.every((t) => t?.bestEpoch === 11)).toBe(true);
  });
});
