#!/usr/bin/env bash
# One meaning for --payload-speedup: the parallel payload divided by k, the
# serial part (and communication) kept.  Exact Amdahl data with s = 0.2: at
# N = 16 with k = 4, amdahl's s' = k s / (1 + (k-1) s) = 0.5 gives
# E' = 1/(N s' + 1 - s') = 1/8.5; predict gives T' = 0.2 + 0.8/(16*4) =
# 0.2125 s (T1 = 1); plan with the same k on one unit per node gives the
# same time for one step.  Every number is a hand computation.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

printf 'n,value\n1,1\n2,0.6\n4,0.4\n8,0.3\n16,0.25\n' >amdahl.csv
$sw fit amdahl.csv -o m.json --at 16 >/dev/null 2>&1

# amdahl: one point (N = 16, S = 4) -> s = 0.2; k = 4 -> E' = 1/8.5
$sw amdahl --n 16 --speedup 4 --payload-speedup 4 --json >a.json
# predict at N = 16 with k = 4
$sw predict m.json --n 16 --payload-speedup 4 --json >p.json
# plan: one node of one unit at speed 1, k = 4, one step
printf 'name,units_per_node,speed,price_per_hour\nu,1,1,1\n' >prices.csv
$sw plan m.json --n 16 --prices prices.csv --payload-speedup 4 --json >plan.json
python3 - a.json p.json plan.json <<'PY'
import json, sys
a, p, pl = (json.load(open(f)) for f in sys.argv[1:4])
assert abs(a["karp_flatt"] - 0.2) < 1e-9, a
e_amdahl = a["payload"]["efficiency"]
assert abs(e_amdahl - 1 / 8.5) < 1e-9, a["payload"]
row = p["predictions"][0]
t = row["time"]["value"]
assert abs(t / 0.2125 - 1) < 2e-3, t
# the same efficiency, measured against the faster unit: E' = T'(1)/(N T'(N))
e_pred = (0.2 + 0.8 / 4) / (16 * t)
assert abs(e_pred / e_amdahl - 1) < 2e-3, (e_pred, e_amdahl)
rows = [r for r in pl["rows"] if r["nodes"] == 16]
assert rows and abs(rows[0]["time_s"]["median"] / 0.2125 - 1) < 2e-3, rows
PY
echo "fit_whatif: ok"
