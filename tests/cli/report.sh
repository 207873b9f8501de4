#!/usr/bin/env bash
# scalewall report: one self-contained HTML file, opened in headless
# Chromium (every image must load, every section must be there; the
# screenshot is kept as a CI artifact), and the figures' numbers checked
# against their inputs and closed forms from the fig-*.csv data files.
set -euo pipefail
command -v chromium >/dev/null || { echo "chromium not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$SCALEWALL" simulate --n 1:64 --format csv --out sim.csv
"$SCALEWALL" tour --source simulate --out tour > /dev/null 2>&1
"$SCALEWALL" report --results sim.csv --model tour/model.json --plan tour/plan.json \
  --breakdown sim.csv --out rep --note "test: report.sh" > summary.txt
grep -q "^Report: rep/report.html (6 figures" summary.txt
grep -q "The cheapest way to finish" summary.txt
html=rep/report.html

# self-contained: nothing fetched, every image inline
! grep -qiE '<link|<script|src="(https?:|//)|url\(' "$html"
[ "$(grep -o '<img ' "$html" | wc -l)" -eq 6 ]
[ "$(grep -o 'src="data:image/png;base64,' "$html" | wc -l)" -eq 6 ]

# Chromium: every image decoded, every section there, the screenshot kept
# as a CI artifact; and the figures' promises: bands physically possible,
# series labelled as what they are, prices only inside the trust gate
# (tour_report.py says how)
python3 "$SW_SOURCE_DIR/tests/cli/tour_report.py" rep sim.csv tour/plan.json \
    --chromium "${SW_BUILD_DIR:-$tmp}/artifacts" report

# the efficiency map: every cell is E = 1/(N s + 1 - s)
awk -F, '$2 == "heat" { e = 1 / ($3 * $4 + 1 - $4); d = ($5 - e) / e; if (d * d > 1e-16) bad++; k++ }
  END { if (k != 12000 || bad) { print k, bad; exit 1 } }' rep/fig-map.csv
grep -q ',points,.*,El Capitan$' rep/fig-map.csv
grep -q '^TOP500 systems under HPCG,points,' rep/fig-map.csv

# the (simulated) speedup points are T(1)/T(N) of the input rows; the breakdown's
# communication layer is comm_s; columns located by name
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { t[$c["n"]] = $c["value"]; comm[$c["n"]] = $c["comm_s"] }
  END { for (n in t) printf "%s %.12g %.12g\n", n, t[1] / t[n], comm[n] }' sim.csv | sort -n > want.txt
awk -F, '$2 == "points" && $1 ~ /^simulated/ { print $3, $4 }' rep/fig-speedup.csv | sort -n > got.txt
paste want.txt got.txt | awk '{ if ($1 != $4 || (($2 - $5) / $2)^2 > 1e-16) bad = 1; k++ }
  END { if (k != 7 || bad) exit 1 }'
awk -F, '$2 == "stack" && $1 == "communication" { print $3, $4 }' rep/fig-breakdown.csv | sort -n > comm.txt
paste want.txt comm.txt | awk '{ if ($1 != $4 || ($3 - $5)^2 > 1e-20) bad = 1; k++ }
  END { if (k != 7 || bad) exit 1 }'

# the plan figure shows the plan's rows the trust gate lets through (column
# 13 of the CSV, within): (hours, cost) per option and N, and no other
"$SCALEWALL" plan tour/model.json --n 1:64 --job-time 100h --csv | awk -F, 'NR > 1 && $13 == 1 { printf "%s %s %.12g %.12g\n", $1, $2, $4 / 3600, $7 }' | sort > plan.txt
awk -F, '$2 == "points" { print $1, $8, $3, $4 }' rep/fig-plan.csv | sort > planfig.txt
want=$(wc -l < plan.txt)
[ "$want" -ge 2 ] && [ "$want" -lt 21 ] # some within the 64 simulated units, not all
paste -d' ' plan.txt planfig.txt | awk -v want="$want" '{ if ($1 != $5 || $2 != $6 || (($3 - $7) / $3)^2 > 1e-14 || (($4 - $8) / $4)^2 > 1e-14) bad = 1; k++ }
  END { if (k != want || bad) exit 1 }'

# a report directory that cannot be made or written: one error, no report
touch afile
set +e
"$SCALEWALL" report --results sim.csv --out afile/sub > o.txt 2> e.txt; rc1=$?
"$SCALEWALL" report --results sim.csv --out afile > o.txt 2> e2.txt; rc2=$?
"$SCALEWALL" report --results missing.csv --out rep2 > o.txt 2> e3.txt; rc3=$?
set -e
[ "$rc1" -eq 4 ] && grep -q "cannot be created" e.txt
[ "$rc2" -eq 4 ] && grep -q "not a directory" e2.txt
[ "$rc3" -eq 4 ] && test ! -e rep2
echo ok
