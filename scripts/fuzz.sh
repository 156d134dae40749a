#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) in the instrumented build that scripts/sanitize.sh shares
# (scripts/instrumented_build.sh: the library is compiled once for both) and runs each on its seed
# corpus (fuzz/corpus/<harness>/) for a bounded time, two at a time on a 2-core machine.
#   scripts/fuzz.sh                                 30 s per harness
#   FUZZ_SECONDS=600 scripts/fuzz.sh fuzz_csv      one harness, longer
# A crash leaves its input in build/instrumented/findings/<harness>/ and fails the script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-30}
parallel=${FUZZ_JOBS:-$(nproc)}
build=${PARKSCORE_INSTRUMENTED_DIR:-$root/build/instrumented}
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(fuzz_csv fuzz_framework fuzz_expression fuzz_evaluate)

"$root/scripts/setup.sh"
"$root/scripts/instrumented_build.sh" "${harnesses[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run() {   # writes the harness's exit status to build/.../<harness>.rc
  local h=$1 work="$build/corpus/$1" findings="$build/findings/$1" rc=0
  mkdir -p "$work" "$findings"
  # New inputs go to build/; the committed seeds are read, never written.
  "$build/fuzz/$h" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$work" "$root/fuzz/corpus/$h" >"$build/$h.log" 2>&1 || rc=$?
  echo "$rc" >"$build/$h.rc"
}
for h in "${harnesses[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  run "$h" &
done
wait
status=0
for h in "${harnesses[@]}"; do
  if [[ $(cat "$build/$h.rc") != 0 ]]; then
    echo "$h: FAILED (log: $build/$h.log, input in $build/findings/$h/)"
    tail -n 40 "$build/$h.log"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$h.log" | grep -o '[0-9]*$' || echo '?')
  echo "$h: $runs executions in ${seconds} s"
done
exit $status
