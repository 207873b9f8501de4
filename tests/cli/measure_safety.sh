#!/usr/bin/env bash
# measure's results files and process control (issue 11, docs/reliability.md):
#   low     one lock per results file (a second sweep fails at once), --np 1,1,
#           resume after a torn row whose quoted field holds a newline, a
#           results file behind a dangling link;
#   medium  Ctrl-C during --timeout left the user's command running;
#   low     a background process holding stdout was timed (3 s, not ms);
#   medium  weak scaling with --threads grew the problem with ranks only.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
fail() { echo "measure_safety: $*"; exit 1; }
rows() { python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$1"; }
wait_for() { # wait_for TEST...: up to 20 s
  for _ in $(seq 200); do "$@" && return 0; sleep 0.1; done
  fail "timed out waiting for: $*"
}

# --- the lock: a second sweep on the same file stops at once, untouched ---
# The first sweep's command waits for 'go' (at most 20 s), so the first is
# still running whatever the load when the second starts.
gate='for i in $(seq 200); do [ -e go ] && exit 0; sleep 0.1; done'
"$sw" measure --np 1,2 --reps 2:2 --out lock.csv -- sh -c "$gate" >/dev/null 2>&1 &
first=$!
wait_for test -s lock.csv # the header: the file is open and locked
cp lock.csv lock.before
start=$(date +%s%N)
set +e
"$sw" measure --np 1,2 --reps 2:2 --out lock.csv --resume -- sh -c 'sleep 0.{n}' >/dev/null 2>err.txt
rc=$?
set -e
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" -eq 4 ] && grep -q "lock.csv: another scalewall is writing to it" err.txt ||
  { cat err.txt; fail "second sweep: exit $rc"; }
# (a second sweep that waited for the lock would wait the 20 s of the gate)
[ "$took" -lt 10000 ] || fail "the second sweep waited ${took} ms instead of failing at once"
cmp -s lock.before lock.csv || fail "the refused sweep changed lock.csv"
touch go
wait "$first"
[ "$(rows lock.csv)" -eq 4 ] || fail "lock.csv has $(rows lock.csv) rows, want 4"
# Once the first is done the file is free again.
"$sw" measure --np 1,2 --reps 2:2 --out lock.csv --resume -- true >/dev/null 2>&1

# --- --np 1,1: measured once, said once -----------------------------------
"$sw" measure --np 1,1,2 --threads 1,1 --reps 2:2 --out dup.csv -- true >/dev/null 2>err.txt
[ "$(rows dup.csv)" -eq 4 ] || fail "dup.csv: $(rows dup.csv) rows, want 4"
grep -q -- "--np: 1 is given more than once; measured once" err.txt
grep -q -- "--threads: 1 is given more than once" err.txt

# --- a torn last row whose quoted field holds a newline (a --shell script) --
script=$'true\ntrue'
"$sw" measure --np 1,2 --reps 2:2 --shell --out torn.csv -- "$script" >/dev/null 2>&1
"$sw" measure --np 1,2 --reps 2:2 --shell --out torn.csv -- "$script" >/dev/null 2>&1 && fail "no --resume"
cp torn.csv torn.complete
# Half of a repetition's row: the quoted params, cut after its newline.
printf 'command,"true\ntr' >>torn.csv
python3 - <<'PY'
rows = open("torn.csv").read()
assert rows.count('"true\ntrue"') == 4 and rows.endswith('"true\ntr'), rows[-40:]
PY
"$sw" measure --np 1,2,3 --reps 2:2 --shell --out torn.csv --resume -- "$script" >/dev/null 2>err.txt ||
  { cat err.txt; fail "resume after a torn row failed"; }
grep -q "resumed with 4 repetition" err.txt
[ "$(rows torn.csv)" -eq 6 ] || fail "torn.csv: $(rows torn.csv) rows, want 6"
cmp -s torn.complete <(head -c "$(stat -c %s torn.complete)" torn.csv) || fail "finished rows changed"

# --- a results file behind a dangling link: refused, nothing created -------
ln -s nowhere.csv dangling.csv
set +e
"$sw" measure --np 1 --reps 1 --out dangling.csv -- true >/dev/null 2>err.txt; rc=$?
set -e
[ "$rc" -eq 4 ] && grep -q "dangling.csv: a symbolic link to 'nowhere.csv', which does not exist" err.txt
[ ! -e nowhere.csv ] && [ -L dangling.csv ]
# A link to an existing file is followed: rows land in the file, link kept.
touch real.csv && ln -s real.csv alive.csv
"$sw" measure --np 1 --reps 1 --out alive.csv -- true >/dev/null 2>&1
[ -L alive.csv ] && [ "$(rows real.csv)" -eq 1 ]

# --- Ctrl-C under --timeout stops the command's whole group ---------------
marker=31.$$ # a sleep only this test runs
set -m # a job of its own, so the shell does not ignore SIGINT for it
"$sw" measure --np 1 --reps 3:3 --timeout 60 --out int.csv -- sh -c "sleep 0.2; sleep $marker" \
  >/dev/null 2>int.err &
pid=$!
set +m
wait_for pgrep -f "^sleep $marker" >/dev/null
kill -INT "$pid"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" -eq 130 ] || { cat int.err; fail "interrupted sweep exited $rc, want 130"; }
grep -q "interrupted (SIGINT, Ctrl-C); the command was stopped" int.err
for _ in $(seq 30); do pgrep -f "^sleep $marker" >/dev/null || break; sleep 0.1; done
if pgrep -af "^sleep $marker"; then pkill -f "^sleep $marker"; fail "the command outlived Ctrl-C"; fi
[ "$(rows int.csv)" -eq 0 ] # the repetition cut short is not recorded

# --- time to the command's exit, not to the end of its output -------------
"$sw" measure --np 1 --reps 2:2 --out bg.csv -- sh -c 'sleep 3 & echo x' >/dev/null 2>&1
python3 - <<'PY'
import csv
v = [float(r["value"]) for r in csv.DictReader(open("bg.csv"))]
assert len(v) == 2 and max(v) < 1.5, v
PY

# --- weak scaling with threads: the problem grows with N = ranks x threads --
# cg's flops per repetition at 2 threads are twice those at 1 (N doubled);
# they used to be equal, with S and E computed for N = 2 (E = 2.85).
OMP_NUM_THREADS=1 "$sw" measure cg --threads 1,2 --scaling weak --params nx=8,ny=8,nz=4,iters=5 \
  --reps 1:1 --warmup 0 --out weak.csv >/dev/null 2>&1
python3 - <<'PY'
import csv
f = {int(r["threads"]): float(r["flops"]) for r in csv.DictReader(open("weak.csv"))}
assert abs(f[2] / f[1] - 2) < 0.3, f  # 2.16: the boundary planes
PY
echo "measure_safety: ok"
