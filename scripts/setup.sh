#!/usr/bin/env bash
# Installs everything parkscore needs from Debian packages. Idempotent: packages
# already present are skipped, so a second run does not touch the network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libfmt-dev doctest-dev nlohmann-json3-dev libcli11-dev
  coinor-libclp-dev
  nettle-dev   # SHA-256 of the run manifest's input files
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest python3-matplotlib
  # reports: headless rendering test, CJK font for plots, .xlsx writer and its re-reading test
  chromium fonts-noto-cjk libxlsxwriter-dev python3-openpyxl
  clang-14 libclang-rt-14-dev   # scripts/fuzz.sh: libFuzzer harnesses
  python3-dask python3-distributed python3-tqdm
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  echo "Installing: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
