#!/usr/bin/env bash
# top500_mxp.sh — HPL-MxP against the faster-payload what-if: model.md's two
# checks (Summit k=16 ~485 PF predicted vs 445 PF; Fugaku underestimated
# 1.3-1.7x with A64FX's k=4) and files == built-in table.
set -euo pipefail
: "${SCALEWALL:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
field() { # field FILE LIST NAME COLUMN
  awk -F, -v l="$2" -v n="$3" -v c="$4" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == l && $2 == n { print $col[c]; exit }' "$1"
}

"$SCALEWALL" top500 --mxp --csv >"$tmp/k16.csv"
[ "$(tail -n +2 "$tmp/k16.csv" | wc -l)" -eq 266 ] || fail "266 rows"
# Summit 2019-11: s = 1.45467e-7, N = 2414592; s' = 16s/(1+15s) = 2.32747e-6;
# E' = 1/(N s' + 1 - s') = 0.151060; R'/R = 16 E'/0.740059 = 3.2659; 0.148 x 3.2659 = 0.48335 EF
p=$(field "$tmp/k16.csv" 2019-11 Summit predicted_eflops)
awk -v p="$p" 'BEGIN { exit !(p > 0.4833 && p < 0.4834) }' || fail "Summit predicted $p"
[ "$(field "$tmp/k16.csv" 2019-11 Summit verdict)" = fits ] || fail "Summit verdict"

"$SCALEWALL" top500 --mxp --k 4 --csv >"$tmp/k4.csv"
for l in 2020-06:1.3:1.4 2020-11:1.7:1.8; do
  IFS=: read -r ed lo hi <<<"$l"
  q=$(field "$tmp/k4.csv" "$ed" Fugaku measured_over_predicted)
  awk -v q="$q" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(q > lo && q < hi) }' || fail "Fugaku $ed: $q"
  [ "$(field "$tmp/k4.csv" "$ed" Fugaku verdict)" = under ] || fail "Fugaku $ed verdict"
done
"$SCALEWALL" top500 --mxp | grep -q 'underestimates' || fail "table summary"
[ "$(field "$tmp/k16.csv" 2024-11 Tethys match)" = none ] || fail "no match is said"

dir=${SW_SHARED_DIR:-}/data/top500
if [ -r "$dir/hpl-mxp.csv" ]; then
  "$SCALEWALL" top500 --mxp "$dir/hpl-mxp.csv" --csv >"$tmp/f.csv"
  diff "$tmp/k16.csv" "$tmp/f.csv" || fail "file vs built-in mxp"
  "$SCALEWALL" top500 --mxp "$dir/hpl-mxp.csv" "$dir"/20[12][0-9]-[01][0-9].csv --csv >"$tmp/g.csv"
  diff "$tmp/k16.csv" "$tmp/g.csv" || fail "list files vs built-in lists"
fi
echo ok
