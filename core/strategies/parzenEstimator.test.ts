import { describe, expect, it } from 'vitest';
import type { Dimension } from '../space/dimensions.js';
import { ParzenEstimator } from './parzenEstimator.js';

// Reference log densities from Optuna 3.1's own _ParzenEstimator (multivariate=True, prior
// weight 1, magic clip, no endpoints, default weights) over x: Float(0, 10), n: Int(1, 5),
// c: Categorical([a, b, c, d]), computed by tests/fixtures/optunaParzenReference.py with Debian's
// python3-optuna (its truncnorm logpdf given the -log(scale) term later releases have).
// Each rule pinned here is one ours once did differently.
const x: Dimension = { name: 'learningRate', kind: 'numeric', low: 0, high: 10, isLog: false, integer: false };
const n: Dimension = { name: 'units1', kind: 'numeric', low: 1, high: 5, isLog: false, integer: true };
const c: Dimension = { name: 'optimizer', kind: 'categorical', values: ['a', 'b', 'c', 'd'] };
/** A fixed value: Optuna leaves it out of the search space, so it must not narrow the bandwidth. */
const fixed: Dimension = { name: 'lrSchedule', kind: 'categorical', values: ['constant'] };

const observed = { x: [2, 2.5, 7, 3, 9.5, 1], n: [2, 2, 5, 3, 1, 2], c: [0, 0, 3, 1, 2, 0] };
const points = { x: [2.2, 8, 0, 5], n: [2, 5, 1, 3], c: [0, 3, 1, 2] };

describe('ParzenEstimator matches Optuna 3.1 multivariate TPE', () => {
  it('gives Optuna\'s log density on a mixed space: Scott bandwidth over tuned parameters, clip with the prior counted, integers as steps, categorical smoothing by kernel count', () => {
    const estimator = new ParzenEstimator(
      [c, x, fixed, n],
      observed.x.map((_, i) => ({ coordinates: { learningRate: observed.x[i]!, units1: observed.n[i]!, optimizer: observed.c[i]!, lrSchedule: 0 }, weight: 1 })),
    );
    const names = new Set(['learningRate', 'units1', 'optimizer', 'lrSchedule']);
    const ours = points.x.map((_, i) => estimator.logDensity({ learningRate: points.x[i]!, units1: points.n[i]!, optimizer: points.c[i]!, lrSchedule: 0 }, names));
    const optuna = [-3.147575060791204, -4.186887396514649, -6.105411412155294, -6.229289186077687];
    ours.forEach((value, i) => expect(value).toBeCloseTo(optuna[i]!, 5));
  });

  it('sharpens a categorical as kernels grow (30 observations, ramped weights)', () => {
    const values = [...Array<number>(20).fill(0), ...Array<number>(6).fill(1), ...Array<number>(4).fill(2)];
    // Optuna's default_weights(30): linspace(1/30, 1, 5), then 25 ones.
    const weights = values.map((_, i) => (i < 5 ? 1 / 30 + ((1 - 1 / 30) * i) / 4 : 1));
    const estimator = new ParzenEstimator([c], values.map((value, i) => ({ coordinates: { optimizer: value }, weight: weights[i]! })));
    const ours = [0, 1, 2, 3].map((index) => estimator.logDensity({ optimizer: index }, new Set(['optimizer'])));
    const optuna = [-0.5427042047161174, -1.5039941016198397, -1.830916877429702, -3.315436265306319];
    ours.forEach((value, i) => expect(value).toBeCloseTo(optuna[i]!, 6));
  });

  const single = (dimensions: Dimension[], key: 'x' | 'n', xs: number[], at: number[]) => {
    const name = key === 'x' ? 'learningRate' : 'units1';
    const estimator = new ParzenEstimator(dimensions, xs.map((value) => ({ coordinates: { [name]: value, lrSchedule: 0 }, weight: 1 })));
    return at.map((value) => estimator.logDensity({ [name]: value, lrSchedule: 0 }, new Set([name, 'lrSchedule'])));
  };

  it('leaves a fixed value out of the bandwidth: a one-value parameter changes nothing', () => {
    const optuna = [-1.7623660297798678, -2.4981912726543323, -2.4881685031652547, -2.832609175371101];
    single([x, fixed], 'x', observed.x, points.x).forEach((value, i) => expect(value).toBeCloseTo(optuna[i]!, 5));
  });

  it('counts the prior as a kernel in the magic clip (one observation: the clip binds)', () => {
    const optuna = [-2.014884359509659, -2.713513823044927];
    single([x], 'x', [2], [2.2, 8]).forEach((value, i) => expect(value).toBeCloseTo(optuna[i]!, 5));
  });

  it('treats an integer as steps of one: range widened by half a step, mass over the step', () => {
    const optuna = [-1.1051835466742133, -2.054081606383203, -1.493948786539337, -1.5746108641914494];
    single([n], 'n', observed.n, points.n).forEach((value, i) => expect(value).toBeCloseTo(optuna[i]!, 5));
  });
});
