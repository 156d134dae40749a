#!/usr/bin/env bash
# Builds the benchmarks and runs them against the numpy reference (../shared/peers/reference.py)
# in the same run, each size in a fresh process so peak memory is per size.
#   scripts/bench.sh [SIZES...]      (default: 91 10000 100000 1000000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PARKSCORE_BUILD_DIR:-$root/build/release}
reference=${PARKSCORE_REFERENCE:-$root/../shared/peers/reference.py}
"$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARKSCORE_BENCH=ON >/dev/null
cmake --build "$build" --target bench_engine
sizes=("$@")
((${#sizes[@]})) || sizes=(91 10000 100000 1000000)
for n in "${sizes[@]}"; do
  "$build/bench/bench_engine" --N "$n" --M 32 --threads 2 --reference "$reference"
done
