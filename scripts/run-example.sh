#!/usr/bin/env bash
# The README's main job: set up, build, then score and rank the bundled Jiangsu example
# (synthetic data, three data years) with the jiangsu-2021 preset: the provincial ranking of the
# latest year with rank changes, disqualified zones and the delisting watch; the full result of
# every year goes to out/jiangsu-result.csv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
build=${PARKSCORE_BUILD_DIR:-$root/build/release}
mkdir -p "$root/out"
"$build/examples/jiangsu_ranking" "$root/examples/data" "$root/out/jiangsu-result.csv"
