#!/bin/sh
# Times scikit-learn and MetricLoss on the same million scores, back to back, and records the machine's load.
# From the repository root:  sh benchmarks/sklearn/run.sh
set -e
cd "$(dirname "$0")/../.."
echo "load before: $(cat /proc/loadavg)"
/usr/bin/python3 benchmarks/sklearn/time_sklearn.py
dotnet run -c Release --project benchmarks/sklearn/ExactVsSklearn
echo "load after:  $(cat /proc/loadavg)"
