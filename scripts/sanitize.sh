#!/usr/bin/env bash
# The C++ tests, the CLI's pytest suite and the CLI cases of the bad-input catalogue
# (tests/bad_inputs) under AddressSanitizer + UndefinedBehaviorSanitizer, with leak detection.
# Builds only what it runs (the library, parkscore_tests, the CLI) in the instrumented build that
# scripts/fuzz.sh shares (scripts/instrumented_build.sh), and runs the doctest suite and the
# pytest suites side by side, one per core. A sanitizer report aborts the program and fails the
# script; the logs are build/instrumented/sanitize-*.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PARKSCORE_INSTRUMENTED_DIR:-$root/build/instrumented}
"$root/scripts/setup.sh"
"$root/scripts/instrumented_build.sh" parkscore_tests parkscore_cli
cd "$root"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$build/tests/parkscore_tests" >"$build/sanitize-cpp.log" 2>&1 &
cpp=$!
PARKSCORE_BIN="$build/cli/parkscore" PARKSCORE_SOURCE_DIR="$root" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/cli tests/bad_inputs -k "not test_python_case" \
  >"$build/sanitize-cli.log" 2>&1 &
cli=$!
status=0
for job in "cpp:$cpp" "cli:$cli"; do
  if ! wait "${job#*:}"; then
    echo "sanitize: the ${job%%:*} suite failed (log: $build/sanitize-${job%%:*}.log)"
    tail -n 60 "$build/sanitize-${job%%:*}.log"
    status=1
  else
    tail -n 3 "$build/sanitize-${job%%:*}.log"
  fi
done
exit $status
