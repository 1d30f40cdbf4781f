#!/usr/bin/env bash
# The generator's time at another revision beside this working tree's, same machine, same run:
#   benchmarks/generator-compare.sh REV [ROUNDS]
# Checks REV out into a temporary worktree, copies this benchmark program into it (so both sides measure the same
# way), and runs the two builds alternately, twice each. The temporary worktree is removed on exit.
set -euo pipefail
rev=${1:?usage: benchmarks/generator-compare.sh REV [ROUNDS]}
rounds=${2:-15}
root=$(git rev-parse --show-toplevel)
other=$(mktemp -d /tmp/metricloss-gencmp.XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$other" >/dev/null 2>&1 || true; rm -rf "$other"; }
trap cleanup EXIT
git -C "$root" worktree add --detach "$other" "$rev" >/dev/null
rm -rf "$other/benchmarks/MetricLoss.GeneratorBenchmark"
cp -r "$root/benchmarks/MetricLoss.GeneratorBenchmark" "$other/benchmarks/"
rm -rf "$other/benchmarks/MetricLoss.GeneratorBenchmark/bin" "$other/benchmarks/MetricLoss.GeneratorBenchmark/obj"
for side in "$other" "$root"; do dotnet build -c Release -v q "$side/benchmarks/MetricLoss.GeneratorBenchmark" >/dev/null; done
for pass in 1 2; do
  for side in "$other" "$root"; do
    label=$([ "$side" = "$root" ] && echo "this tree" || echo "$rev")
    echo "== $label (pass $pass)"
    dotnet "$side/benchmarks/MetricLoss.GeneratorBenchmark/bin/Release/net10.0/MetricLoss.GeneratorBenchmark.dll" --rounds "$rounds" --root "$side"
  done
done
