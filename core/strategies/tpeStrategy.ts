import type { Direction } from '../api/domain.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import type { Dimension } from '../space/dimensions.js';
import { coordinatesOf, paramsFromCoordinates, spaceDimensions } from '../space/dimensions.js';
import { dimensionNames } from '../space/sampleParams.js';
import type { Observation } from './parzenEstimator.js';
import { ParzenEstimator } from './parzenEstimator.js';
import { sobolParams } from './sobolStrategy.js';
import type { Strategy, TrialSnapshot } from './strategy.js';
import { trialRng } from './trialRng.js';

type TpeSearch = Extract<StudySpec['search'], { strategy: 'tpe' }>;
type TpeSpec = Pick<StudySpec, 'space' | 'seed'> & { objective: { direction: Direction }; search: TpeSearch };

/** The params in dimension order, whatever order their keys were stored in. */
function paramsKey(params: Readonly<TrialParams>): string {
  const record = params as unknown as Readonly<Record<string, unknown>>;
  return JSON.stringify(dimensionNames.map((name) => record[name] ?? null));
}

/** The random stream of TPE's candidate draws (random search uses 0..8 per dimension). */
const candidateStream = 101;

/**
 * Multivariate TPE (Bergstra et al. 2011; Optuna's `TPESampler(multivariate=True,
 * constant_liar=True)`): after `startupTrials` scrambled Sobol points, finished trials are split
 * into the best `gamma(n) = min(ceil(n/10), 25)` and the rest; one Parzen estimator is fitted
 * jointly over all coordinates to each group, `candidates` points are drawn from the good one,
 * and the point with the highest good/bad density ratio is asked.
 *
 * Pruned trials rank after every complete one, by epochs reached and then by their last value,
 * so they teach the model what is bad without ever counting as complete. Running trials (asked
 * while others train, workers > 1) join the bad group: the constant-liar rule, which keeps
 * parallel asks from piling onto one point. Every ask is a pure function of (seed, history), so
 * a resumed study asks what a fresh run would have asked next. Unlike Optuna, it does not ask
 * again for a point already completed or running while a fresh one is among its candidates.
 */
export class TpeStrategy implements Strategy {
  readonly name = 'tpe';
  readonly plannedTrials: number;
  private readonly seed: number;
  private readonly dimensions: Dimension[];

  /** `prior`: a warm start's trials (core/strategies/warmStart.ts), fitted on but never counted. */
  constructor(private readonly spec: TpeSpec, private readonly prior: readonly TrialSnapshot[] = []) {
    this.plannedTrials = spec.search.trials;
    this.seed = spec.search.seed ?? spec.seed;
    this.dimensions = spaceDimensions(spec.space);
  }

  ask(history: readonly TrialSnapshot[]): TrialParams | null {
    const trial = history.length;
    if (trial >= this.plannedTrials) return null;
    const finished = [...this.prior, ...history].filter((t) => (t.state === 'complete' || t.state === 'pruned') && t.value !== null && Number.isFinite(t.value));
    if (finished.length < this.spec.search.startupTrials) return sobolParams(this.dimensions, trial, this.seed);

    const ranked = this.rank(finished);
    const goodCount = Math.min(Math.ceil(ranked.length / 10), 25);
    const running = this.spec.search.constantLiar ? history.filter((t) => t.state === 'running' || t.state === 'queued') : [];
    const good = new ParzenEstimator(this.dimensions, this.observations(ranked.slice(0, goodCount)));
    const bad = new ParzenEstimator(this.dimensions, this.observations([...ranked.slice(goodCount), ...running]));

    // In a discrete space a candidate can repeat a trial already run to the end (or running);
    // that teaches nothing new, so the best fresh candidate wins, drawing more if all repeat.
    // A pruned point may be asked again: it was stopped on a few noisy epochs, not measured.
    const seen = new Set([...this.prior, ...history].filter((t) => t.state !== 'pruned' && t.state !== 'failed').map((t) => paramsKey(t.params)));
    const rng = trialRng(this.seed, trial, candidateStream);
    let best: { params: TrialParams; score: number; isFresh: boolean } | null = null;
    const draws = this.spec.search.candidates;
    for (let k = 0; k < draws * 2 && (k < draws || !best?.isFresh); k += 1) {
      const params = paramsFromCoordinates(this.dimensions, good.sample(rng));
      const isFresh = !seen.has(paramsKey(params));
      const point = coordinatesOf(this.dimensions, params);
      const names = new Set(Object.keys(point));
      const score = good.logDensity(point, names) - bad.logDensity(point, names);
      if (!best || (isFresh && !best.isFresh) || (isFresh === best.isFresh && score > best.score)) best = { params, score, isFresh };
    }
    return best!.params;
  }

  /** Best first: complete by value, then pruned by epochs reached and last value. */
  private rank(finished: readonly TrialSnapshot[]): TrialSnapshot[] {
    const sign = this.spec.objective.direction === 'maximize' ? -1 : 1;
    const byValue = (a: TrialSnapshot, b: TrialSnapshot) => sign * (a.value! - b.value!) || a.number - b.number;
    const complete = finished.filter((t) => t.state === 'complete').sort(byValue);
    const pruned = finished.filter((t) => t.state === 'pruned').sort((a, b) => (b.epochsRun ?? 0) - (a.epochsRun ?? 0) || byValue(a, b));
    return [...complete, ...pruned];
  }

  /** Optuna's default weights: older trials count less once there are more than 25. */
  private observations(trials: readonly TrialSnapshot[]): Observation[] {
    const inOrder = [...trials].sort((a, b) => a.number - b.number);
    const ramp = Math.max(0, inOrder.length - 25);
    return inOrder.map((t, index) => ({
      coordinates: coordinatesOf(this.dimensions, t.params),
      weight: index < ramp ? (ramp === 1 ? 1 / inOrder.length : 1 / inOrder.length + ((1 - 1 / inOrder.length) * index) / (ramp - 1)) : 1,
    }));
  }
}
