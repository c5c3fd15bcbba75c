import type { Dataset } from '../dataset.js';
import { encodeTable } from '../encodeTable.js';
import { approxNormal, seededRng, uniform01 } from '../rng.js';

const rowCount = 1000;
const seed = 20240601;
const header = ['x1', 'x2', 'x3', 'y'];

/**
 * y = 4 + 3 x1 - 2 x2 + 0.5 x3 + noise (sd 0.5), x uniform in [0, 2), as in classic gradient-descent
 * demos. Generated from a fixed seed as CSV-like text, so it goes through the same encoder as
 * every table and its fingerprint is that of the generated values.
 */
export function syntheticLinearDataset(): Dataset {
  const rng = seededRng(seed);
  const rows: string[][] = [];
  for (let i = 0; i < rowCount; i++) {
    const x = [2 * uniform01(rng), 2 * uniform01(rng), 2 * uniform01(rng)] as const;
    const y = 4 + 3 * x[0] - 2 * x[1] + 0.5 * x[2] + 0.5 * approxNormal(rng);
    rows.push([...x, y].map((v) => v.toFixed(6)));
  }
  const text = [header, ...rows].map((row) => row.join(',')).join('\n');
  return encodeTable(
    { header, rows, target: 'y', task: 'regression' },
    {
      key: 'builtin:synthetic-linear',
      name: 'synthetic-linear',
      source: 'builtin',
      path: null,
      description:
        `Generated (seed ${seed}): y = 4 + 3*x1 - 2*x2 + 0.5*x3 + noise, x uniform in [0, 2), ` +
        'noise roughly normal with sd 0.5 (sum of 12 uniforms); a linear model should reach MSE near 0.25.',
      sourceBytes: [Buffer.from(text, 'utf8')],
    },
  );
}
