import type { RandomGenerator } from 'pure-rand';
import type { Coordinates, Dimension } from '../space/dimensions.js';
import { coordinateRange } from '../space/dimensions.js';
import { nextDouble } from '../space/sample.js';

export interface Observation {
  readonly coordinates: Coordinates;
  readonly weight: number;
}

/**
 * A multivariate Parzen estimator as Optuna's TPE builds it: one kernel per observation (a
 * product of truncated Gaussians on numeric coordinates and smoothed one-hot weights on
 * categorical ones) plus one broad prior kernel. A coordinate an observation lacks (a conditional
 * parameter that did not apply) falls back to the prior in that kernel, so conditional spaces
 * need no separate model per branch.
 */
export class ParzenEstimator {
  private readonly kernelWeights: number[];
  private readonly sigmas = new Map<string, number>();
  /** Per kernel, per dimension: log probabilities (categorical) or [mean, sigma, log normaliser]. */
  private readonly tables: number[][][];

  constructor(
    private readonly dimensions: readonly Dimension[],
    private readonly observations: readonly Observation[],
    private readonly priorWeight = 1,
  ) {
    const total = observations.reduce((sum, o) => sum + o.weight, 0) + priorWeight;
    this.kernelWeights = [...observations.map((o) => o.weight / total), priorWeight / total];
    // Optuna's multivariate bandwidth (Scott's rule in n and the count of tuned parameters: like
    // Optuna's search space, a fixed value is none), clipped so a kernel is never narrower than
    // 1/min(100, kernels+1) of the range (the prior is a kernel) nor wider than the range.
    const count = Math.max(observations.length, 1);
    const tuned = dimensions.filter((dimension) => (dimension.kind === 'numeric' ? dimension.low < dimension.high : dimension.values.length > 1)).length;
    for (const dimension of dimensions) {
      if (dimension.kind !== 'numeric') continue;
      const [low, high] = parzenRange(dimension);
      const width = high - low || 1;
      const sigma = 0.2 * count ** (-1 / (tuned + 4)) * width;
      this.sigmas.set(dimension.name, Math.min(width, Math.max(width / Math.min(100, observations.length + 2), sigma)));
    }
    // Densities are evaluated for many candidates: each kernel's terms are computed once here.
    this.tables = this.kernelWeights.map((_, kernel) =>
      dimensions.map((dimension) => {
        const observed = this.observations[kernel]?.coordinates[dimension.name];
        if (dimension.kind === 'categorical') return this.categoricalKernel(dimension.values.length, observed).map(Math.log);
        const [low, high] = parzenRange(dimension);
        const { mean, sigma } = this.numericKernel(dimension, observed);
        const mass = normalCdf((high - mean) / sigma) - normalCdf((low - mean) / sigma);
        return [mean, sigma, low === high ? 0 : Math.log(sigma * Math.sqrt(2 * Math.PI)) + Math.log(Math.max(mass, 1e-300))];
      }),
    );
  }

  /** One draw: pick a kernel by weight, then each coordinate from that kernel. */
  sample(rng: RandomGenerator): Coordinates {
    let pick = nextDouble(rng);
    let kernel = 0;
    while (kernel < this.kernelWeights.length - 1 && pick >= this.kernelWeights[kernel]!) pick -= this.kernelWeights[kernel++]!;
    const coordinates: Coordinates = {};
    for (const dimension of this.dimensions) {
      const observed = this.observations[kernel]?.coordinates[dimension.name];
      if (dimension.kind === 'categorical') {
        const probabilities = this.categoricalKernel(dimension.values.length, observed);
        let draw = nextDouble(rng);
        let index = 0;
        while (index < probabilities.length - 1 && draw >= probabilities[index]!) draw -= probabilities[index++]!;
        coordinates[dimension.name] = index;
      } else {
        const [low, high] = parzenRange(dimension);
        const { mean, sigma } = this.numericKernel(dimension, observed);
        coordinates[dimension.name] = truncatedNormal(rng, mean, sigma, low, high);
      }
    }
    return coordinates;
  }

