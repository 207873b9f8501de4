#!/usr/bin/env bash
# `scalewall simulate` end to end: the hand timeline of tests/unit/test_simulate.c
# through files, the observation series it writes, calibration, and one-line errors.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

$sw simulate --help >help.txt
grep -q -- '--calibration' help.txt
$sw help | grep -q 'simulate'

# Two layers on the toy platform, batch 10, N = 2: forward 15 ms, L2's bucket
# (2α + 2000β = 4 ms) under L1's backward, L1's bucket 45..48 ms: T = 48 ms;
# T1 = 90 ms, S = 1.875, E = 0.9375, 1-alpha = 1/15.  Without overlap 52 ms.
common=(--net "$data/sim_two_layers.json" --platform "$data/sim_toy_platform.json" --batch 10
        --optimizer none --allreduce ring)
$sw simulate "${common[@]}" --n 1,2 --format json --out sim.json
python3 - sim.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "scalewall-obs", d
s = d["series"][0]
assert s["simulated"] is True and s["workload"] == "two", s
p = s["points"][1]
assert p["n"] == 2 and abs(p["value"] - 0.048) < 1e-12, p
x = p["extra"]
assert abs(x["comm_s"] - 0.003) < 1e-12 and abs(x["compute_s"] - 0.045) < 1e-12, x
assert abs(x["efficiency"] - 0.9375) < 1e-12 and abs(x["serial"] - 1 / 15) < 1e-12, x
PY
$sw simulate "${common[@]}" --n 2 --overlap off --format csv --out sim.csv
python3 - sim.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 1 and rows[0]["simulated"] == "1", rows
assert abs(float(rows[0]["value"]) - 0.052) < 1e-12, rows[0]["value"]
assert abs(float(rows[0]["comm_s"]) - 0.007) < 1e-12, rows[0]["comm_s"]
PY
# Time grid of 4 ms: 55 ms, grid loss 7 ms (hand timeline in test_simulate.c).
$sw simulate "${common[@]}" --n 2 --grid 0.004 | grep -E '^ +2 ' | grep -q ' 0.055 .* 0.007 '

# The human table for the built-in families and profiles.
$sw simulate --net transformer:blocks=4,hidden=256,seq=128,heads=4 --platform hdr \
    --precision bf16 --n 2:16 --batch 64 --stages 2 --micro 4 --jitter 0.05 | grep -q 'bubble'
$sw simulate --net resnet50 --platform 100gbe --n 8,16 --compress topk:0.01 | grep -q 'resnet50'

# --t1: one unit's step made 0.18 s (twice the 90 ms): FLOP/s halve, so
# N = 2 takes 2 x 45 + 3 (exposed bucket; L2's 4 ms still hides) = 93 ms.
$sw simulate "${common[@]}" --n 1,2 --t1 0.18 --format csv --out t1.csv
python3 - t1.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert abs(float(rows[0]["value"]) - 0.18) < 1e-12, rows[0]["value"]
assert abs(float(rows[1]["value"]) - 0.093) < 1e-12, rows[1]["value"]
PY

# The shipped platform file is the built-in hdr profile: same step times.
a=$($sw simulate --net resnet50 --platform hdr --n 8,64 --format csv | cut -d, -f10 | tail -2)
b=$($sw simulate --net resnet50 --platform "$SW_SOURCE_DIR/data/platforms/hdr-a100.json" --n 8,64 \
    --format csv | cut -d, -f10 | tail -2)
python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); assert all(abs(float(x) / float(y) - 1) < 1e-9 for x, y in zip(a, b)), (a, b)' "$a" "$b"

# The mlp workload's network (depth=4,width=1024,in=256,out=16, no biases, no
# input gradient for the first layer): per sample 4*256*1024 + 6*3*1024^2 +
# 6*1024*16 = 20,021,248 FLOPs, the count the workload reports; gradients
# (262144 + 3*1048576 + 16384) * 4 = 13,697,024 bytes.
$sw simulate --net "$data/sim_mlp_workload.json" --n 1 | grep -q '0.02002 GFLOP/sample, 13.7 MB'

# Calibration: this machine from a scalewall-hockney file.
$sw simulate --calibration "$data/sim_hockney.json" --n 1,2 | grep -q 'pingpong+allreduce'

# Bad inputs: one line on stderr, documented exit codes, no partial output.
fail() { # expected-exit pattern args...
    local want=$1 pat=$2
    shift 2
    set +e
    "$sw" simulate "$@" 2>err.txt >/dev/null
    local rc=$?
    set -e
    [ "$rc" -eq "$want" ] || { echo "exit $rc, wanted $want for $*"; cat err.txt; exit 1; }
    [ "$(wc -l <err.txt)" -le 2 ] || { echo "more than one error for $*"; cat err.txt; exit 1; }
    grep -q -- "$pat" err.txt || { echo "no '$pat' for $*"; cat err.txt; exit 1; }
}
echo '{"layers": [{"fwd_flops": -1e6}]}' >neg.json
fail 3 'fwd_flops -1e+06 must be finite' --net neg.json --n 2
printf '{"layers": [\n  {"fwd_flops": 1e6,}\n]}\n' >broken.json
fail 3 'broken.json:2:' --net broken.json
sed 's/"beta_s_per_byte": 1e-6}}/"bandwidth_bytes_per_s": 0}}/' "$data/sim_toy_platform.json" >zero.json
fail 3 'bandwidth 0 must be > 0' --platform zero.json
fail 3 'a pipeline of 3 stages needs at least 3 layers' "${common[@]}" --stages 3 --n 3
fail 2 "'0' is not a unit count" --n 0
fail 2 "unknown platform 'cray1'" --platform cray1
fail 2 "is not auto, ring, rd, rabenseifner, tree or dbtree" --allreduce bruck
echo 'keep' >out.csv
fail 3 'less than one' "${common[@]}" --n 1,64 --format csv --out out.csv
[ "$(cat out.csv)" = keep ] || { echo "out.csv was overwritten"; exit 1; }
[ -z "$(ls out.csv.tmp* 2>/dev/null)" ] || { echo "temporary file left"; exit 1; }
echo "simulate CLI: all checks passed"
