import { describe, expect, it } from 'vitest';
import { specWith } from '../../tests/support/specs.js';
import type { TrialState } from '../api/domain.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { RandomStrategy } from './randomStrategy.js';
import type { Strategy, TrialSnapshot } from './strategy.js';
import { TpeStrategy } from './tpeStrategy.js';

/** A 2-D space: learning rate on a log scale and momentum, everything else fixed. */
const space = { optimizer: 'momentum' as const, learningRate: { logUniform: [0.0001, 1] as [number, number] }, momentum: { uniform: [0, 1] as [number, number] }, batchSize: 32 };

/** Branin (minimum 0.397887) on x1 = log10(lr) mapped to [-5, 10] and x2 = momentum mapped to [0, 15]. */
function branin(params: TrialParams): number {
  const x1 = ((Math.log10(params.learningRate) + 4) / 4) * 15 - 5;
  const x2 = params.momentum! * 15;
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

function tpe(seed: number, trials: number, constantLiar = true): TpeStrategy {
  const spec = specWith(space, { strategy: 'tpe', trials, seed, startupTrials: 10 });
  return new TpeStrategy({ ...spec, search: { strategy: 'tpe', trials, seed, startupTrials: 10, candidates: 24, constantLiar } });
}

function random(seed: number, trials: number): RandomStrategy {
  return new RandomStrategy({ ...specWith(space, { strategy: 'random', trials, seed }), search: { strategy: 'random', trials, seed } });
}

const snapshot = (number: number, params: TrialParams, state: TrialState, value: number | null, epochsRun?: number): TrialSnapshot =>
  Object.freeze({ number, params, state, value, epochsRun });

/** Runs a strategy one trial at a time (workers 1) on a function; returns the history. */
function minimise(strategy: Strategy, objective: (params: TrialParams) => number): TrialSnapshot[] {
  const history: TrialSnapshot[] = [];
  for (let params = strategy.ask(history); params; params = strategy.ask(history)) {
    history.push(snapshot(history.length, params, 'complete', objective(params)));
  }
  return history;
}

const bestOf = (history: TrialSnapshot[]) => Math.min(...history.map((t) => t.value!));

describe('TpeStrategy', () => {
  it('beats random search on Branin at an equal budget over 40 fixed seeds (sign test)', () => {
    let wins = 0;
    const tpeGaps: number[] = [];
    const randomGaps: number[] = [];
    for (let seed = 0; seed < 40; seed += 1) {
      const [byTpe, byRandom] = [bestOf(minimise(tpe(seed, 60), branin)), bestOf(minimise(random(seed, 60), branin))];
      if (byTpe < byRandom) wins += 1;
      tpeGaps.push(byTpe - 0.397887);
      randomGaps.push(byRandom - 0.397887);
    }
    // If TPE were no better than random, wins ~ Binomial(40, 1/2) and P(wins >= 28) < 0.01.
    expect(wins).toBeGreaterThanOrEqual(28);
    const median = (values: number[]) => values.sort((a, b) => a - b)[20]!;
    expect(median(tpeGaps)).toBeLessThan(median(randomGaps) / 2);
  }, 60_000);

  it('is deterministic for a seed, and a fresh instance continues a stored history (resume)', () => {
    const history = minimise(tpe(4, 25), branin);
    expect(minimise(tpe(4, 25), branin)).toEqual(history);
    const resumed = tpe(4, 25);
    for (const k of [10, 17, 24]) expect(resumed.ask(history.slice(0, k))).toEqual(history[k]!.params);
  });

  it('never counts a pruned trial as complete, however good its last value', () => {
    const history = minimise(tpe(2, 15), branin);
    const best = history.reduce((a, b) => (a.value! < b.value! ? a : b));
    const pruned = (value: number) => [...history, snapshot(15, best.params, 'pruned', value, 1)];
    const strategy = tpe(2, 40);
    // As a pruned trial it ranks after every complete one whatever its value...
    expect(strategy.ask(pruned(-1000))).toEqual(strategy.ask(pruned(1000)));
    // ...unlike the same point completed with that value.
    expect(strategy.ask(pruned(-1000))).not.toEqual(strategy.ask([...history, snapshot(15, best.params, 'complete', -1000)]));
  });

  it('ranks pruned trials by the epochs they reached: the one that got furthest joins the good group', () => {
    // 2 complete and 28 pruned trials: the good group holds ceil(30/10) = 3, so one pruned trial.
    const history = minimise(tpe(3, 30), branin);
    const reaching = (far: number) => history.map((t) => (t.number < 2 ? t : snapshot(t.number, t.params, 'pruned', t.value, t.number === far ? 3 : 1)));
    const strategy = tpe(3, 40);
    expect(strategy.ask(reaching(20))).toEqual(strategy.ask(reaching(20)));
    expect(strategy.ask(reaching(20))).not.toEqual(strategy.ask(reaching(25)));
  });

  it('spreads parallel asks with the constant-liar rule', () => {
    const spread = (constantLiar: boolean) => {
      let total = 0;
      for (let seed = 0; seed < 20; seed += 1) {
        const history = minimise(tpe(seed, 20), branin);
        const strategy = tpe(seed, 30, constantLiar);
        const asked: TrialSnapshot[] = [...history];
        for (let k = 0; k < 4; k += 1) asked.push(snapshot(asked.length, strategy.ask(asked)!, 'running', null));
        const points = asked.slice(20).map((t) => [Math.log10(t.params.learningRate) / 4, t.params.momentum!]);
        let nearest = Infinity;
        for (let i = 0; i < points.length; i += 1) {
          for (let j = i + 1; j < points.length; j += 1) nearest = Math.min(nearest, Math.hypot(points[i]![0]! - points[j]![0]!, points[i]![1]! - points[j]![1]!));
        }
        total += nearest;
      }
      return total / 20;
    };
    expect(spread(true)).toBeGreaterThan(1.5 * spread(false));
  });

  it('handles categorical, integer and conditional parameters', () => {
    const spec: StudySpec = specWith(
      {
        optimizer: { choice: ['sgd', 'momentum', 'adam'] },
        learningRate: { logUniform: [0.001, 0.1] },
        batchSize: { intRange: [8, 100], powersOfTwo: false },
        lrSchedule: { choice: ['constant', 'step'] },
        momentum: { uniform: [0.5, 0.99] },
        decaySteps: { uniform: [2, 20] },
      },
      { strategy: 'tpe', trials: 40, seed: 1 },
    );
    const strategy = new TpeStrategy({ ...spec, search: { strategy: 'tpe', trials: 40, seed: 1, startupTrials: 8, candidates: 24, constantLiar: true } });
    // Adam with a step schedule is best: TPE should come to ask for it more than a third of the time.
    const history = minimise(strategy, (p) => (p.optimizer === 'adam' ? 0 : 1) + (p.lrSchedule === 'step' ? 0 : 1) + Math.abs(p.batchSize - 50) / 100);
    for (const t of history) {
      expect(Number.isInteger(t.params.batchSize)).toBe(true);
      expect('momentum' in t.params).toBe(t.params.optimizer === 'momentum');
      expect(Number.isInteger(t.params.decaySteps ?? 0)).toBe(true);
    }
    const late = history.slice(20);
    expect(late.filter((t) => t.params.optimizer === 'adam' && t.params.lrSchedule === 'step').length).toBeGreaterThan(late.length / 3);
  });
});
