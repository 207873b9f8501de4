#!/usr/bin/env bash
# mlp's training check at width 2048 and global batch 2048 > in (issue 16
# item 5): with one learning rate of 0.01 for every layer, width 2048 is past
# gradient descent's stability limit and a batch larger than `in` learnt ~3%
# a step, so `measure mlp` failed its own check (exit 5) there.  The default
# rates (lr = 51.2/(width (depth+1)), the input layer width/10 times that)
# and the looks-linear start train it over 30 steps (3 repetitions, which
# continue training) at 2 ranks; the same run climbing the gradient
# (corrupt=3, ranks agree) must fail the check, so the check can still fail.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v mpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
p=depth=1,width=2048,in=256,out=16,batch=2048
timeout 300 mpirun -np 2 "$sw" measure mlp --np 2 --params "$p" --reps 2:2 --warmup 1 --no-progress \
    --out ok.csv >ok.txt 2>ok.err || { cat ok.err; exit 1; }
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("ok.csv")))
assert rows and all(r["ok"] == "1" for r in rows), rows
# the canonical params name the rate used: 51.2 / (2048 x 2)
assert all("lr=0.0125;" in r["params"] for r in rows), rows[0]["params"]
loss = [float(r["metric"]) for r in rows]
print("loss at the last step of each repetition:", loss)
# a network that outputs 0 has loss 16 x (1/3) / 2 = 2.67: it learnt well below
assert loss[-1] < 0.5 * 8 / 3, loss
PY
set +e
timeout 300 mpirun -np 2 "$sw" measure mlp --np 2 --params "$p,steps=3,corrupt=3" --reps 1:1 --warmup 0 \
    --no-progress --out bad.csv >bad.txt 2>bad.err
rc=$?
set -e
[ "$rc" -eq 5 ] || { echo "corrupt=3 exited $rc, not 5"; cat bad.err; exit 1; }
grep -q 'mlp: loss went from' bad.err || { cat bad.err; exit 1; }
