#!/usr/bin/env bash
# scalewall plot: each figure from files, as PNG or SVG, with its numbers
# in FILE.csv checked against the inputs and closed forms.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$SCALEWALL" simulate --n 1:16 --format csv --out sim.csv
"$SCALEWALL" plot breakdown sim.csv --out bd.svg > /dev/null
grep -q "<svg" bd.svg
# each layer is the simulated column, stacked in order: top = base + value
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { printf "%s %.12g\n", $c["n"], $c["compute_s"] }' sim.csv | sort -n > compute.txt
awk -F, '$2 == "stack" && $1 == "payload compute" { printf "%s %.12g\n", $3, $4 }' bd.csv | sort -n > got.txt
paste compute.txt got.txt | awk '{ if ($1 != $3 || (($2 - $4) / $2)^2 > 1e-16) bad = 1; k++ } END { if (k != 5 || bad) exit 1 }'
awk -F, '$2 == "stack" { d = $7 - $6 - $4; if (d * d > 1e-20) bad = 1 } END { exit bad }' bd.csv

"$SCALEWALL" plot map --out map.png > /dev/null
[ "$(head -c 8 map.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
awk -F, '$2 == "heat" { e = 1 / ($3 * $4 + 1 - $4); d = ($5 - e) / e; if (d * d > 1e-16) bad++; k++ }
  $2 == "xaxis" { xlog = $5 } $2 == "yaxis" { ylog = $5 }
  END { if (k != 12000 || bad || xlog != 1 || ylog != 1) exit 1 }' map.csv

# efficiency of the simulated points: E = T(1)/(N T(N))
"$SCALEWALL" plot efficiency sim.csv --out eff.png --size 640x400 > /dev/null
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { t[$c["n"]] = $c["value"] } END { for (n in t) printf "%s %.12g\n", n, t[1] / (n * t[n]) }' sim.csv | sort -n > e.txt
awk -F, '$2 == "points" { printf "%s %.12g\n", $3, $4 }' eff.csv | sort -n > ge.txt
paste e.txt ge.txt | awk '{ if ($1 != $3 || (($2 - $4) / $2)^2 > 1e-16) bad = 1; k++ } END { if (k != 5 || bad) exit 1 }'

set +e
"$SCALEWALL" plot pie sim.csv --out x.png 2> e1.txt; rc1=$?
"$SCALEWALL" plot speedup sim.csv 2> e2.txt; rc2=$?
"$SCALEWALL" plot speedup sim.csv --out x.gif 2> e3.txt; rc3=$?
"$SCALEWALL" plot plan sim.csv --out x.png 2> e4.txt; rc4=$?
set -e
[ "$rc1" -eq 2 ] && grep -q "unknown figure 'pie'" e1.txt
[ "$rc2" -eq 2 ] && grep -q -- "--out" e2.txt
[ "$rc3" -ne 0 ] && grep -q "png or .svg" e3.txt && test ! -e x.gif
[ "$rc4" -eq 3 ] && grep -q "not a plan" e4.txt
"$SCALEWALL" plot --help > help.txt
grep -q "usage: scalewall plot" help.txt
echo ok
