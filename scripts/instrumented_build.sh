#!/usr/bin/env bash
# The one instrumented build that scripts/sanitize.sh and scripts/fuzz.sh share: clang 14 with
# AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer's coverage hooks on every object
# (-DPARKSCORE_FUZZ=ON), so the library is compiled once for the C++ and CLI suites and the four
# harnesses alike. -O1 with line tables and assertions on: Eigen's expression templates need the
# inliner to run the suites at a usable speed, line tables are what a sanitizer stack shows, and
# full debug information would cost compile time for nothing. For the same reason the library is a
# unity build (sixteen sources per compiler run) and the test program precompiles its third-party
# headers (docs/reliability.md, CI budget).
#   scripts/instrumented_build.sh TARGET...     configure build/instrumented, build the targets
# PARKSCORE_INSTRUMENTED_DIR moves the build; PARKSCORE_INSTRUMENTED_CMAKE_ARGS adds cache
# options (for example -DCMAKE_CXX_COMPILER_LAUNCHER=ccache).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PARKSCORE_INSTRUMENTED_DIR:-$root/build/instrumented}
# Warnings are errors in the gcc release build; clang's extra warnings must not fail these steps.
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" \
  -DPARKSCORE_FUZZ=ON -DPARKSCORE_UNITY_LIBRARY=ON -DPARKSCORE_PCH_TESTS=ON \
  -DPARKSCORE_TESTS=ON -DPARKSCORE_CLI=ON -DPARKSCORE_PYTHON=OFF \
  -DPARKSCORE_EXAMPLES=OFF -DPARKSCORE_INSTALL=OFF -DPARKSCORE_WERROR=OFF \
  ${PARKSCORE_INSTRUMENTED_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --target "$@" -j "${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
