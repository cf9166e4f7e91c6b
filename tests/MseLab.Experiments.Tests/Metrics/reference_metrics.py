#!/usr/bin/python3
"""Independent reference for MseLab's task metrics (spec section 4), built on numpy and scikit-learn.

Usage: reference_metrics.py TASK FILE.csv [TASK FILE.csv ...]
Each FILE has a header with columns truth,prediction. Prints one JSON object mapping each FILE to its metrics
(fractions, keys as MseLab's TaskMetrics). Non-finite values are written as the strings "NaN", "Infinity",
"-Infinity"; an input the reference refuses gives {"error": "..."}.
"""
import csv
import json
import math
import sys

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, r2_score


def read(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    truth = np.array([float(r["truth"]) for r in rows], dtype=np.float32)
    pred = np.array([float(r["prediction"]) for r in rows], dtype=np.float32)
    return truth, pred


def rounded_acc(pred, truth, limit):
    # Clip, then numpy's round (half to even), then compare; all on float32 arrays.
    p = np.round(np.clip(pred, -limit, limit))
    t = np.round(np.clip(truth, -limit, limit))
    return float(np.mean(p == t))


def mosei(truth, pred):
    out = {}
    has_t = truth >= 0
    has_p = pred >= 0
    out["has0_acc2"] = accuracy_score(has_t, has_p)
    out["has0_f1"] = f1_score(has_t, has_p, average="weighted")
    keep = truth != 0
    if keep.any():
        non_t = truth[keep] > 0
        non_p = pred[keep] > 0
        out["non0_acc2"] = accuracy_score(non_t, non_p)
        out["non0_f1"] = f1_score(non_t, non_p, average="weighted")
    else:
        # Every truth is zero: no sample to score (MseLab reports NaN).
        out["non0_acc2"] = float("nan")
        out["non0_f1"] = float("nan")
    out["acc5"] = rounded_acc(pred, truth, 2.0)
    out["acc7"] = rounded_acc(pred, truth, 3.0)
    with np.errstate(all="ignore"):
        out["mae"] = float(np.mean(np.abs(pred - truth)))
        out["corr"] = float(np.corrcoef(pred, truth)[0, 1])
    return out


def bins(values, edges):
    # Half-open (low, high]; numpy compares a float32 array with a Python float in float32.
    labels = np.full(values.shape, -1, dtype=np.int64)
    for index in range(len(edges) - 1):
        inside = (values > edges[index]) & (values <= edges[index + 1])
        labels[inside] = index
    return labels


def sims(truth, pred):
    t = np.clip(truth, -1.0, 1.0)
    p = np.clip(pred, -1.0, 1.0)
    two = [-1.01, 0.0, 1.01]
    three = [-1.01, -0.1, 0.1, 1.01]
    five = [-1.01, -0.7, -0.1, 0.1, 0.7, 1.01]
    t2, p2 = bins(t, two), bins(p, two)
    weak = (t >= -0.4) & (t <= 0.4)
    out = {}
    out["acc2"] = accuracy_score(t2, p2)
    out["acc2_weak"] = accuracy_score(t2[weak], p2[weak]) if weak.any() else float("nan")
    out["acc3"] = accuracy_score(bins(t, three), bins(p, three))
    out["acc5"] = accuracy_score(bins(t, five), bins(p, five))
    out["f1"] = f1_score(t2, p2, average="weighted")
    with np.errstate(all="ignore"):
        out["mae"] = float(np.mean(np.abs(p - t)))
        out["corr"] = float(np.corrcoef(p, t)[0, 1])
    out["r2"] = r2_score(t, p) if len(t) >= 2 else float("nan")
    return out


def classification(truth, pred):
    # Truths are class indices (ints), predictions parsed floats, as in the MSE-Adapter loop.
    t = [int(v) for v in truth]
    p = [float(v) for v in pred]
    return {"acc": accuracy_score(t, p), "weighted_f1": f1_score(t, p, average="weighted")}


TASKS = {"mosi": mosei, "mosei": mosei, "sims": sims, "simsv2": sims, "meld": classification, "cherma": classification}


def encode(value):
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def main(argv):
    if len(argv) % 2 != 0 or not argv:
        sys.exit("usage: reference_metrics.py TASK FILE.csv [TASK FILE.csv ...]")
    results = {}
    for task, path in zip(argv[0::2], argv[1::2]):
        truth, pred = read(path)
        try:
            metrics = TASKS[task](truth, pred)
            results[path] = {key: encode(value) for key, value in metrics.items()}
        except ValueError as error:
            results[path] = {"error": str(error)}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
