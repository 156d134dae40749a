#!/usr/bin/env bash
# Builds the C++ tests and the CLI with AddressSanitizer + UndefinedBehaviorSanitizer (the
# `sanitize` preset) and runs them, with the CLI's pytest suite and the CLI cases of the
# bad-input catalogue (tests/bad_inputs) on the instrumented binary. Only the library, the
# test program and the CLI are built: no Python bindings, no consumer projects.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cd "$root"
cmake --preset sanitize -DPARKSCORE_PYTHON=OFF >/dev/null
cmake --build build/sanitize --target parkscore_tests parkscore_cli -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/sanitize/tests/parkscore_tests
PARKSCORE_BIN="$root/build/sanitize/cli/parkscore" PARKSCORE_SOURCE_DIR="$root" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/cli tests/bad_inputs -k "not test_python_case"
