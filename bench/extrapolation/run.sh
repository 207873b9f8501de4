#!/usr/bin/env bash
# run.sh — the extrapolation bench (bench/run.sh calls it): scalewall, Extra-P
# 4.2.5 and Karp–Flatt fitted on the corpus's N <= 32, then on N <= 64, each
# asked for N = 256 and 1024, in one run.  Tables on stdout; CSV and markdown
# in BUILD_DIR/extrapolation/n32 and n64.
#
#   bench/extrapolation/run.sh [BUILD_DIR] [extrapolate.py options, e.g. --half holdout]
#
# Exit 77 (skipped) when the corpus has not been generated (generate.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-build}
shift || true
[ -s "$here/corpus.csv" ] || { echo "run.sh: no corpus.csv (bench/extrapolation/generate.sh)"; exit 77; }
for f in 32 64; do
  echo "== extrapolation: fit N <= $f"
  python3 "$here/extrapolate.py" --scalewall "$dir/scalewall" --fit-max-n $f \
    --out "$dir/extrapolation/n$f" "$@"
done
