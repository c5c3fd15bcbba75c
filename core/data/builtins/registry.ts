import type { DatasetInfo } from '../../api/domain.js';
import { TunebenchError } from '../../api/errors.js';
import type { Dataset } from '../dataset.js';
import { irisDataset } from './iris.js';
import { mnistDataset, mnistInfo, mnistSmallDataset, mnistSmallInfo } from './mnist.js';
import { penguinsDataset, penguinsMassDataset } from './penguins.js';
import { syntheticLinearDataset } from './syntheticLinear.js';

interface Builtin {
  info(): DatasetInfo;
  load(): Dataset;
}

/** A small table is built once per process and handed out as copies. */
function table(build: () => Dataset): Builtin {
  let cached: Dataset | undefined;
  const get = (): Dataset => (cached ??= build());
  return { info: () => get().info, load: () => copyDataset(get()) };
}

const builtins: Record<string, Builtin> = {
  iris: table(irisDataset),
  penguins: table(penguinsDataset),
  'penguins-mass': table(penguinsMassDataset),
  mnist: { info: mnistInfo, load: mnistDataset },
  'mnist-small': { info: mnistSmallInfo, load: mnistSmallDataset },
  'synthetic-linear': table(syntheticLinearDataset),
};

export const builtinNames: readonly string[] = Object.keys(builtins);

let listed: DatasetInfo[] | undefined;

/** Every built-in dataset's info. The first call reads the package files (MNIST's are not decoded); later calls are free. */
export function listBuiltinDatasets(): DatasetInfo[] {
  listed ??= builtinNames.map((name) => (builtins[name] as Builtin).info());
  return structuredClone(listed);
}

/** A built-in dataset by name (`iris`, not `builtin:iris`); the caller owns the arrays it gets. */
export function loadBuiltinDataset(name: string): Dataset {
  const builtin = Object.hasOwn(builtins, name) ? builtins[name] : undefined;
  if (!builtin) {
    throw new TunebenchError(
      'DATASET_UNKNOWN',
      `no built-in dataset "${name}"; the built-ins are: ${builtinNames.join(', ')}`,
      [{ where: '/dataset', message: `unknown built-in "${name}"` }],
    );
  }
  return builtin.load();
}

function copyDataset(ds: Dataset): Dataset {
  return {
    info: structuredClone(ds.info),
    features: ds.features.slice(),
    target: ds.target.slice(),
    featureNames: ds.featureNames ? [...ds.featureNames] : undefined,
    standardizeMask: ds.standardizeMask?.slice(),
  };
}
