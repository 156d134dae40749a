#!/usr/bin/env bash
# The README's test command: set up, build, and run every test (C++, CLI, Python, consumers).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
ctest --test-dir "${PARKSCORE_BUILD_DIR:-$root/build/release}" -j 2 --output-on-failure
