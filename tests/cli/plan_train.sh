#!/usr/bin/env bash
# scalewall plan --converge: a training run's time to train is the steps to
# converge at each N's global batch times the model's step time (issue 15,
# item 5), against hand computation on the closed-form series
# T(N) = 1 + 99/N s per step, one unit per node at 10/h.
#
# --converge 1000:64 --batch-per-unit 8: B(N) = 8N, S = 1000 (1 + 8/N):
#   N      1        2        4       8       16
#   S      9000     5000     3000    2000    1500
#   T      100      50.5     25.75   13.375  7.1875
#   S x T  900000   252500   77250   26750   10781.25 s
# cost 10 N (S x T)/3600.  A fixed --batch 64 needs 1000 (1 + 64/64) = 2000
# steps at every N.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

. "$SW_SOURCE_DIR/tests/support/plan_fixture.sh"
closed_form_series

"$SCALEWALL" plan series.csv --prices prices.csv --n 1:16 --converge 1000:64 \
    --batch-per-unit 8 --csv > grow.csv
# option,nodes,units,time_s,time_s_lo,time_s_hi,cost,...
awk -F, 'NR > 1 {
  s = 1000 * (1 + 8 / $2); want_t = s * (1 + 99 / $2); want_c = 10 * $2 * want_t / 3600
  if (($4 - want_t)^2 > 1e-6 * want_t^2 || ($7 - want_c)^2 > 1e-6 * want_c^2) { print "row", NR, $0; bad = 1 }
  rows++
} END { if (rows != 5 || bad) exit 1 }' grow.csv
grep -q '^a,16,16,10781.25,' grow.csv || { echo "N = 16:"; cat grow.csv; exit 1; }

"$SCALEWALL" plan series.csv --prices prices.csv --n 1,4 --converge 1000:64 --batch 64 \
    --csv > fixed.csv
awk -F, 'NR > 1 { want = 2000 * (1 + 99 / $2); if (($4 - want)^2 > 1e-6) bad = 1; rows++ }
  END { if (rows != 2 || bad) exit 1 }' fixed.csv

# The text says what the steps are; the plan file keeps the model and the batch.
out=$("$SCALEWALL" plan series.csv --prices prices.csv --n 1:16 --converge 1000:64 \
        --batch-per-unit 8 --deadline 10h --out plan.json)
grep -q "Plan for training to convergence (1000 (1 + 64/B) steps, batch 8 per unit)" <<< "$out" ||
  { echo "$out"; exit 1; }
grep -q "Steps to converge (a): 1 units 9000, 2 units 5000, 4 units 3000, 8 units 2000, 16 units 1500" \
  <<< "$out" || { echo "$out"; exit 1; }
grep -q "within 10 h is 16 x a" <<< "$out" || { echo "$out"; exit 1; }
python3 - <<'PY'
import json
w = json.load(open("plan.json"))["work"]
assert w["kind"] == "train", w
t = w["train"]
assert (t["s_min"], t["b_noise"], t["batch"], t["batch_per_unit"]) == (1000, 64, 0, 8), t
PY
# The report reads the plan back.
"$SCALEWALL" report --plan plan.json --out rep >/dev/null
grep -q "training to convergence" rep/report.html

# MLCommons' reference convergence points as the steps (data/mlperf/rcp.csv).
"$SCALEWALL" plan series.csv --prices prices.csv --n 1:4 \
    --converge "$SW_SOURCE_DIR/data/mlperf/rcp.csv:bert" --batch 3072 >rcp.txt
grep -q "Steps to converge (a): 1 units 943" rcp.txt || { cat rcp.txt; exit 1; }

expect_fail 2 "needs one of --batch and --batch-per-unit" \
  "$SCALEWALL" plan series.csv --n 1:4 --converge 1000:64 --out bad.json
expect_fail 2 "need --converge" "$SCALEWALL" plan series.csv --n 1:4 --batch 64 --out bad.json
expect_fail 2 "only one of" \
  "$SCALEWALL" plan series.csv --n 1:4 --converge 1000:64 --batch 8 --steps 5 --out bad.json
expect_fail 2 "S_MIN 0 must be > 0" \
  "$SCALEWALL" plan series.csv --n 1:4 --converge 0:64 --batch 8 --out bad.json
expect_fail 2 "batch must be > 0" \
  "$SCALEWALL" plan series.csv --n 1:4 --converge 1000:64 --batch -8 --out bad.json
expect_fail 4 "missing.csv" \
  "$SCALEWALL" plan series.csv --n 1:4 --converge missing.csv:bert --batch 8 --out bad.json
test ! -e bad.json
echo ok
