#!/usr/bin/env bash
# `measure --platform`'s budgets without SimGrid: --dry-run's estimate per N
# against the message counts by hand, the refusals it leads to, and the
# watchdog that stops a simulation passing its time or memory budget while it
# runs.  A stand-in smpirun (a script first on PATH that sleeps, or grows to
# 600 MB) plays the simulation, so this runs in every build, sanitizers too.
set -euo pipefail
sw=${SCALEWALL:?}
tmp=$(mktemp -d)
trap 'pkill -KILL -f "$tmp/bin" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$tmp"

# 1. --dry-run: rdb is p lg p messages an allreduce; cg does 2 iters + 1 of
# them a repetition, here 1 repetition and no warm-up, and the harness 2 a
# repetition and 10 a point.
$sw measure cg --platform flat:speed=1Gf --np 64,1024 --smpi-alg rdb --reps 1:1 --warmup 0 \
    --params nx=8,ny=8,nz=1024,iters=5 --dry-run >dry.txt
grep -q '^dry run: cg nx=8,ny=8,nz=1024,iters=5' dry.txt
python3 - <<'PY'
import re
got = {int(m.group(1)): float(m.group(2)) for m in
       re.finditer(r"N = (\d+) +(\S+) simulated messages", open("dry.txt").read())}
want = {p: p * (p.bit_length() - 1) * (2 * 5 + 1 + 2 + 10) for p in (64, 1024)}
assert set(got) == set(want), got
for p in want:
    assert abs(got[p] / want[p] - 1) < 5e-3, (p, got[p], want[p])
PY
grep -q 'on simulated flat:speed=1Gf: 1024 flat hosts' dry.txt
[ ! -e results.csv ] # a dry run writes nothing

# The same sweep refused on time (exit 2) and on memory (exit 7), before
# anything runs, with the estimate in the one line.
refused() { # code needle args...
  local code=$1 needle=$2 rc=0
  shift 2
  $sw measure cg --platform flat:speed=1Gf --np 64,1024 --params nx=8,ny=8,nz=1024,iters=5 \
      "$@" 2>ref.err >/dev/null || rc=$?
  [ "$rc" = "$code" ] || { echo "$*: exit $rc, want $code"; cat ref.err; exit 1; }
  [ "$(wc -l <ref.err)" = 1 ] && grep -q -- "$needle" ref.err || { cat ref.err; exit 1; }
}
refused 2 'a 1024-rank simulation would take about' --smpi-alg ring --sim-budget 10 --dry-run
refused 7 'more than the 0.01 GB allowed' --sim-mem 1e7 --dry-run
refused 2 "--sim-mem 'lots': bytes of host memory" --sim-mem lots

# 2. The watchdog, with a stand-in smpirun and program.
mkdir bin
cat >bin/smpirun <<'EOF'
#!/bin/sh
case "$FAKE_SMPI" in
  mem) exec python3 -c 'import time; a = b"x" * (600 << 20); time.sleep(60)' "swmem$SW_MARK" ;;
  *) exec sleep "$SW_MARK" ;;
esac
EOF
chmod +x bin/smpirun
touch fake.so
export SCALEWALL_SMPI_SO=$tmp/fake.so PATH=$tmp/bin:$PATH
small=(mlp --platform flat:speed=1Gf --np 16 --params depth=2,width=64,in=64,out=16,batch=64,steps=2
       --reps 1:1 --warmup 0 --no-progress --out w.csv)
# The stand-ins carry this run's own mark (a sleep of SW_MARK seconds, an
# argument swmemSW_MARK): a bare "sleep 60" also matched other programs on a
# shared machine, and the test failed without a word.
export SW_MARK=$((600000 + $$ % 100000))
mine="^sleep $SW_MARK\$|swmem$SW_MARK"
gone() { # the simulation's processes are gone (within 5 s)
  for _ in $(seq 50); do pgrep -f "$mine" >/dev/null || return 0; sleep 0.1; done
  echo "left behind:"; pgrep -af "$mine"; return 1
}

# Time: stopped at the budget (exit 1), its process group with it.
t0=$(date +%s.%N)
rc=0
$sw measure "${small[@]}" --sim-budget 1 2>time.err || rc=$?
t1=$(date +%s.%N)
[ "$rc" = 1 ] || { echo "time: exit $rc"; cat time.err; exit 1; }
grep -q 'stopped the simulation after [0-9.]* s .* over the 1 s of --sim-budget' time.err ||
  { echo "time: no budget message"; cat time.err; exit 1; }
python3 -c "import sys; assert 1 <= $t1 - $t0 < 30, $t1 - $t0"
gone

# Memory: a 600 MB simulation under a 300 MB allowance (exit 7).
rc=0
FAKE_SMPI=mem $sw measure "${small[@]}" --sim-mem 3e8 2>mem.err || rc=$?
[ "$rc" = 7 ] || { echo "memory: exit $rc"; cat mem.err; exit 1; }
grep -q 'over the 0.3 GB of host memory allowed' mem.err || { cat mem.err; exit 1; }
gone

# Ctrl-C reaches the simulation's own process group through scalewall.
$sw measure "${small[@]}" 2>int.err &
pid=$!
for _ in $(seq 50); do pgrep -f "^sleep $SW_MARK\$" >/dev/null && break; sleep 0.1; done
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { echo "interrupt: exit $rc"; cat int.err; exit 1; }
grep -q 'interrupted; points finished before are kept' int.err || { cat int.err; exit 1; }
sleep 0.3
gone
echo ok
