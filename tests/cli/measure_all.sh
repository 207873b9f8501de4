#!/usr/bin/env bash
# Every registered workload through `scalewall measure` at N = 1, 2 and 4
# ranks in one job (4 is oversubscribed on 2 cores), smallest sizes: a row
# per N, every answer checked (ok=1), the canonical params recorded.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v mpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1

small() { # the smallest sizes that still pass each workload's check
  case $1 in
  comm) echo "op=allreduce,max=64,iters=5" ;;
  dense) echo "n=64,nb=16" ;;
  cg) echo "nx=8,ny=8,nz=16,iters=10" ;;
  mlp) echo "depth=2,width=32,in=16,out=4,steps=20,lr=0.05,batch=64" ;;
  spike) echo "n=200,conn=20,t=20" ;;
  *) echo "" ;; # a new workload runs at its default size until it is listed here
  esac
}

names=$("$sw" measure --list | awk '/^[^ ]/ {print $1}')
[ -n "$names" ]
for w in $names; do
  timeout 120 mpirun --oversubscribe -np 4 "$sw" measure "$w" --params "$(small "$w")" \
    --np 1,2,4 --reps 1:1 --warmup 0 --out "$w.csv" >"$w.out" 2>"$w.err" ||
    { echo "$w failed:"; cat "$w.err"; exit 1; }
  python3 - "$w" <<'PY'
import csv, sys
w = sys.argv[1]
rows = list(csv.DictReader(open(w + ".csv")))
assert rows and all(r["workload"] == w and r["ok"] == "1" for r in rows), (w, rows[:1])
assert all(float(r["value"]) > 0 and r["params"] for r in rows), w
ns = sorted({float(r["n"]) for r in rows})
assert ns == [1, 2, 4], (w, ns)
per_case = {}
for r in rows:
    per_case.setdefault(r["params"], []).append(float(r["n"]))
assert all(sorted(v) == [1, 2, 4] for v in per_case.values()), (w, per_case)
# Every row says how many busy threads each core carried: rank count x
# threads over the host's cores; above 1 the summary flags the row.
import os
cores = os.sysconf("SC_NPROCESSORS_ONLN")
for r in rows:
    want = float(r["n"]) / cores
    assert abs(float(r["core_load"]) - want) < 1e-12, (w, r["n"], r["core_load"], want)
over = [l for l in open(w + ".out") if "oversubscribed" in l]
assert len(over) == len({r["params"] for r in rows if float(r["n"]) > cores}) * (cores < 4), (w, over)
PY
done
echo "measure_all: $(echo $names | wc -w) workload(s) at 1, 2 and 4 ranks"
