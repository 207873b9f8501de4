#!/usr/bin/env bash
# top500_hpcg.sh — the check: on the top 10 of 2020-11, 1-alpha under
# HPCG is two to three orders of magnitude above HPL's for the same machines,
# and the figures agree with hand computation.
set -euo pipefail
: "${SCALEWALL:?}"
list=${SW_SHARED_DIR:-}/data/top500/2020-11.csv
[ -r "$list" ] || { echo "skip: $list not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$SCALEWALL" top500 "$list" --top 10 >"$tmp/table.txt"
grep -q '^TOP500 2020-11: 10 of 500 systems shown' "$tmp/table.txt" || fail "title"
# The reading line states the median ratio in orders of magnitude: 2.x
orders=$(sed -n "s/.*HPCG's 1-a is \([0-9.]*\) orders of magnitude above.*/\1/p" "$tmp/table.txt")
awk -v o="$orders" 'BEGIN { exit !(o >= 2 && o < 3) }' || fail "orders of magnitude: '$orders'"
# Fugaku's row: E_HPL 442010/537212 = 0.8228, 1-a 2.82e-08, E_HPCG 0.0298, 1-a 4.27e-06, ratio 151
grep -Eq '^ +1  Supercomputer Fugaku +7630848 +0\.8228 +2\.82e-08 +0\.0298 +4\.27e-06 +151 ' \
  "$tmp/table.txt" || fail "Fugaku row"

"$SCALEWALL" top500 "$list" --top 10 --csv >"$tmp/top10.csv"
# Per machine with both figures, from the CSV fields (by name, not position).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  {
    n = $col["cores"]; rmax = $col["rmax_tflops"]; rpeak = $col["rpeak_tflops"]; h = $col["hpcg_tflops"]
    # hand formula, independent of the program: (rpeak/rmax - 1)/(n - 1)
    s = (rpeak / rmax - 1) / (n - 1)
    if (s / $col["serial_hpl"] - 1 > 1e-6 || s / $col["serial_hpl"] - 1 < -1e-6) { print "serial_hpl " $2; bad = 1 }
    if (h == "") next
    sh = (rpeak / h - 1) / (n - 1)
    r = sh / s
    both++
    if (r >= 100 && r <= 1000) inband++
    if (r < 10 || r > 1000) { print "ratio " $2 " " r; bad = 1 }
  }
  END { if (both < 8 || inband < 6) { print "in band " inband " of " both; bad = 1 }; exit bad }' \
  "$tmp/top10.csv" || fail "HPCG/HPL ratios"
# Summit: (200794.88/148600 - 1)/2414591 = 1.455e-07; HPCG (200794.88/2925.75 - 1)/2414591 = 2.801e-05
grep -Eq '^2020-11,2,Summit,.*,1\.45467[0-9]*e-07,' "$tmp/top10.csv" || fail "Summit serial_hpl"
grep -Eq '^2020-11,2,Summit,.*,2\.80089[0-9]*e-05,' "$tmp/top10.csv" || fail "Summit serial_hpcg"
echo ok
