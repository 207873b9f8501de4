#!/usr/bin/env bash
# Results survive interruption: Ctrl-C (SIGINT) of a command sweep and
# kill -9 of one MPI rank leave valid files with every finished point, a
# torn last line is cut, and --resume completes the sweep with each
# (params, N, threads, rep) exactly once.
set -euo pipefail
sw=${SCALEWALL:?}
command -v mpirun >/dev/null || exit 77
tmp=$(mktemp -d)
# A failed check must not leave the background sweep (an mpirun job that
# spins two ranks for minutes) running after the test.
bg=
trap '[ -z "$bg" ] || kill $bg 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$tmp"
export OMP_NUM_THREADS=1

check() { # check FILE EXPECTED-ROWS ("any" = at least one): valid, unique, all ok
  python3 - "$@" <<'PY'
import csv, json, sys
path, want = sys.argv[1], sys.argv[2]
if path.endswith(".jsonl"):
    rows = [json.loads(l) for l in open(path)]
    keys = [(r["params"], r["n"], r["threads"], r["rep"]) for r in rows]
    ok = all(r["ok"] for r in rows)
else:
    rows = list(csv.DictReader(open(path)))
    keys = [(r["params"], float(r["n"]), float(r["threads"]), int(r["rep"])) for r in rows]
    ok = all(r["ok"] == "1" for r in rows)
assert len(keys) == len(set(keys)), f"{path}: duplicate points"
assert ok, f"{path}: a failed point"
assert (len(rows) > 0 if want == "any" else len(rows) == int(want)), f"{path}: {len(rows)} rows, want {want}"
print(len(rows))
PY
}

wait_rows() { # wait_rows FILE N: until FILE has N data rows (or 180 s: a
  # machine loaded 10x over runs the 45 rows of part 2 in well over 30 s)
  for _ in $(seq 1800); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -gt "$2" ] && return 0
    sleep 0.1
  done
  echo "no $2 rows in $1"; exit 1
}

# 1. Ctrl-C in the middle of a command sweep (4 N x 3 reps of 0.1 s).
set -m # a background job of its own, so SIGINT is not ignored
$sw measure --np 1,2,3,4 --reps 3:3 --no-progress --out c.csv --jsonl c.jsonl \
  -- sh -c 'sleep 0.1' >/dev/null 2>&1 &
pid=$!
bg=$pid
set +m
wait_rows c.csv 3
kill -INT "$pid"
wait "$pid" && { echo "interrupted sweep exited 0"; exit 1; } || true
n=$(check c.csv any)
[ "$n" -lt 12 ] || { echo "the sweep finished before the interrupt"; exit 1; }
head -n $((n + 1)) c.csv >before.csv
# A write torn by the interrupt: half a row without its newline.
printf 'command,sh -c sl' >>c.csv
$sw measure --np 1,2,3,4 --reps 3:3 --out c.csv --jsonl c.jsonl --resume \
  -- sh -c 'sleep 0.1' >out.txt 2>err.txt
grep -q "resumed with $n repetition" err.txt
check c.csv 12 >/dev/null
check c.jsonl 12 >/dev/null
cmp -s before.csv <(head -n $((n + 1)) c.csv) || { echo "finished rows changed"; exit 1; }
grep -qE '^ +4 +4 +1 +3 ' out.txt
# Resuming a complete sweep measures nothing more.
$sw measure --np 1,2,3,4 --reps 3:3 --out c.csv --resume -- sh -c 'sleep 0.1' >/dev/null 2>&1
check c.csv 12 >/dev/null

# 2. kill -9 of one rank of an MPI sweep: mpirun ends the job; the file
# keeps what rank 0 had written and --resume finishes (2 N x 40 reps).
# Each repetition is ~30 ms (30000 allreduces of 8 B), so the 35 left after
# row 45 take ~1 s: time enough to kill on a quiet machine (at 3000 the job
# could end first, and pgrep found no rank to kill).
args=(measure comm --np 1,2 --params op=allreduce,bytes=8,iters=30000 --reps 40:40
      --warmup 0 --no-progress --out m.csv)
mpirun --oversubscribe -np 2 "$sw" "${args[@]}" >/dev/null 2>&1 &
mpid=$!
bg=$mpid
wait_rows m.csv 45
victim=$(pgrep -P "$mpid" | tail -1 || true)
[ -n "$victim" ] || { echo "no rank left to kill: the sweep ended before the kill"; exit 1; }
kill -9 "$victim"
wait "$mpid" && { echo "killed job exited 0"; exit 1; } || true
n=$(check m.csv any)
[ "$n" -lt 80 ] || { echo "the sweep finished before the kill"; exit 1; }
timeout 600 mpirun --oversubscribe -np 2 "$sw" "${args[@]}" --resume >/dev/null 2>&1
check m.csv 80 >/dev/null
echo "measure_resume: ok"
