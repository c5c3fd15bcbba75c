import { readFileSync } from 'node:fs';
import type { Dataset } from '../dataset.js';
import { encodeTable } from '../encodeTable.js';
import { packageFile } from './packageFile.js';

const header = ['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];

let cached: { bytes: Buffer; rows: string[][] } | undefined;

/** The Palmer penguins table as strings; null and the one "." in Sex become missing cells. */
function penguinRows(): { bytes: Buffer; rows: string[][] } {
  if (!cached) {
    const bytes = readFileSync(packageFile('vega-datasets', 'data', 'penguins.json'));
    const raw = JSON.parse(bytes.toString('utf8')) as Record<string, string | number | null>[];
    const rows = raw.map((record) =>
      header.map((name) => {
        const value = record[name];
        return value === null || value === undefined || value === '.' ? '' : String(value);
      }),
    );
    cached = { bytes, rows };
  }
  return cached;
}

const source = 'Palmer penguins (vega-datasets, 344 birds on three islands)';

/** Species from the four measurements, island and sex (one-hot). */
export function penguinsDataset(): Dataset {
  const { bytes, rows } = penguinRows();
  return encodeTable(
    { header, rows, target: 'Species', task: 'classification' },
    {
      key: 'builtin:penguins',
      name: 'penguins',
      source: 'builtin',
      path: null,
      description: `${source}: the species from beak, flipper and body measurements, island and sex.`,
      sourceBytes: [bytes],
    },
  );
}

/** Body mass in grams from the other measurements, species, island and sex. */
export function penguinsMassDataset(): Dataset {
  const { bytes, rows } = penguinRows();
  return encodeTable(
    { header, rows, target: 'Body Mass (g)', task: 'regression' },
    {
      key: 'builtin:penguins-mass',
      name: 'penguins-mass',
      source: 'builtin',
      path: null,
      description: `${source}: regression of body mass (g) from beak and flipper measurements, species, island and sex.`,
      sourceBytes: [bytes],
    },
  );
}
