#!/usr/bin/python3
# time_sklearn.py - scikit-learn's roc_auc_score and average_precision_score on one million scores,
# and the same data written out for the C# side (ExactVsSklearn) to time MetricLoss's exact kernels on.
#
# Data: N = 1,000,000, numpy RandomState(20240601); labels ~10% positive; scores = randn + label,
# rounded to 3 decimals (so about 8,000 distinct values: heavy ties). float64.
#
# Writes, under benchmarks/sklearn/data/ (git-ignored):
#   scores.f64    N float64, raw little-endian
#   labels.u8     N uint8 (0/1)
#   sklearn.json  N, seed, versions, both values and every timing (seconds)
#
# Run from the repository root with Debian's Python (apt-get install -y python3-sklearn):
#   /usr/bin/python3 benchmarks/sklearn/time_sklearn.py
import json
import os
import platform
import sys
import time

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

N = 1_000_000
SEED = 20240601
REPEATS = 5

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def best_of(fn, repeats=REPEATS):
    fn()  # warm-up
    times = []
    value = None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return value, min(times), times


def main():
    rng = np.random.RandomState(SEED)
    label = (rng.rand(N) < 0.1).astype(np.uint8)
    score = np.round(rng.randn(N) + label, 3).astype(np.float64)

    os.makedirs(DATA, exist_ok=True)
    score.astype("<f8").tofile(os.path.join(DATA, "scores.f64"))
    label.tofile(os.path.join(DATA, "labels.u8"))

    auc, auc_best, auc_times = best_of(lambda: roc_auc_score(label, score))
    ap, ap_best, ap_times = best_of(lambda: average_precision_score(label, score))

    result = {
        "n": N, "seed": SEED, "positives": int(label.sum()), "distinct_scores": int(np.unique(score).size),
        "sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
        "python": sys.version.split()[0], "machine": platform.machine(),
        "roc_auc": float(auc), "average_precision": float(ap),
        "roc_auc_seconds": auc_best, "roc_auc_all_seconds": auc_times,
        "average_precision_seconds": ap_best, "average_precision_all_seconds": ap_times,
    }
    with open(os.path.join(DATA, "sklearn.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; N = {N:,}, {result['positives']:,} positives, "
          f"{result['distinct_scores']:,} distinct scores")
    print(f"roc_auc_score            = {auc:.15f}   best of {REPEATS}: {auc_best * 1e3:8.1f} ms")
    print(f"average_precision_score  = {ap:.15f}   best of {REPEATS}: {ap_best * 1e3:8.1f} ms")
    print(f"data written to {DATA}")


if __name__ == "__main__":
    main()
