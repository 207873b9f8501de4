#!/usr/bin/env bash
# bench_virtual.sh [BUILD_DIR]: host time of one 1024-rank data-parallel mlp
# step simulated by SMPI (`measure --platform`) against `scalewall simulate`
# of the same step on the same platform, both timed in this run.  Skips (77)
# without the SMPI program.
set -euo pipefail
dir=$(cd "${1:-build}" && pwd)
sw=$dir/scalewall
[ -f "$dir/scalewall_smpi.so" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat >plat.json <<'J'
{"format":"scalewall-platform","version":1,"name":"virt","units_per_node":1,
 "flops_fp32":2e9,"flops_half":2e9,"mem_bw":1.2e10,"gamma":0,
 "intra":{"alpha_s":1e-6,"bandwidth_bytes_per_s":5e9},
 "inter":{"alpha_s":1e-6,"bandwidth_bytes_per_s":5e9}}
J
python3 - <<'PY'
import json
L = [{"name": "fc%d" % i, "fwd_flops": 2 * 256 * 256, "bwd_flops": (2 if i == 0 else 4) * 256 * 256,
      "param_bytes": 4 * 256 * 256, "act_bytes": 4 * 256} for i in range(3)]
json.dump({"name": "wlmlp", "layers": L}, open("net.json", "w"))
PY
t0=$(date +%s.%N)
"$sw" measure mlp --platform plat.json --np 1024 --reps 1:1 --warmup 0 --no-progress \
    --params depth=2,width=256,in=256,out=256,batch=1024,steps=1 --out smpi.csv >/dev/null
t1=$(date +%s.%N)
for i in 1 2 3 4 5 6 7 8 9 10; do
  "$sw" simulate --net ./net.json --platform plat.json --n 1024 --batch 1024 \
      --allreduce rabenseifner --flat --overlap off --optimizer sgd --format csv --out sim.csv
done
t2=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" <<'PY'
import csv, sys
t0, t1, t2 = map(float, sys.argv[1:])
smpi = float(next(csv.DictReader(open("smpi.csv")))["run_s"])
sim = float(next(csv.DictReader(open("sim.csv")))["value"])
hs, hm = t1 - t0, (t2 - t1) / 10
print("1024-rank mlp step: SMPI %.6g s simulated in %.2f s of host time; simulate %.6g s in "
      "%.3f s (whole process); host-time ratio SMPI/simulate %.0fx; step times differ by %+.2f%%"
      % (smpi, hs, sim, hm, hs / hm, 100 * (smpi / sim - 1)))
PY
