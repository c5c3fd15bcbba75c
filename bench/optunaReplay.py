"""Optuna's side of the replay bench: multivariate TPE alone and TPE + Hyperband on the same
recorded curves our replay uses (a curves CSV from `tunebench export --format curves`).

Each param column becomes suggest_categorical over the values the grid recorded (the space our
replay gives its strategies); a trial reports its curve epoch by epoch and is pruned when the
pruner says so. Epochs are counted as one worker spends them, up to and including the first
epoch within the tolerance of the best value anywhere in the recording. Prints JSON.
Usage: python3 optunaReplay.py CURVES.csv METRIC DIRECTION SEEDS TOLERANCE
"""
import csv
import json
import statistics
import sys
from collections import defaultdict

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
PARAMS = ["optimizer", "learningRate", "batchSize", "lrSchedule", "momentum", "decayRate", "decaySteps", "decay", "minLrFraction"]


def load(path, metric):
    curves = defaultdict(dict)
    params = {}
    for row in csv.DictReader(open(path)):
        if row["metric"] != metric:
            continue
        curves[row["trial"]][int(row["epoch"])] = float(row["value"])
        params[row["trial"]] = tuple((name, row[name]) for name in PARAMS if row.get(name, "") != "")
    # Only params that vary are suggested (a default such as momentum 0.9 under one optimizer is not).
    varying = [name for name in PARAMS if len({dict(params[t]).get(name) for t in params} - {None}) > 1]
    return {tuple((name, dict(params[t]).get(name)) for name in varying): [curves[t][e] for e in sorted(curves[t])] for t in curves}


def replay(by_params, direction, seed, tolerance, pruned_by, budget):
    values = [v for curve in by_params.values() for v in curve]
    best = max(values) if direction == "maximize" else min(values)
    reaches = (lambda v: v >= best - tolerance * abs(best)) if direction == "maximize" else (lambda v: v <= best + tolerance * abs(best))
    names = [name for name, _ in next(iter(by_params))]
    choices = {name: sorted({dict(key)[name] for key in by_params if dict(key)[name] is not None}) for name in names}
    state = {"spent": 0, "reached": None}

    def objective(trial):
        key = tuple((name, trial.suggest_categorical(name, choices[name])) for name in names)
        curve = by_params.get(key)
        if curve is None:  # a combination the grid did not record (never for a full grid)
            raise optuna.TrialPruned()
        best_value = None
        for epoch, value in enumerate(curve):
            state["spent"] += 1
            if state["reached"] is None and reaches(value):
                state["reached"] = state["spent"]
                trial.study.stop()
            best_value = value if best_value is None else (max(best_value, value) if direction == "maximize" else min(best_value, value))
            trial.report(value, epoch)
            if state["reached"] is not None or state["spent"] >= budget:
                trial.study.stop()
                return best_value
            if epoch < len(curve) - 1 and trial.should_prune():
                raise optuna.TrialPruned()
        return best_value

    sampler = optuna.samplers.TPESampler(multivariate=True, seed=seed)
    pruner = optuna.pruners.HyperbandPruner(min_resource=1, reduction_factor=3) if pruned_by == "hyperband" else optuna.pruners.NopPruner()
    # A fixed name: Optuna assigns Hyperband brackets by hashing it with the trial number.
    study = optuna.create_study(study_name=f"replay-{seed}", direction=direction, sampler=sampler, pruner=pruner)
    study.optimize(objective, n_trials=100_000)
    return state["reached"]


def main():
    path, metric, direction, seeds, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    by_params = load(path, metric)
    budget = 2 * sum(len(curve) for curve in by_params.values())
    results = []
    for pruned_by in ["none", "hyperband"]:
        epochs = [replay(by_params, direction, seed, tolerance, pruned_by, budget) for seed in range(seeds)]
        reached = [e for e in epochs if e is not None]
        padded = sorted(e if e is not None else float("inf") for e in epochs)
        median = statistics.median(padded)
        results.append({"strategy": "optuna-tpe", "pruner": pruned_by, "seeds": seeds, "reached": len(reached), "median": None if median == float("inf") else median})
    print(json.dumps({"optuna": optuna.__version__, "results": results}))


main()
