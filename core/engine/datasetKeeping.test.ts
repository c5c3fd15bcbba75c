import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureText } from '../../tests/support/csvFixtures.js';
import { fixtureSpawner, tempStore } from '../../tests/support/engine.js';
import { createTunebenchService, type TunebenchService } from './service.js';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function serviceInTemp(): Promise<{ service: TunebenchService; dir: string }> {
  const temp = await tempStore();
  const service = createTunebenchService({ store: temp.store, spawner: fixtureSpawner(), workDir: temp.dir, datasetsDir: join(temp.dir, 'datasets') });
  cleanup = temp.cleanup;
  return { service, dir: temp.dir };
}

const spaceYaml = 'space: { optimizer: adam, learningRate: 0.01, batchSize: 8 }\nobjective: { metric: val_accuracy, direction: maximize }\n';

describe('CSV files kept by content', () => {
  it('never overwrites an import: another file of the same name gets its own path, and older studies keep their bytes', async () => {
    const { service, dir } = await serviceInTemp();
    const weather = fixtureText('weather.csv');
    const first = await service.datasets.importCsv({ text: weather, fileName: 'data.csv' });
    const study = await service.studies.create({ spec: `dataset: { csv: ${JSON.stringify(first.path)}, target: play }\n${spaceYaml}`, start: false });
    const changed = weather.replace('sunny,29.4,85,false,no', 'rainy,10.0,99,true,yes');
    const second = await service.datasets.importCsv({ text: changed, fileName: 'data.csv' });
    expect(second.path).not.toBe(first.path);
    expect(first.path.startsWith(join(dir, 'datasets'))).toBe(true);
    expect(first.path.endsWith('/data.csv')).toBe(true);
    expect(readFileSync(first.path, 'utf8')).toBe(weather);
    expect(readFileSync(second.path, 'utf8')).toBe(changed);
    // The same bytes again are the same file.
    expect((await service.datasets.importCsv({ text: weather, fileName: 'data.csv' })).path).toBe(first.path);
    const stored = await service.study(study.id);
    expect(stored.spec.dataset).toMatchObject({ csv: first.path, target: 'play' });
    expect((await service.studies.get({ study: study.id })).dataset?.name).toBe('data');
  });

  it('specs.validate runs the dataset checks a sweep runs, naming the field', async () => {
    const { service } = await serviceInTemp();
    const missing = await service.specs.validate({ text: `dataset: { csv: nope.csv, target: play }\n${spaceYaml}` });
    expect(missing.ok).toBe(false);
    expect(missing.issues[0]?.where).toBe('/dataset/csv');
    const { path } = await service.datasets.importCsv({ text: fixtureText('weather.csv'), fileName: 'weather.csv' });
    const typo = await service.specs.validate({ text: `dataset: { csv: ${JSON.stringify(path)}, target: plya }\n${spaceYaml}` });
    expect(typo.issues[0]?.where).toBe('/dataset/target');
    const good = await service.specs.validate({ text: `dataset: { csv: ${JSON.stringify(path)}, target: play }\n${spaceYaml}` });
    expect(good).toMatchObject({ ok: true, plannedTrials: 1 });
    const clamped = await service.specs.validate({ text: `dataset: { csv: ${JSON.stringify(path)}, target: play }\n${spaceYaml.replace('batchSize: 8', 'batchSize: 64')}` });
    expect(clamped.notes).toEqual(['batch sizes above 11 (the training rows) are clamped to 11: such trials train on one batch per epoch']);
  });
});
