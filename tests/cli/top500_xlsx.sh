#!/usr/bin/env bash
# top500_xlsx.sh — the official .xlsx exports and the CSVs made from them give
# identical output, in every format.
set -euo pipefail
: "${SCALEWALL:?}"
dir=${SW_SHARED_DIR:-}/data/top500
[ -r "$dir/xlsx/TOP500_202011.xlsx" ] || { echo "skip: $dir/xlsx not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pair in 2020-11:202011 2026-06:202606; do
  ed=${pair%%:*} x=${pair##*:}
  for fmt in "" --json; do
    # shellcheck disable=SC2086
    "$SCALEWALL" top500 "$dir/$ed.csv" --top 0 $fmt >"$tmp/csv.out"
    # shellcheck disable=SC2086
    "$SCALEWALL" top500 "$dir/xlsx/TOP500_$x.xlsx" --top 0 $fmt >"$tmp/xlsx.out"
    [ "$(wc -l <"$tmp/csv.out")" -gt 500 ] || { echo "FAIL: short output $ed $fmt"; exit 1; }
    diff "$tmp/csv.out" "$tmp/xlsx.out" >"$tmp/diff" ||
      { echo "FAIL: $ed ${fmt:-table} differs"; head "$tmp/diff"; exit 1; }
  done
done
echo ok
