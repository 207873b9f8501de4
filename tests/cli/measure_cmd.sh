#!/usr/bin/env bash
# `scalewall measure -- COMMAND`: the user's own program, timed or read via
# --metric, failures as ok=0 rows, timeouts, and bad input that leaves no file.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

col() { # col FILE NAME... -> the columns' values, one line per data row, tab-separated
  python3 - "$@" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print("\t".join(r[c] for c in sys.argv[2:]))
PY
}

# Timed: sleep 0.0{n} lasts at least n/100 s; two rows per N, all ok.
$sw measure --np 1,2 --reps 2:2 --out t.csv -- sh -c 'sleep 0.0{n}' >out.txt
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("t.csv")))
assert [r["n"] for r in rows] == ["1", "1", "2", "2"] and all(r["ok"] == "1" for r in rows)
for r in rows:
    n, v = float(r["n"]), float(r["value"])
    assert n / 100 <= v < n / 100 + 1.0, (n, v)
    # The template keeps its argument boundaries (shell-quoted; it was "sh -c sleep 0.0{n}").
    assert r["params"] == "sh -c 'sleep 0.0{n}'" and r["workload"] == "command", r["params"]
    assert r["meta_host"] and r["meta_mpi"].startswith("Open MPI") and r["meta_utc"].endswith("Z")
PY
grep -qE '^ +2 +2 +1 +2 ' out.txt

# --metric: the placeholder inside an argument, no shell, a rate:
# "rate 1.5" at N=1, "rate 2.5" at N=2 -> S = 2.5/1.5 = 1.667, E = 0.833.
$sw measure --np 1,2 --reps 1:1 --metric 'rate ([0-9.]+)' --metric-kind rate --unit items/s \
  --out m.csv -- printf 'rate %s.5\n' '{n}' >out.txt
[ "$(col m.csv value quantity unit | tr '\n\t' ' ,')" = "1.5,rate,items/s 2.5,rate,items/s " ]
grep -qE '^ +2 +2 +1 +1 .* 1\.667 +0\.833 +0\.2000$' out.txt

# Progress on stderr: drawn on a terminal (or with --progress), never without.
$sw measure --np 1,2 --reps 1:1 --progress -- true 2>err.txt >/dev/null
grep -qE $'\r\033\\[K\\[measure\\] point 2/2  N=2 \\(2x1\\) rep 0  elapsed [0-9]+:[0-9]{2}  ETA [0-9]+:[0-9]{2}' err.txt
$sw measure --np 1 --reps 1:1 -- true 2>err.txt >/dev/null
[ ! -s err.txt ]
# On a pseudo-terminal (util-linux script; skipped where it cannot make one).
if command -v script >/dev/null && script -qc "$sw measure --np 1 --reps 1:1 -- true" /dev/null \
  </dev/null >tty.txt 2>&1; then
  grep -q "point 1/1" tty.txt
fi

# --shell, and {t} with OMP_NUM_THREADS exported to the command.
$sw measure --np 1 --threads 2 --reps 1:1 --shell --metric 'v=([0-9]+)' --out s.csv \
  -- 'echo v=$((OMP_NUM_THREADS * 10 + {t}))' >/dev/null
[ "$(col s.csv value n threads | tr '\t' ,)" = "22,2,2" ]

# A failing command is a failed point (ok=0, reason kept), not a crash: exit 1.
set +e
$sw measure --np 1,2 --reps 2:2 --out f.csv -- sh -c '[ {n} -lt 2 ]' >out.txt 2>err.txt; rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "failing command: exit $rc"; cat err.txt; exit 1; }
[ "$(col f.csv ok label | tr '\n\t' ' ,')" = "1, 1, 0,exit status 1 " ]
grep -q 'N=2 (2 x 1) rep 0 failed: exit status 1' err.txt
grep -q '1 repetition(s) failed' out.txt

# --metric that does not match, and a timeout: failed points too.
set +e
$sw measure --np 1 --reps 1:1 --metric 'T=([0-9]+)' --out nm.csv -- echo nothing >/dev/null 2>&1
rc1=$?
start=$(date +%s)
$sw measure --np 1 --reps 1:1 --timeout 0.3 --out to.csv -- sleep 20 >/dev/null 2>&1; rc2=$?
set -e
[ "$rc1" -eq 1 ] && [ "$rc2" -eq 1 ]
[ $(( $(date +%s) - start )) -lt 10 ]
grep -q 'did not match' nm.csv
grep -q 'timed out after 0.3 s' to.csv

# Bad input: one clear line, exit 2, no results file.
bad() { # bad EXPECTED-TEXT ARGS... : must fail with exit 2 and create no x.csv
  local want=$1; shift
  set +e
  $sw measure --out x.csv "$@" >/dev/null 2>err.txt; local rc=$?
  set -e
  [ "$rc" -eq 2 ] || { echo "measure $*: exit $rc"; cat err.txt; exit 1; }
  grep -q -- "$want" err.txt || { echo "measure $*: no '$want' in:"; cat err.txt; exit 1; }
  [ ! -e x.csv ] || { echo "measure $*: left x.csv behind"; exit 1; }
}
bad "has no capture group" --np 1 --metric 'T=[0-9]+' -- echo T=1
bad "--metric '('" --np 1 --metric '(' -- echo T=1
bad "the command after '--' is empty" --np 1 --
bad "needs --np" -- echo hi
bad "unknown workload 'nosuch'" nosuch
bad "not both" comm -- echo hi
bad "--reps" --np 1 --reps 3:2 -- echo hi
bad "--metric-kind" --np 1 --metric-kind speed -- echo hi
bad "--threads" --np 1 --threads 0 -- echo hi

# An existing results file is never overwritten without --force.
cp t.csv keep.csv
set +e
$sw measure --np 1 --reps 1:1 --out keep.csv -- true 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q 'exists: --resume' err.txt && cmp -s t.csv keep.csv
$sw measure --np 1 --reps 1:1 --out keep.csv --force -- true >/dev/null
[ "$(wc -l <keep.csv)" -eq 2 ]
echo "measure_cmd: ok"
