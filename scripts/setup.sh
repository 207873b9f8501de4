#!/usr/bin/env bash
# Installs every Debian 12 package that scalewall's build, tests, benchmarks and
# report need. Idempotent: packages already present are skipped by apt-get, and
# apt-get update runs only when a package is missing.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config git zip unzip
  libcmocka-dev            # unit tests
  libgsl-dev               # fitting, statistics
  libjansson-dev           # JSON
  libzip-dev libxml2-dev   # .xlsx reader
  libcairo2-dev            # plots (PNG, SVG)
  openmpi-bin libopenmpi-dev
  libopenblas-dev liblapacke-dev libscalapack-openmpi-dev
  hpcc                     # peer for bench/ (HPL, STREAM)
  libsimgrid-dev           # simulated platforms (SMPI)
  clang libclang-rt-14-dev llvm   # libFuzzer targets (scripts/fuzz.sh), llvm-symbolizer
  chromium                 # report test (headless)
  fonts-dejavu-core
  python3
  man-db                   # the install test reads the installed man pages
  munge slurmctld slurmd slurm-client iproute2 util-linux   # the emulated-cluster test (tests/cluster)
  gdb                      # the backtrace of a rank that crashed in a CI test (tests/cluster)
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
