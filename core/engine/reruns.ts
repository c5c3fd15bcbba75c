import type { Study, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { paramsKey } from '../api/seedStats.js';
import type { StudySpec, TrialParams } from '../api/spec.js';

type RerunPlan = NonNullable<StudySpec['reruns']>;

/**
 * Re-runs are new trials of the same study, not a linked study: the leaderboard groups them with
 * their source by params, a finished study needs no second name, and a resume runs the ones not
 * yet trained. The plan lives in the study's spec (`reruns`), so no schema change is needed: a
 * trial is a re-run of source S exactly when it has S's params and one of S's planned seeds.
 */

/** The k-th re-run seed of a source trial: mixed apart from `trialSeed`'s stream by its own constant. */
export function rerunSeed(studySeed: number, sourceNumber: number, k: number): number {
  let mixed = Math.imul((studySeed ^ 0x5bd1e995) >>> 0, 0x27d4eb2d) ^ Math.imul(sourceNumber + 1, 0x165667b1);
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  return ((mixed ^ (mixed >>> 13)) >>> 0) & 0x7fffffff;
}

/** Trial ids that are planned re-runs (any attempt), so the strategy never sees them in its history. */
export function rerunTrialIds(spec: StudySpec, trials: readonly Trial[]): Set<number> {
  const ids = new Set<number>();
  for (const { trial: number, seeds } of spec.reruns ?? []) {
    const source = trials.find((t) => t.number === number);
    if (!source) continue;
    const key = paramsKey(source.params);
    const wanted = new Set(seeds);
    for (const t of trials) if (t.id !== source.id && wanted.has(t.seed) && paramsKey(t.params) === key) ids.add(t.id);
  }
  return ids;
}

/** Planned re-runs with no trial yet, in plan order. */
export function pendingReruns(spec: StudySpec, trials: readonly Trial[]): { params: TrialParams; seed: number }[] {
  const pending: { params: TrialParams; seed: number }[] = [];
  for (const { trial: number, seeds } of spec.reruns ?? []) {
    const source = trials.find((t) => t.number === number);
    if (!source) continue;
    const key = paramsKey(source.params);
    for (const seed of seeds) {
      const exists = trials.some((t) => t.id !== source.id && t.seed === seed && paramsKey(t.params) === key);
      if (!exists) pending.push({ params: source.params, seed });
    }
  }
  return pending;
}

/** The study's spec with N more seeds for each source, continuing each source's seed sequence. */
export function planReruns(study: Study, sources: readonly Trial[], seeds: number): { spec: StudySpec; added: number } {
  const plan: RerunPlan = (study.spec.reruns ?? []).map((entry) => ({ ...entry, seeds: [...entry.seeds] }));
  for (const source of sources) {
    if (source.state !== 'complete') {
      throw new TunebenchError('ARGUMENT_INVALID', `trial #${source.number} is ${source.state}: only a complete trial can be re-run with another seed`, [{ where: 'trial', message: source.state }]);
    }
    let entry = plan.find((e) => e.trial === source.number);
    if (!entry) {
      entry = { trial: source.number, seeds: [] };
      plan.push(entry);
    }
    const taken = new Set([source.seed, ...entry.seeds]);
    for (let k = entry.seeds.length, made = 0; made < seeds; k += 1) {
      const seed = rerunSeed(study.spec.seed, source.number, k);
      if (taken.has(seed)) continue;
      taken.add(seed);
      entry.seeds.push(seed);
      made += 1;
    }
  }
  return { spec: { ...study.spec, reruns: plan }, added: sources.length * seeds };
}
