#!/usr/bin/env bash
# `scalewall depth`: the toy grid of tests/unit/test_simulate_inputs.c through
# the CLI, both answers, and the built-in families.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

$sw depth --help >help.txt
grep -q -- '--target' help.txt

# One-layer block (L1 of sim_two_layers.json is not it: write the block).
# fwd 1e6, bwd 2e6, 1000 B; batch 10 on the toy platform:
# depth 1: E(2) = 30/36; depth 2: E(2) = 60/66; N = 16 cannot run (10 samples).
echo '{"name": "blk", "layers": [{"fwd_flops": 1e6, "bwd_flops": 2e6, "param_bytes": 1000}]}' >blk.json
$sw depth --net blk.json --platform "$data/sim_toy_platform.json" --batch 10 --optimizer none --allreduce ring \
    --depths 1,2 --n 1,2,16 --target 0.85 --format json --out d.json
python3 - d.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "scalewall-depth", d
e = d["efficiency"]
assert abs(e[0][1] - 30 / 36) < 1e-12 and abs(e[1][1] - 60 / 66) < 1e-12, e
assert e[0][2] is None, e
assert d["largest_n"] == [1, 2], d["largest_n"]
assert d["deepest"] == [2, 2, None], d["deepest"]
PY
$sw depth --net blk.json --platform "$data/sim_toy_platform.json" --batch 10 --optimizer none --allreduce ring \
    --depths 1,2 --n 1,2,16 --target 0.85 | grep -q 'largest N'

# One block per stage: depth 2 runs on 2 stages, N = 2 is one replica's
# pipeline of one 10-sample micro-batch: fwd 0..10, send (α) ..11, 11..21;
# bwd 21..41, send ..42, 42..62 ms.  N = 1 cannot hold 2 stages, so N = 2
# is the smallest configuration and the baseline (E = 1).
$sw depth --net blk.json --platform "$data/sim_toy_platform.json" --batch 10 --optimizer none --allreduce ring \
    --depths 1,2 --n 1,2 --layers-per-stage 1 --format json --out k.json
python3 - k.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stages"] == [1, 2], d["stages"]
e = d["efficiency"]
assert e[1][0] is None and abs(e[1][1] - 1) < 1e-12, e
assert abs(d["time_s"][1][1] - 0.062) < 1e-12, d["time_s"]
PY

# Vegh's claim on the payload share: with one block per stage, depth buys
# pipeline stages and the non-parallel share grows (holds at N = 4: depth 1
# runs 4 replicas, depth 4 one 4-stage pipeline); with the stages fixed,
# depth only adds work behind the same exposed last bucket (does not hold).
# The claim's numbers are the grid's payload cells; a block that tensor
# parallelism cannot split gets no comparison grid.
for k in 1 0; do
  $sw depth --net blk.json --platform "$data/sim_toy_platform.json" --batch 16 --micro 4 \
      --optimizer none --allreduce ring --depths 1,2,4 --n 4,8 --layers-per-stage $k \
      --format json --out c$k.json
done
python3 - c1.json c0.json <<'PY'
import json, sys
piped, flat = (json.load(open(f)) for f in sys.argv[1:])
for d in (piped, flat):
    assert d["compare"] is None, d["compare"]
    for j, c in enumerate(d["claim"]):
        col = [row[j] for row in d["payload_serial"]]
        ran = [(dep, v) for dep, v in zip(d["depths"], col) if v is not None]
        if len(ran) < 2:
            assert c["holds"] is None, c
            continue
        assert (c["depth_lo"], c["serial_lo"]) == ran[0] and (c["depth_hi"], c["serial_hi"]) == ran[-1], (c, ran)
        assert c["holds"] == (c["serial_hi"] > 1.05 * c["serial_lo"]), c
c4 = piped["claim"][0]
assert c4["n"] == 4 and c4["holds"] is True and c4["depth_hi"] == 4, c4
assert flat["claim"][0]["holds"] is False, flat["claim"][0]
PY
$sw depth --net blk.json --platform "$data/sim_toy_platform.json" --batch 16 --micro 4 \
    --optimizer none --depths 1,2,4 --n 4 --layers-per-stage 1 >claim.txt
grep -q '^ *4 *1 *1-4 .* holds (+' claim.txt

# Built-in families: a deeper MLP never scales further than a shallower one here.
$sw depth --net mlp:width=512 --platform 100gbe --batch 512 --depths 1:8 --n 1:64 --format csv >m.csv
python3 - m.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 4 * 7, len(rows)
assert all(0 < float(r["efficiency"]) <= 1.0000001 for r in rows if r["efficiency"]), rows
PY
$sw depth --net transformer:hidden=256,seq=128,heads=4 --platform hdr --precision bf16 \
    --depths 1,4 --n 1:8 | grep -q 'deepest'

set +e
$sw depth --target 1.5 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q 'must be in (0, 1]' err.txt || { echo "target check $rc"; exit 1; }
echo "depth CLI: all checks passed"
