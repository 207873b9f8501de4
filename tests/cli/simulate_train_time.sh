#!/usr/bin/env bash
# Time to train in `scalewall simulate` and `scalewall depth`: steps to
# converge S(B) = S_min (1 + B_noise/B) (converge.h) at each point's global
# batch times the step; --train-time calibrates on a measured time to train;
# --micro fit takes the fewest micro-batches that fit in memory; --eval adds
# the evaluation passes, --bn-group synchronised batch norm.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
src=${SW_SOURCE_DIR:?}
command -v python3 >/dev/null || exit 77

# Weak scaling grows the global batch with N: 100 samples per replica, so
# B = 100 N and S = 100 (1 + 1000/B): 1100 steps at N = 1, 200 at N = 10.
$sw simulate --net mlp:depth=2,width=256 --scaling weak --batch 100 --converge 100:1000 \
    --n 1,10 --format csv --out w.csv
python3 - <<'PY'
import csv
r = {int(x["n"]): x for x in csv.DictReader(open("w.csv"))}
for n, b, s in ((1, 100, 1100), (10, 1000, 200)):
    assert float(r[n]["global_batch"]) == b and abs(float(r[n]["steps_to_converge"]) - s) < 1e-9, r[n]
    assert abs(float(r[n]["time_to_train_s"]) / (s * float(r[n]["value"])) - 1) < 1e-12, r[n]
PY

# MLPerf's reference convergence points for ResNet-50, a measured time to
# train at N = 8 (batch 3264: 29.1 min, NVIDIA's v1.1 result) reproduced by
# the calibration; the table says how long N = 64 takes at the same batch.
$sw simulate --net resnet50 --platform hdr --precision fp16 --batch 3264 --micro fit \
    --converge "$src/data/mlperf/rcp.csv:resnet50" --train-time 1746@8 --n 8,64 >t.txt
grep -q 'S_min 960.387, B_noise 46520.6' t.txt
python3 - <<'PY'
rows = [l.split() for l in open("t.txt") if l.split() and l.split()[0] in ("8", "64")]
assert abs(float(rows[0][-1]) * 3600 - 1746) < 0.01, rows[0]   # train_h at N = 8
assert float(rows[1][-1]) < float(rows[0][-1]), rows           # N = 64 is faster
assert rows[0][-2] == rows[1][-2], rows                        # same batch, same steps
PY

# Evaluation passes (MLPerf counts them): ResNet-50's 50,000 images every
# 4 epochs; the calibration matches the time to train with them, and the
# columns add up: steps x step + passes x pass.  Synchronised batch norm over
# 2 replicas adds its exchanges to the step (bn_s).
common=(--net resnet50 --platform hdr --precision fp16 --micro fit --format csv
        --converge "$src/data/mlperf/rcp.csv:resnet50" --eval 50000@5124668)
$sw simulate "${common[@]}" --batch 3264 --train-time 1746@8 --n 8 --save-platform cal.json \
    --out e8.csv
$sw simulate "${common[@]}" --platform cal.json --batch 64800 --n 4320 --out e1.csv
$sw simulate "${common[@]}" --platform cal.json --batch 64800 --n 4320 --bn-group 2 --out e2.csv
python3 - <<'PY'
import csv
r8, r1, r2 = (list(csv.DictReader(open(f)))[0] for f in ("e8.csv", "e1.csv", "e2.csv"))
for r in (r8, r1, r2):
    f = {k: float(r[k]) for k in ("value", "steps_to_converge", "evals", "eval_s", "global_batch",
                                   "time_to_train_s", "bn_s")}
    assert abs(f["evals"] - f["steps_to_converge"] * f["global_batch"] / 5124668) < 1e-9, r
    assert f["eval_s"] > 0 and abs(f["time_to_train_s"] - f["steps_to_converge"] * f["value"]
                                   - f["evals"] * f["eval_s"]) < 1e-9 * f["time_to_train_s"], r
assert abs(float(r8["time_to_train_s"]) - 1746) < 0.01, r8
assert float(r1["bn_s"]) == 0 and float(r2["bn_s"]) > 0, (r1, r2)
assert abs(float(r2["value"]) - float(r1["value"]) - float(r2["bn_s"])) < 1e-12, (r1, r2)
PY

# depth gives a time to train per cell.
$sw depth --net mlp:width=256 --batch 256 --converge 100:1000 --depths 1,2 --n 1,2 --format json \
    --out d.json
python3 - <<'PY'
import json
d = json.load(open("d.json"))
t, s = d["time_to_train_s"], d["time_s"]
steps = 100 * (1 + 1000 / 256)
assert all(abs(t[i][j] / (steps * s[i][j]) - 1) < 1e-12 for i in range(2) for j in range(2)), t
PY

# Refusals: --train-time without --converge; a table the fit cannot use.
set +e
$sw simulate --net resnet50 --platform hdr --train-time 100@8 --n 8 2>e1.txt; r1=$?
printf 'batch,samples_to_converge\n512,1e6\n' >one.csv
$sw simulate --converge one.csv --n 1 2>e2.txt; r2=$?
$sw simulate --net resnet50 --platform hdr --bn-group 3 --n 8 2>e3.txt; r3=$?
$sw simulate --eval 50000 --n 1 2>e4.txt; r4=$?
set -e
[ "$r1" = 2 ] && grep -q -- '--train-time needs --converge' e1.txt || { echo "r1 $r1"; exit 1; }
[ "$r3" = 3 ] && grep -q 'batch-norm group 3 must divide the data-parallel degree 8' e3.txt ||
    { echo "r3 $r3: $(cat e3.txt)"; exit 1; }
[ "$r4" = 2 ] && grep -q -- "--eval: '50000' is not SAMPLES@EVERY" e4.txt ||
    { echo "r4 $r4: $(cat e4.txt)"; exit 1; }
[ "$r2" = 3 ] && grep -q 'one.csv: 1 convergence point: the fit needs 2 or more' e2.txt ||
    { echo "r2 $r2: $(cat e2.txt)"; exit 1; }
echo "time to train: all checks passed"
