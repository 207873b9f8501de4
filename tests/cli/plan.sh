#!/usr/bin/env bash
# scalewall plan: the table and the answers against hand computation, on a
# series from the closed form T(N) = 1 + 99/N s per step (no fit involved),
# a fitted model from the tour, and the bad inputs (one error, no output).
#
# Hand computation, 3600 steps, one unit per node at 10/h: the job takes
# T(N) hours and costs 10 N T(N):
#   N     1     2      4      8       16
#   h     100   50.5   25.75  13.375  7.1875
#   cost  1000  1010   1030   1070    1150
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

. "$SW_SOURCE_DIR/tests/support/plan_fixture.sh"
closed_form_series

"$SCALEWALL" plan series.csv --prices prices.csv --n 16,1,4,2,8 --steps 3600 --csv > plan.csv
# option,nodes,units,time_s,time_s_lo,time_s_hi,cost,...
awk -F, 'NR > 1 {
  h = (1 + 99 / $2); want_t = h * 3600; want_c = 10 * $2 * h
  if (($4 - want_t)^2 > 1e-6 || ($7 - want_c)^2 > 1e-8) { print "row", NR, $0; bad = 1 }
  rows++
} END { if (rows != 5 || bad) exit 1 }' plan.csv

out=$("$SCALEWALL" plan series.csv --prices prices.csv --n 1:16 --steps 3600 \
        --deadline 30h --budget 1050 --knee 47 --out plan.json --plot fig.png)
grep -q "The cheapest way to finish 3600 steps within 30 h is 4 x a (4 units, 0.12× the largest measured N): 25.8 h for \$1,030." <<< "$out"
grep -q "The fastest way to finish 3600 steps within \$1,050 is 4 x a (4 units, 0.12× the largest measured N): 25.8 h" <<< "$out"
grep -q "Going from 8 to 16 a nodes cuts the run by 46% and raises the cost 1.1" <<< "$out"
grep -q "More a nodes keep making the run faster up to 16" <<< "$out"
test -s plan.json
grep -q '"format": "scalewall-plan"' plan.json
# the plot's data: one point per N at (hours, cost), the knee marked at 8
awk -F, '$1 == "a" && $2 == "points" {
  h = 1 + 99 / $8; if (($3 - h)^2 > 1e-12 || ($4 - 10 * $8 * h)^2 > 1e-9) bad = 1; k++
} $2 == "mark" { mark = $8 } END { if (k != 5 || bad || mark != "knee: 8 nodes") exit 1 }' fig.csv

# past N* more nodes are slower: T(N) = 1000/N + 10 log2 N, fastest at 64
{
  echo "workload,params,quantity,unit,scaling,simulated,n,threads,rep,value,peak,ok,outlier,label"
  for n in 1 2 4 8 16 32 64 128 256; do
    awk -v n=$n 'BEGIN { printf "comm,,time,s,strong,1,%d,1,0,%.10g,,1,0,\n", n, 1000 / n + 10 * log(n) / log(2) }'
  done
} > slow.csv
"$SCALEWALL" plan slow.csv --prices prices.csv --n 16:256 > slow.txt
grep -q "Past 64 a nodes the run gets slower: 128 nodes take 3% longer" slow.txt

# a fitted model (the tour fits the simulated step) plans with intervals
"$SCALEWALL" tour --source simulate --out tour >/dev/null 2>&1
"$SCALEWALL" plan tour/model.json --n 1:8 --steps 1e5 --csv > fitted.csv
awk -F, 'NR > 1 { if (!($5 < $4 && $4 < $6)) bad = 1; n++ } END { if (n != 12 || bad) exit 1 }' fitted.csv

# bad inputs: one line, the right exit code, nothing written
expect_fail 2 "no candidate N" "$SCALEWALL" plan series.csv --out bad.json
printf 'name,units_per_node,price_per_hour\nx,1,2\ny,1,-2\n' > neg.csv
expect_fail 3 "neg.csv:3: price_per_hour -2 is negative" "$SCALEWALL" plan series.csv --prices neg.csv --n 1:4 --out bad.json
printf '{"format":"scalewall-fit-model","version":99}\n' > newer.json
expect_fail 6 "newer" "$SCALEWALL" plan newer.json --n 1:4 --out bad.json
expect_fail 2 "unknown option" "$SCALEWALL" plan series.csv --n 1:4 --colour red --out bad.json
expect_fail 2 "unit count" "$SCALEWALL" plan series.csv --n 0,4 --out bad.json
expect_fail 4 "" "$SCALEWALL" plan missing.csv --n 1:4 --out bad.json
expect_fail 2 "" "$SCALEWALL" plan series.csv --n 1:64 --out bad.json --budget -3
expect_fail 2 "beyond\|outside" "$SCALEWALL" plan series.csv --prices prices.csv --n 1:64 --out bad.json
test ! -e bad.json
ls | grep -q 'tmp\.' && { echo "temporary files left"; ls; exit 1; }
"$SCALEWALL" plan --help > help.txt
grep -q "usage: scalewall plan" help.txt
echo ok
