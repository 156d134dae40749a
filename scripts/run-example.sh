#!/usr/bin/env bash
# The README's main job: set up, build, and score and rank the bundled example.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${PARKSCORE_BUILD_DIR:-$root/build/release}
"$build/examples/score_table" "$root/docs/examples/demo-framework.json" "$root/examples/data/demo.csv" level
