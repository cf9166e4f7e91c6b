"""Optuna's cost per trial, for comparison with `mselab bench dispatch`: the anchor of the dispatch figures.

Runs N trials whose objective returns at once (it samples one hyperparameter, as a sweep cell has one) through
Optuna's own orchestration: the study's storage (SQLite file, or PostgreSQL) records every trial, its parameters,
state and value. --workers K runs K processes on one study, Optuna's distributed mode (each process asks the storage
for its next trial), as K lab workers share one store. RandomSampler, the cheapest sampler (TPE costs more per trial as
the study grows), so the figure is the most favourable to Optuna. Prints one JSON object.
Uses Debian's python3-optuna (3.1) and, for PostgreSQL, python3-psycopg2.
"""
import argparse
import json
import logging
import multiprocessing
import time

import optuna


def objective(trial):
    return trial.suggest_float("lr", 1e-5, 1e-2, log=True)


def work(storage, study_name, trials, start_barrier):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    start_barrier.wait()
    study.optimize(objective, n_trials=trials)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--storage", required=True, help="SQLAlchemy URL: sqlite:///file.db or postgresql+psycopg2://user:pw@host:port/db")
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    name = f"dispatch-{int(time.time() * 1000)}"
    optuna.create_study(study_name=name, storage=args.storage, sampler=optuna.samplers.RandomSampler(seed=0))

    per_worker = [args.trials // args.workers + (1 if w < args.trials % args.workers else 0) for w in range(args.workers)]
    barrier = multiprocessing.Barrier(args.workers + 1)
    processes = [multiprocessing.Process(target=work, args=(args.storage, name, n, barrier)) for n in per_worker]
    for p in processes:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    for p in processes:
        p.join()
    seconds = time.perf_counter() - start

    done = sum(1 for t in optuna.load_study(study_name=name, storage=args.storage).trials if t.state == optuna.trial.TrialState.COMPLETE)
    print(json.dumps({
        "optuna": optuna.__version__,
        "storage": args.storage.split(":", 1)[0],
        "workers": args.workers,
        "trials": args.trials,
        "completed": done,
        "seconds": seconds,
        "trials_per_s": args.trials / seconds,
    }))


if __name__ == "__main__":
    main()
