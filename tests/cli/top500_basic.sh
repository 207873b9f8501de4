#!/usr/bin/env bash
# top500_basic.sh — `scalewall top500` on the built-in table and a small
# sample: the first screen, the options, the machine-readable fields.
set -euo pipefail
: "${SCALEWALL:?}" "${SW_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sample=$SW_SOURCE_DIR/tests/data/top500_sample.csv
fail() { echo "FAIL: $*" >&2; exit 1; }

"$SCALEWALL" top500 --help | grep -q 'usage: scalewall top500' || fail "--help"

# The first screen works without any data file.
"$SCALEWALL" top500 >"$tmp/first.txt"
grep -q '^TOP500 2026-06: 10 of 500 systems shown (built-in table' "$tmp/first.txt" || fail "title"
grep -q 'orders of magnitude above HPL' "$tmp/first.txt" || fail "reading"
grep -A1 'Is the wall already reached' "$tmp/first.txt" | grep -Eq '^  (Yes|No): across 19 lists' || fail "verdict on the first screen"
[ "$(grep -c '^ *[0-9]\+  ' "$tmp/first.txt")" -eq 10 ] || fail "10 rows"
"$SCALEWALL" >"$tmp/noarg.txt" || fail "scalewall without arguments"
[ -s "$tmp/noarg.txt" ] || fail "no-argument output is empty"

"$SCALEWALL" top500 --fields | grep -q '^  serial_hpcg ' || fail "--fields"

# CSV: the documented header, one row per system.
"$SCALEWALL" top500 "$sample" --csv >"$tmp/s.csv"
want='list,rank,name,cores,accel_cores,rmax_tflops,rpeak_tflops,hpcg_tflops,power_kw,r1_tflops,e_hpl,serial_hpl,max_gain_hpl,wall_hpl_tflops,dark_hpl_tflops,e_hpcg,serial_hpcg,max_gain_hpcg,wall_hpcg_tflops,dark_hpcg_tflops,serial_ratio,flags'
[ "$(head -1 "$tmp/s.csv")" = "$want" ] || fail "csv header: $(head -1 "$tmp/s.csv")"
[ "$(wc -l <"$tmp/s.csv")" -eq 15 ] || fail "csv rows"
grep -q '^2019-11,244,.*,rmax_gt_rpeak$' "$tmp/s.csv" || fail "flag rmax_gt_rpeak"
grep -q '^2018-11,401,Palmetto2,.*,accel_gt_cores$' "$tmp/s.csv" || fail "flag accel_gt_cores"

# JSON: stable names.
"$SCALEWALL" top500 "$sample" --json >"$tmp/s.json"
for k in rank name cores e_hpl serial_hpl e_hpcg serial_hpcg wall_hpl_tflops wall_hpcg_tflops flags; do
  grep -q "\"$k\":" "$tmp/s.json" || fail "json lacks $k"
done
grep -q '"format": "scalewall-top500"' "$tmp/s.json" || fail "json format"

# --sort descending with --top: the three lowest E_HPL, lowest first -> Palmetto2 (0.340),
# Dammam-7 (22400/55423.56 = 0.404), Frontera (23516.4/38745.907 = 0.607).
"$SCALEWALL" top500 "$sample" --sort e_hpl --top 3 --csv | cut -d, -f2 | tail -n +2 | tr '\n' ' ' >"$tmp/o"
[ "$(cat "$tmp/o")" = "401 10 9 " ] || fail "sort e_hpl: $(cat "$tmp/o")"
"$SCALEWALL" top500 "$sample" --sort -rpeak_tflops --top 2 --csv | cut -d, -f2 | tail -n +2 | tr '\n' ' ' >"$tmp/o"
[ "$(cat "$tmp/o")" = "1 2 " ] || fail "sort -rpeak: $(cat "$tmp/o")"

# --hpcg-only drops the systems without HPCG (Tianhe-2A, Frontera and the two bad rows).
[ "$("$SCALEWALL" top500 "$sample" --hpcg-only --csv | tail -n +2 | wc -l)" -eq 10 ] || fail "--hpcg-only"

# --output writes the file, nothing on stdout.
"$SCALEWALL" top500 "$sample" --csv --output "$tmp/out.csv" >"$tmp/stdout"
[ ! -s "$tmp/stdout" ] || fail "--output printed"
cmp -s "$tmp/out.csv" "$tmp/s.csv" || fail "--output content"

# --obs: one observation per system with N, Rmax, Rpeak (n,value,peak columns).
"$SCALEWALL" top500 "$sample" --obs --top 0 >"$tmp/s.obs"
head -1 "$tmp/s.obs" | grep -q '^workload,params,quantity,unit,scaling,simulated,n,threads,rep,value,peak,ok,' || fail "--obs header"
grep -q '^top500,,rate,TFlop/s,weak,0,7630848,1,0,442010,537212,1,0,Supercomputer Fugaku,' "$tmp/s.obs" || fail "--obs Fugaku"
[ "$(tail -n +2 "$tmp/s.obs" | wc -l)" -eq 14 ] || fail "--obs rows"

# Usage errors exit 2.
for args in "--sort nope" "--top -1" "--top x" "$sample $sample" "--trend --mxp" "--k 0 --mxp" "--bogus" "--trend --top 20" "--obs --trend"; do
  set +e
  # shellcheck disable=SC2086
  "$SCALEWALL" top500 $args >/dev/null 2>"$tmp/err"
  rc=$?
  set -e
  [ $rc -eq 2 ] || fail "'$args' exit $rc, want 2"
done
echo ok
