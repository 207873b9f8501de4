#!/usr/bin/env bash
# `mpirun -np P scalewall measure comm`: one job sweeps N = 1..P (4 is
# oversubscribed on a 2-core machine), the Hockney file, the checks, and
# errors that every rank agrees on (one message, no hang, no file).
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v mpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1
mpi() { timeout 120 mpirun --oversubscribe -np "$@"; }
small='max=512,iters=20'

rows() { python3 - "$@" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = [(r["params"], r["n"], r["threads"], r["rep"]) for r in rows]
assert len(keys) == len(set(keys)), "duplicate (params, N, rep) rows"
assert all(r["ok"] == "1" and float(r["value"]) > 0 for r in rows)
print(len(rows), " ".join(sorted({r["n"] for r in rows})))
PY
}

# Singleton (no mpirun): N = 1 only, allreduce 8/64/512 + barrier, 2 reps
# each; the Hockney file then has no ping-pong (one rank cannot ping).
$sw measure comm --params "$small" --reps 2:2 --out c1.csv --hockney h1.json >/dev/null
[ "$(rows c1.csv)" = "8 1" ]
python3 - <<'PY'
import json
h = json.load(open("h1.json"))
assert h["format"] == "scalewall-hockney" and h["version"] == 1 and h["ranks"] == 1, h
assert set(h["ops"]) == {"allreduce", "barrier"}, h
PY

# 2 ranks: N=1 (4 cases) and N=2 (4 + ping-pong at 3 sizes) -> 11 x 2 rows.
mpi 2 "$sw" measure comm --params "$small" --reps 2:2 --out c2.csv --jsonl c2.jsonl \
  --hockney h2.json >out.txt
[ "$(rows c2.csv)" = "22 1 2" ]
[ "$(wc -l <c2.jsonl)" -eq 22 ]
grep -q 'op=pingpong;bytes=8;iters=20;pairs=1 ' out.txt
python3 - <<'PY'
import csv, json
h = json.load(open("h2.json"))
assert list(h) == ["format", "version", "host", "ranks", "ops"], list(h)
assert h["ranks"] == 2 and list(h["ops"]) == ["pingpong", "allreduce", "barrier"], h
pp = h["ops"]["pingpong"]
assert set(pp) == {"alpha_s", "beta_s_per_byte", "r2"} and set(h["ops"]["barrier"]) == {"alpha_s"}
# Fitted, never negative (noise on a loaded machine can bend the line; the
# exact arithmetic is tested in tests/unit/test_measure_stats.c).
for op in h["ops"].values():
    assert op["alpha_s"] >= 0 and op.get("beta_s_per_byte", 0) >= 0, h
b = [float(r["value"]) for r in csv.DictReader(open("c2.csv"))
     if r["params"].startswith("op=barrier") and r["n"] == "2"]
assert min(b) <= h["ops"]["barrier"]["alpha_s"] <= max(b)
PY

# 4 ranks (oversubscribed): N = 1, 2, 4; ping-pong only at 4.
mpi 4 "$sw" measure comm --params "$small" --reps 2:2 --out c4.csv >/dev/null
[ "$(rows c4.csv)" = "30 1 2 4" ]

# Hybrid: ranks x threads, N = r t, each pair measured (threads set by the harness).
mpi 2 "$sw" measure comm --np 1,2 --threads 1,2 --params op=barrier,iters=5 --reps 1:1 \
  --out hy.csv >/dev/null
python3 - <<'PY'
import csv
got = sorted((r["extra_ranks"] if "extra_ranks" in r else r["ranks"], r["threads"], r["n"])
             for r in csv.DictReader(open("hy.csv")))
assert got == [("1", "1", "1"), ("1", "2", "2"), ("2", "1", "2"), ("2", "2", "4")], got
PY

# --launch: the same command line re-run under mpirun -np 2.
timeout 120 "$sw" measure comm --launch 2 --params op=barrier,iters=10 --reps 1:1 --out l.csv >/dev/null
[ "$(rows l.csv)" = "2 1 2" ]
# ... also as root without Open MPI's root variables (scalewall sets them for
# the mpirun it starts; before, the first step of crosscheck failed here).
if [ "$(id -u)" -eq 0 ]; then
  env -u OMPI_ALLOW_RUN_AS_ROOT -u OMPI_ALLOW_RUN_AS_ROOT_CONFIRM timeout 120 "$sw" measure comm \
    --launch 2 --params op=barrier,iters=10 --reps 1:1 --out root.csv >/dev/null
  [ "$(rows root.csv)" = "2 1 2" ]
fi

# A corrupted computation fails its check: exit 5, the row is ok=0.
set +e
mpi 2 "$sw" measure comm --np 2 --params op=allreduce,bytes=64,iters=5,corrupt=1 --reps 2:2 \
  --out bad.csv >/dev/null 2>err.txt; rc=$?
set -e
[ "$rc" -eq 5 ] || { echo "corrupt: exit $rc"; cat err.txt; exit 1; }
[ "$(grep -c 'allreduce sum wrong' err.txt)" -eq 1 ]
python3 -c 'import csv; r=list(csv.DictReader(open("bad.csv"))); assert len(r)==1 and r[0]["ok"]=="0" and "off by 1" in r[0]["label"], r'

# Errors agreed by all ranks: exactly one message, the exit code, no file.
bad() { # bad NP CODE TEXT ARGS...
  local np=$1 code=$2 want=$3; shift 3
  set +e
  mpi "$np" "$sw" measure --out x.csv "$@" >/dev/null 2>err.txt; local rc=$?
  set -e
  [ "$rc" -eq "$code" ] || { echo "measure $* at $np: exit $rc"; cat err.txt; exit 1; }
  [ "$(grep -c -- "$want" err.txt)" -eq 1 ] || { echo "want one '$want':"; cat err.txt; exit 1; }
  [ ! -e x.csv ] || { echo "measure $*: left x.csv"; exit 1; }
}
bad 2 2 "--np 8 is larger than the job: it has 2 rank" comm --np 1,8
bad 2 2 "op=pingpong needs at least 2 ranks" comm --np 1,2 --params op=pingpong
bad 1 2 "unknown parameter 'size'" comm --params size=3
bad 2 7 "choose a smaller size" comm --params op=allreduce,bytes=4096 --mem-limit 1000
echo "measure_mpi: ok"
