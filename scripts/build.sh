#!/usr/bin/env bash
# Configures and builds parkscore (Release, tests and Python bindings on) into build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PARKSCORE_BUILD_DIR:-$root/build/release}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPARKSCORE_WERROR="${PARKSCORE_WERROR:-OFF}" -DPARKSCORE_PYTHON=ON \
  -DPython_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
