#!/usr/bin/env bash
# `scalewall measure` with the compute workloads dense, cg, mlp and spike: a
# 2-rank job sweeps N = 1, 2 (strong; weak too for cg and mlp), every row passes its
# check and carries the workload's figures; corrupt=1 fails the run with the
# check's message (exit 5); a bad parameter fails before anything is written.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v mpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1
mpi() { timeout 120 mpirun --oversubscribe -np "$@"; }

declare -A small=(
  [dense]='n=200,nb=32'
  [cg]='nx=16,ny=16,nz=8,iters=15'
  [mlp]='depth=2,width=32,in=16,out=4,batch=32,steps=10,lr=0.05'
  [spike]='n=400,conn=40,t=20'
)
declare -A metric=([dense]='' [cg]=relres [mlp]=loss [spike]=rtf)

check_rows() { python3 - "$@" <<'PY'
import csv, sys
path, wl, scaling, metric = sys.argv[1:5]
rows = list(csv.DictReader(open(path)))
assert len(rows) == 4, (path, len(rows))
assert sorted({r["n"] for r in rows}) == ["1", "2"], rows
for r in rows:
    assert r["workload"] == wl and r["scaling"] == scaling and r["ok"] == "1", r
    assert float(r["value"]) > 0
    assert r["label"] == metric, (r["label"], metric)
    if wl in ("dense", "cg", "mlp"):
        assert float(r["flops"]) > 0, r
    if metric:
        assert float(r["metric"]) > 0, r
# Strong scaling: the same work at every N; weak: twice the work at N = 2.
if wl in ("cg", "mlp"):
    f = {r["n"]: float(r["flops"]) for r in rows}
    want = 1.0 if scaling == "strong" else None
    ratio = f["2"] / f["1"]
    if want is not None:
        assert abs(ratio - 1) < 1e-12, f
    else:
        assert 1.9 < ratio < 2.1, f
PY
}

known=$("$sw" measure --list | awk '/^[a-z]/ {print $1}')
for wl in dense cg mlp spike; do
  grep -qx "$wl" <<<"$known" || { echo "measure_kernels: $wl not registered, skipped"; continue; }
  scalings=strong
  case $wl in cg | mlp) scalings='strong weak' ;; esac # their FLOPs show the sizing
  for sc in $scalings; do
    mpi 2 "$sw" measure "$wl" --params "${small[$wl]}" --scaling "$sc" --reps 2:2 \
      --no-progress --out "$wl-$sc.csv" >/dev/null
    check_rows "$wl-$sc.csv" "$wl" "$sc" "${metric[$wl]}"
  done
  # A wrong answer fails the run with the check's one-line message (one
  # rank is enough: the multi-rank failures are in tests/mpi).
  set +e
  "$sw" measure "$wl" --params "${small[$wl]},corrupt=1" --reps 2:2 --no-progress \
    --out "$wl-bad.csv" >/dev/null 2>err.txt
  rc=$?
  set -e
  [ "$rc" -eq 5 ] || { echo "$wl corrupt=1: exit $rc"; cat err.txt; exit 1; }
  grep -q "scalewall: $wl: " err.txt || { cat err.txt; exit 1; }
done

# Bad parameters: one line, usage exit, no results file.
set +e
"$sw" measure cg --params nx=-3 --no-progress --out bad.csv 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "cg: nx=-3 is out of range" err.txt && [ ! -e bad.csv ]
# Not a number is a usage error too (exit 2, like out of range; it was 3).
set +e
"$sw" measure spike --params t=long --no-progress --out bad.csv 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "spike: t='long' is not a number" err.txt && [ ! -e bad.csv ]
echo "measure_kernels: ok"