  /** log density of a point over the named coordinates (the ones that apply to it). */
  logDensity(point: Coordinates, names: ReadonlySet<string>): number {
    const used = this.dimensions.map((dimension, index) => ({ index, dimension, value: point[dimension.name] })).filter((entry) => entry.value !== undefined && names.has(entry.dimension.name));
    const terms = this.kernelWeights.map((weight, kernel) => {
      const table = this.tables[kernel]!;
      let log = Math.log(weight);
      for (const { index, dimension, value } of used) {
        const row = table[index]!;
        if (dimension.kind === 'categorical') log += row[Math.round(value!)] ?? -690;
        else if (dimension.integer && !dimension.isLog && dimension.low !== dimension.high) log += integerLogMass(value!, row, parzenRange(dimension));
        else if (row[2] !== 0 || dimension.low !== dimension.high) {
          const z = (value! - row[0]!) / row[1]!;
          log += -0.5 * z * z - row[2]!;
        }
      }
      return log;
    });
    const top = Math.max(...terms);
    return top + Math.log(terms.reduce((sum, term) => sum + Math.exp(term - top), 0));
  }

  /** Optuna's smoothing: prior weight / kernels on every choice, so more kernels sharpen each. */
  private categoricalKernel(choices: number, observed: number | undefined): number[] {
    const base = this.priorWeight / (this.observations.length + 1);
    if (observed === undefined) return Array.from({ length: choices }, () => 1 / choices);
    const total = base * choices + 1;
    return Array.from({ length: choices }, (_, index) => (base + (index === observed ? 1 : 0)) / total);
  }

  private numericKernel(dimension: Extract<Dimension, { kind: 'numeric' }>, observed: number | undefined): { mean: number; sigma: number } {
    const [low, high] = parzenRange(dimension);
    if (observed === undefined) return { mean: (low + high) / 2, sigma: high - low || 1 };
    return { mean: observed, sigma: this.sigmas.get(dimension.name)! };
  }
}

/**
 * The range a kernel lives on: an integer's widens by half a step each side, as Optuna's does, so
 * the end values get a whole step of mass like the others once rounded.
 */
function parzenRange(dimension: Extract<Dimension, { kind: 'numeric' }>): [number, number] {
  if (!dimension.integer || dimension.low === dimension.high) return coordinateRange(dimension);
  const widened = { ...dimension, low: dimension.isLog && dimension.low <= 0.5 ? dimension.low : dimension.low - 0.5, high: dimension.high + 0.5 };
  return coordinateRange(widened);
}

/** An integer's log probability: the kernel's mass over its step (Optuna's discrete truncated normal). */
function integerLogMass(value: number, row: readonly number[], [low, high]: [number, number]): number {
  const [mean, sigma, logNormaliser] = row as [number, number, number];
  const upper = Math.min(Math.round(value) + 0.5, high);
  const lower = Math.max(Math.round(value) - 0.5, low);
  const mass = normalCdf((upper - mean) / sigma) - normalCdf((lower - mean) / sigma);
  // The row's normaliser holds log(sigma * sqrt(2 pi)) + log(mass over the range); only the latter applies.
  return Math.log(Math.max(mass, 1e-300)) - (logNormaliser - Math.log(sigma * Math.sqrt(2 * Math.PI)));
}

function standardNormal(rng: RandomGenerator): number {
  const u = 1 - nextDouble(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextDouble(rng));
}

/** A Gaussian draw inside [low, high] by rejection (kernels are centred inside, so it is quick). */
function truncatedNormal(rng: RandomGenerator, mean: number, sigma: number, low: number, high: number): number {
  if (low === high) return low;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = mean + sigma * standardNormal(rng);
    if (value >= low && value <= high) return value;
  }
  return Math.min(high, Math.max(low, mean));
}

/** Φ via erf (Abramowitz & Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
