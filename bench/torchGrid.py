"""PyTorch's side of the CPU bench: the grid of bench/cpuBench.ts (sgd/adam x lr 0.01/0.1 x batch
16/32, MLP 64-128-4 relu, 3 epochs) through Optuna's GridSampler on one thread, as a user would
write it: standardize on the training rows, shuffle every epoch, validate every epoch.
Prints JSON: trials, per-step microseconds by optimizer, the best val_accuracy and the mean
milliseconds per trial-epoch (training + validation).
Usage: /usr/bin/python3 torchGrid.py DATA.csv
"""
import csv
import json
import sys
import time

import optuna
import torch

torch.set_num_threads(1)
optuna.logging.set_verbosity(optuna.logging.WARNING)
rows = list(csv.reader(open(sys.argv[1])))[1:]
x = torch.tensor([[float(v) for v in row[:-1]] for row in rows])
y = torch.tensor([int(row[-1]) for row in rows])
g = torch.Generator().manual_seed(5)
order = torch.randperm(len(rows), generator=g)
cut = int(len(rows) * 0.8)
train_x, train_y = x[order[:cut]], y[order[:cut]]
val_x, val_y = x[order[cut:]], y[order[cut:]]
mean, std = train_x.mean(0), train_x.std(0) + 1e-7
train_x, val_x = (train_x - mean) / std, (val_x - mean) / std
step_us = {"sgd": [], "adam": []}
epoch_ms = []  # per trial-epoch, training + validation (as the trainer's epoch_ms)


def objective(trial):
    name = trial.suggest_categorical("optimizer", ["sgd", "adam"])
    lr = trial.suggest_categorical("lr", [0.01, 0.1])
    batch = trial.suggest_categorical("batch", [16, 32])
    torch.manual_seed(trial.number)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 4))
    opt = (torch.optim.SGD if name == "sgd" else torch.optim.Adam)(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    acc = 0.0
    for epoch in range(3):
        started = time.perf_counter()
        perm = torch.randperm(cut)
        steps = 0
        for start in range(0, cut, batch):
            idx = perm[start:start + batch]
            opt.zero_grad()
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            loss.backward()
            opt.step()
            steps += 1
        step_us[name].append((time.perf_counter() - started) * 1e6 / steps)
        with torch.no_grad():
            out = model(val_x)
            acc = (out.argmax(1) == val_y).float().mean().item()
            trial.report(acc, epoch)
        epoch_ms.append((time.perf_counter() - started) * 1000)
    return acc


space = {"optimizer": ["sgd", "adam"], "lr": [0.01, 0.1], "batch": [16, 32]}
study = optuna.create_study(direction="maximize", sampler=optuna.samplers.GridSampler(space))
study.optimize(objective, n_trials=8)
median = lambda v: sorted(v)[len(v) // 2]
print(json.dumps({"trials": len(study.trials), "stepUs": {k: median(v) for k, v in step_us.items()}, "best": study.best_value, "epochMs": sum(epoch_ms) / len(epoch_ms)}))
