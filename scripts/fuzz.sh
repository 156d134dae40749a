#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang into build/fuzz and runs each
# on its seed corpus (fuzz/corpus/<harness>/) for a bounded time.
#   scripts/fuzz.sh            30 s per harness
#   FUZZ_SECONDS=600 scripts/fuzz.sh fuzz_csv     one harness, longer
# A crash leaves its input in build/fuzz/findings/<harness>/ and fails the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
build=${PARKSCORE_FUZZ_BUILD_DIR:-$root/build/fuzz}
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(fuzz_csv fuzz_framework fuzz_expression fuzz_evaluate)

"$root/scripts/setup.sh"
# Warnings are errors in the gcc builds; clang's extra warnings must not fail the fuzzing step.
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARKSCORE_FUZZ=ON -DPARKSCORE_TESTS=OFF -DPARKSCORE_CLI=OFF -DPARKSCORE_PYTHON=OFF \
  -DPARKSCORE_EXAMPLES=OFF -DPARKSCORE_INSTALL=OFF -DPARKSCORE_WERROR=OFF ${PARKSCORE_FUZZ_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --target "${harnesses[@]}" -j "$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for h in "${harnesses[@]}"; do
  work="$build/corpus/$h" findings="$build/findings/$h"
  mkdir -p "$work" "$findings"
  # New inputs go to build/; the committed seeds are read, never written.
  if ! "$build/fuzz/$h" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$work" "$root/fuzz/corpus/$h" \
        >"$build/$h.log" 2>&1; then
    echo "$h: FAILED (log: $build/$h.log, input in $findings/)"
    tail -n 40 "$build/$h.log"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$h.log" | grep -o '[0-9]*$' || echo '?')
  echo "$h: $runs executions in ${seconds} s"
done
exit $status
