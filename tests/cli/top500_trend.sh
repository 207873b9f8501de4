#!/usr/bin/env bash
# top500_trend.sh — --trend on the built-in table and on the list files: the
# same numbers, and a verdict computed from them.
set -euo pipefail
: "${SCALEWALL:?}" "${SW_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$SCALEWALL" top500 --trend >"$tmp/t.txt"
[ "$(grep -c '^20[0-9][0-9]-[0-9][0-9] ' "$tmp/t.txt")" -eq 19 ] || fail "19 lists"
tail -1 "$tmp/t.txt" | grep -Eq '^(Yes|No): across 19 lists \(2017-06\.\.2026-06\)' || fail "verdict"
"$SCALEWALL" top500 --trend --csv >"$tmp/t.csv"
head -1 "$tmp/t.csv" | grep -q '^list,k,first_name,first_serial_hpl,first_serial_hpcg,best_serial_hpl,' || fail "csv header"
# 2020-11: #1 Fugaku, 1-a = (537212/442010 - 1)/7630847 = 2.8226e-08
grep -Eq '^2020-11,10,Supercomputer Fugaku,2\.822[0-9]*e-08,4\.267[0-9]*e-06,' "$tmp/t.csv" || fail "2020-11 row"
"$SCALEWALL" top500 --trend --json | grep -q '"floor_visible": ' || fail "json verdict"
"$SCALEWALL" top500 "$SW_SOURCE_DIR/tests/data/top500_sample.csv" --trend | tail -1 | grep -q '^One list cannot show a trend' || fail "one list"

dir=${SW_SHARED_DIR:-}/data/top500
if [ -r "$dir/2017-06.csv" ]; then
  "$SCALEWALL" top500 --trend --csv "$dir"/20[12][0-9]-[01][0-9].csv >"$tmp/f.csv"
  diff "$tmp/t.csv" "$tmp/f.csv" || fail "files and built-in table differ"
fi
echo ok
