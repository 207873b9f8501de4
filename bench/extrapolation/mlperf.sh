#!/usr/bin/env bash
# mlperf.sh — the MLPerf Training bench (bench/run.sh calls it): every series of
# ../shared/data/mlperf with >= 5 sizes, fitted on its 4 smallest by scalewall,
# Karp–Flatt and Extra-P, asked for its largest.  Table on stdout; CSV and
# markdown in BUILD_DIR/mlperf.  Exit 77 (skipped) without ../shared.
#
#   bench/extrapolation/mlperf.sh [BUILD_DIR] [mlperf.py options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-build}
shift || true
echo "== MLPerf Training: fit the 4 smallest sizes, predict the largest"
exec python3 "$here/mlperf.py" --scalewall "$dir/scalewall" --out "$dir/mlperf" "$@"
