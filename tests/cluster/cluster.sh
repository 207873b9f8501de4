#!/usr/bin/env bash
# cluster.sh — scalewall on an emulated 4-node Slurm cluster (issue 14), brought up and torn
# down by this test (tests/cluster/cluster-up.sh: network namespaces on a bridge, Open MPI over
# TCP, Debian's Slurm).  Checks, in order:
#   1. srun -N 2 --ntasks-per-node=1 scalewall measure comm: an inter-node alpha and beta,
#      a two-level platform file that simulate reads;
#      srun -N 2 --ntasks-per-node=2: both levels, the pairs within node1 and node1-node2;
#   2. sbatch of a sweep over 1, 2 and 4 nodes (measure --print-sbatch): COMPLETED, every
#      row with its nodes and each rank's host;
#   3. the same sweep scancel'led half-way, submitted again and that job's rank on node4
#      killed (a lost node), submitted a third time: every row written before each
#      interruption is still there, unchanged, and the sweep is complete;
#   4. links shaped (tbf) to 1 Gbit/s and 200 Mbit/s: the inter-node beta of measure comm
#      within 15% of the shaped rate;
#   5. at 200 Mbit/s, simulate with the written platform predicts the measured mlp step at
#      2 nodes x 1 rank within 20%;
#   6. salloc ... crosscheck --nodes 1,2,4 --sim-nodes 8 on that platform: real, simulated,
#      fitted and compared (the disagreement is reported, not held).
# Timing checks (4, 5) are retried with fresh measurements; when every try missed while the
# host was overloaded, the test says the machine was too loaded to judge and exits 77 (it
# never passes silently).  Whatever happens, the cluster is torn down and the test fails if
# a namespace, mount, daemon, veth or its directory is left behind.  ~2 minutes on 2 cores.
# ctest: serial
# ctest: nosan
set -uo pipefail
# Everything is bounded: each command by `timeout`, waits by DEADLINE, so the test always
# reaches its teardown long before ctest's own timeout (which would SIGKILL it).
DEADLINE=$((SECONDS + ${SW_CLUSTER_BUDGET:-420}))
sw=${SCALEWALL:?}
src=${SW_SOURCE_DIR:?}
here=$src/tests/cluster
T0=$SECONDS
say() { printf '[cluster %3ds] %s\n' $((SECONDS - T0)) "$*"; }
skip() { echo "SKIPPED (exit 77): $*" >&2; exit 77; }

# ---- can this host emulate a cluster at all?  Say why not, loudly. ----
[[ $(id -u) == 0 ]] || skip "needs root: network namespaces (CI runs as root)"
for t in ip nsenter unshare tc setsid munged slurmctld slurmd srun sbatch scancel sinfo mpirun python3; do
  command -v $t >/dev/null || skip "$t is missing (bash scripts/setup.sh installs munge, slurmctld, slurmd, slurm-client)"
done
unshare --net --uts true 2>/tmp/sw-cluster-probe.$$ ||
  { why=$(cat /tmp/sw-cluster-probe.$$); rm -f /tmp/sw-cluster-probe.$$; skip "cannot create network namespaces here: $why"; }
rm -f /tmp/sw-cluster-probe.$$

export CLU_DIR=$(mktemp -d /tmp/sw-cluster.XXXXXX)
export CLU_PREFIX=swt$$ CLU_CPUS=4
rmdir "$CLU_DIR" # cluster-up.sh creates it (and cluster-down.sh removes only what it made)
W=$(mktemp -d /tmp/sw-cluster-work.XXXXXX)
veths_before=$(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | sort)
judged_out=() # timing checks the load kept from judging

leftovers() { # what the cluster left behind, one line each
  ip netns list 2>/dev/null | awk '{print $1}' | grep "^$CLU_PREFIX-" | sed 's/^/namespace /'
  awk -v d="$CLU_DIR" 'index($5, d) == 1 {print "mount " $5}' /proc/self/mountinfo
  local f c # (the grep itself matches: it is gone, and unreadable, by the second look)
  for f in $(grep -laF -- "$CLU_DIR/" /proc/[0-9]*/cmdline 2>/dev/null); do
    c=$(tr '\0' ' ' <"$f" 2>/dev/null) && [[ $c == *"$CLU_DIR/"* ]] && echo "process ${f//[^0-9]/}: $c"
  done
  comm -13 <(echo "$veths_before") <(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | sort) |
    grep . | sed 's/^/veth /'
  [[ -e $CLU_DIR ]] && echo "directory $CLU_DIR"
}
teardown() {
  local rc=$?
  trap - EXIT INT TERM
  say "tearing down"
  bash "$here/cluster-down.sh" >"$W/down.log" 2>&1 || cat "$W/down.log"
  local left; left=$(leftovers)
  if [[ -n $left ]]; then
    echo "FAIL: the cluster left things behind:"; echo "$left" | sed 's/^/  /'
    rc=1
  else
    say "nothing left behind (namespaces, mounts, daemons, veths, $CLU_DIR)"
  fi
  # A rank that crashed left a core in $W (ulimit -c below): its backtrace, so that a
  # failure seen once in CI can be read without reproducing it.
  # A core lands in the crashed process's working directory (a step of
  # crosscheck runs in its own), and is read with the binary that dumped it:
  # measure and crosscheck run in scalewall-mpi, not the front end.
  local core exe=$sw
  [[ -x $(dirname "$sw")/scalewall-mpi ]] && exe=$(dirname "$sw")/scalewall-mpi
  while IFS= read -r core; do
    echo "backtrace of $core ($exe):"
    if command -v gdb >/dev/null; then
      timeout 60 gdb -q -batch -ex 'thread apply all bt 20' "$exe" "$core" 2>&1 | grep -E '^(#|Thread|Core|Program)' | head -80 || true
    else
      echo "  (no gdb to read it)"
    fi
  done < <(find "$W" -name 'core*' -type f 2>/dev/null)
  if ((rc != 0 && rc != 77)) && [[ -n ${SW_CLUSTER_KEEP:-} ]]; then echo "kept $W"; else rm -rf "$W"; fi
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*"; exit 1; }
say "bringing up 4 nodes in $CLU_DIR (namespaces $CLU_PREFIX-*)"
bash "$here/cluster-up.sh" 4 >"$W/up.log" 2>&1 || { cat "$W/up.log"; fail "cluster-up.sh 4"; }
PATH=$CLU_DIR/bin:$PATH
cd "$W"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
on() { clu-exec head "$@"; } # everything runs from the login node, like a user
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
cores=$(getconf _NPROCESSORS_ONLN)
overloaded() { awk -v l="$(load1)" -v c="$cores" 'BEGIN { exit !(l > 3 * c) }'; }

# ---- 1. the network per level ---------------------------------------------------------
say "srun -N 2 --ntasks-per-node=1 scalewall measure comm"
on timeout 120 srun --kill-on-bad-exit=1 -N 2 --ntasks-per-node=1 "$sw" measure comm --params max=1048576,factor=32,iters=20 \
  --reps 3:3 --out comm.csv --hockney h.json --write-platform p.json >comm.txt 2>&1 ||
  { cat comm.txt; fail "measure comm across 2 nodes"; }
sed -n '/alpha-beta fit/,$p' comm.txt
a=$(json h.json 'd["levels"]["inter"]["ops"]["pingpong"]["alpha_s"]')
b=$(json h.json 'd["levels"]["inter"]["ops"]["pingpong"]["beta_s_per_byte"]')
awk -v a="$a" -v b="$b" 'BEGIN { exit !(a > 0 && a < 0.01 && b > 0 && b < 1e-7) }' ||
  fail "inter-node alpha $a s, beta $b s/B: not a TCP network"
say "recorded: inter-node alpha $a s, beta $b s/B ($(awk -v b="$b" 'BEGIN{printf "%.0f", 1e-6/b}') MB/s)"
[[ $(json h.json '"intra" in d["levels"]') == False ]] || fail "one rank per node measured an intra level"
json p.json '[d["intra"]["alpha_s"], d["inter"]["beta_s_per_byte"], d["units_per_node"]]' >/dev/null ||
  fail "p.json is not a two-level platform"
[[ $(json p.json 'd["inter"]["beta_s_per_byte"]') == "$b" ]] || fail "platform inter beta != measured beta"
"$sw" simulate --platform p.json --n 1,2 >sim.txt || { cat sim.txt; fail "simulate --platform p.json"; }
say "srun -N 2 --ntasks-per-node=2 scalewall measure comm (both levels)"
on timeout 120 srun --kill-on-bad-exit=1 -N 2 --ntasks-per-node=2 "$sw" measure comm \
  --params op=pingpong,max=1048576,factor=32,iters=20 --reps 3:3 --out comm4.csv --hockney h4.json >comm4.txt 2>&1 ||
  { cat comm4.txt; fail "measure comm, 2 nodes x 2"; }
sed -n '/alpha-beta fit/,$p' comm4.txt
grep -q 'level=intra' comm4.csv && grep -q 'level=inter' comm4.csv || fail "comm4.csv lacks a level"
grep -q '"pair_hosts":"node1\*2"' h4.json && grep -q '"pair_hosts":"node\[1-2\]"' h4.json ||
  fail "the pairs are not within node1 and across node1-node2: $(cat h4.json)"

# ---- 2. sbatch: a sweep over 1, 2 and 4 nodes -----------------------------------------
# depth=2,width=512 trains in 10 steps at lr=0.02 (its loss check) in tens of ms per step.
mlp=(mlp --params depth=2,width=512,steps=10,lr=0.02 --nodes 1,2,4 --ranks-per-node 1)
left() { echo $((DEADLINE - SECONDS)); }
wait_job() { # JOBID: until it has left the queue (at most 150 s, or what the budget has left)
  local until=$((SECONDS + 150)); ((until > DEADLINE)) && until=$DEADLINE
  while ((SECONDS < until)); do
    on timeout 20 squeue -h -j "$1" 2>/dev/null | grep -q . || return 0; sleep 0.2
  done
  on scancel "$1" 2>/dev/null
  return 1
}
state() { on scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
ulimit -c unlimited 2>/dev/null # a crashing rank leaves a core in $W (SW_CLUSTER_KEEP=1 keeps it)
"$sw" measure "${mlp[@]}" --reps 3:3 --budget 5 --out sweep.csv --print-sbatch >job.sh ||
  fail "measure --print-sbatch"
grep -q '^#SBATCH --nodes=4' job.sh && grep -q '^#SBATCH --ntasks-per-node=1' job.sh &&
  grep -q -- '--resume' job.sh || { cat job.sh; fail "job.sh does not ask for 4 nodes x 1 and --resume"; }
say "sbatch job.sh (measure ${mlp[*]})"
jid=$(on sbatch --parsable job.sh) || fail "sbatch"
wait_job "$jid" || fail "job $jid still queued after 150 s"
[[ $(state "$jid") == COMPLETED ]] || { cat scalewall-mlp-"$jid".out; fail "job $jid: $(state "$jid")"; }
python3 - sweep.csv <<'PY' || fail "sweep.csv"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
want = {"1": "node1", "2": "node[1-2]", "4": "node[1-4]"}
got = {}
for r in rows:
    assert r["ok"] == "1", r
    assert r["params"].endswith(";ranks_per_node=1"), r["params"]
    got.setdefault(r["nodes"], set()).add(r["hosts"])
    assert r["ranks_per_node"] == "1" and r["n"] == r["nodes"], r
    assert "job=" in r["meta_slurm"], r["meta_slurm"]
assert {k: sorted(v) for k, v in got.items()} == {k: [v] for k, v in want.items()}, got
print("sweep.csv: %d rows; nodes and hosts: %s" % (len(rows), {k: sorted(v)[0] for k, v in got.items()}))
PY

# ---- 3. scancel half-way, a lost node, submit again: nothing lost --------------------
# Job A is scancel'led past the 1-node point; job B resumes and loses its rank on node4
# (kill -9: what a node failure looks like to the job step; srun --kill-on-bad-exit ends
# the step instead of leaving the other ranks waiting); job C resumes and completes.  After
# each, every complete row written so far must still be there, byte for byte, in place.
# Repetitions of ~0.2-1 s (200 steps): a cancel or a kill lands within a point, not
# after the sweep (with 10 steps the whole sweep took less than scancel's latency).
sed 's/sweep\.csv/resume.csv/; s/steps=10,/steps=200,/' job.sh >job2.sh
grep -q 'steps=200,' job2.sh || fail "job2.sh: the steps were not raised"
rows() { local n=0; [[ -f resume.csv ]] && n=$(grep -c '^mlp,' resume.csv); echo "${n:-0}"; }
kept() { # OLD NEW: every complete line of OLD starts NEW
  python3 -c 'import sys; o = open(sys.argv[1]).read(); n = open(sys.argv[2]).read()
sys.exit(not n.startswith(o[: o.rfind("\n") + 1]))' "$1" "$2"
}
# A cancelled job's ranks may outlive its place in the queue for a moment; a
# rank of the next job that starts meanwhile can take a connection from one of
# them, and Open MPI 4.1's TCP BTL then crashes in MPI_Init (a null handler,
# seen in CI).  The next job starts only when no rank of the last one is left.
gone() { # until no scalewall measure runs on any node (at most 30 s)
  local until=$((SECONDS + 30)) p busy
  while ((SECONDS < until)); do
    busy=
    for node in 1 2 3 4; do
      for p in $(ip netns pids "$CLU_PREFIX-node$node" 2>/dev/null); do
        c=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
        [[ $c == *" measure "* ]] && busy=1
      done
    done
    [[ -z $busy ]] && return 0
    sleep 0.2
  done
  return 1
}
say "sbatch, scancel half-way (job A)"
jid=$(on sbatch --parsable job2.sh) || fail "sbatch job2.sh"
until=$((SECONDS + 90))
while ((SECONDS < until && $(rows) < 4)); do sleep 0.1; done # past the 1-node point
on scancel "$jid"
wait_job "$jid" || fail "cancelled job $jid still queued"
a=$(rows)
say "job A ($jid) $(state "$jid") with $a of 9 rows recorded"
((a >= 1 && a < 9)) || { cat scalewall-mlp-"$jid".out; fail "the cancel did not land half-way ($a rows)"; }
cp resume.csv after-a.csv
gone || fail "job A's ranks still run 30 s after it left the queue"
say "sbatch again (job B, --resume), then kill -9 its rank on node4"
jid=$(on sbatch --parsable job2.sh) || fail "sbatch job2.sh again"
until=$((SECONDS + 90))
while ((SECONDS < until && $(rows) <= a)); do sleep 0.1; done # B has measured one more
victim=$(for p in $(ip netns pids "$CLU_PREFIX-node4" 2>/dev/null); do
  tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q " measure .*--resume" && echo "$p"; done)
[[ -n $victim ]] || { cat scalewall-mlp-"$jid".out; fail "no rank of job B on node4 to kill"; }
kill -9 $victim
wait_job "$jid" || fail "job B ($jid) still queued after its rank died: the step hung"
b=$(rows)
say "job B ($jid) $(state "$jid") after losing node4's rank, with $b of 9 rows recorded"
[[ $(state "$jid") != COMPLETED ]] || fail "job B completed: the kill landed after the sweep"
kept after-a.csv resume.csv || fail "job B lost or changed a row of job A"
cp resume.csv after-b.csv
gone || fail "job B's ranks still run 30 s after it left the queue"
say "sbatch again (job C, --resume)"
jid=$(on sbatch --parsable job2.sh) || fail "sbatch job2.sh a third time"
wait_job "$jid" || fail "job C ($jid) still queued after 150 s"
[[ $(state "$jid") == COMPLETED ]] || { cat scalewall-mlp-"$jid".out; fail "job C ($jid): $(state "$jid")"; }
grep -q 'resumed with' scalewall-mlp-"$jid".out || fail "job C did not resume"
kept after-b.csv resume.csv || fail "job C lost or changed a row"
python3 - resume.csv "$a" "$b" <<'PY' || fail "resume.csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
pts = {(r["nodes"], r["rep"]) for r in rows}
assert len(rows) == 9 and len(pts) == 9 and all(r["ok"] == "1" for r in rows), (len(rows), sorted(pts))
print("resume.csv: 9 rows: %s from job A, %d from job B, %d from job C" %
      (sys.argv[2], int(sys.argv[3]) - int(sys.argv[2]), 9 - int(sys.argv[3])))
PY

# ---- 4, 5. shaped links -------------------------------------------------------------
# Message sizes of 1-4 MiB: tbf is a token bucket whose first 64 KiB (one GSO packet) per
# message pass at full speed, a few percent of these sizes (docs/cluster.md).
beta_at() { # RATE_MBIT OUT.json [op=pingpong,]: measure comm's inter-node beta
  on timeout 120 srun --kill-on-bad-exit=1 -N 2 --ntasks-per-node=1 "$sw" measure comm \
    --params "${3:-}min=1048576,max=4194304,factor=2,iters=2" --reps 3:3 --warmup 1 \
    --out "comm$1.csv" --force --hockney "$2" --write-platform "${2%.json}.platform.json" \
    >"comm$1.txt" 2>&1 || { cat "comm$1.txt"; return 2; }
  json "$2" 'd["levels"]["inter"]["ops"]["pingpong"]["beta_s_per_byte"]'
}
judge() { # NAME: after a miss, retry or give up (fail, or not judged when overloaded)
  if overloaded; then judged_out+=("$1 (load $(load1) on $cores cores)"); return 0; fi
  return 1
}
for mbit in 1000 200; do
  clu-shape "${mbit}mbit" node1 node2 || fail "clu-shape ${mbit}mbit"
  ok=0
  for try in 1 2 3; do
    # At 200 Mbit/s the allreduce too: the platform for check 5 takes the inter-node
    # collective's cost from it (gamma); 1 Gbit/s needs only the ping-pong.
    b=$(beta_at "$mbit" "h$mbit.json" "$( ((mbit == 1000)) && echo op=pingpong,)") ||
      fail "measure comm at $mbit Mbit/s"
    err=$(awk -v b="$b" -v m="$mbit" 'BEGIN { printf "%+.1f", 100 * ((1 / b) / (m * 1e6 / 8) - 1) }')
    say "$mbit Mbit/s (try $try): beta $b s/B = $(awk -v b="$b" 'BEGIN{printf "%.2f", 1e-6/b}') MB/s, $err% from the shaped rate (load $(load1))"
    awk -v e="$err" 'BEGIN { exit !(e <= 15 && e >= -15) }' && { ok=1; break; }
    ((try < 3)) && say "outside 15%: measuring again"
    (($(left) < 60)) && break
  done
  ((ok)) || judge "beta at $mbit Mbit/s" || fail "beta at $mbit Mbit/s outside 15% three times"
done

# 5. mlp at 2 nodes x 1 rank, bandwidth-bound at 200 Mbit/s (links still shaped): 5.1 MB of
# gradients a step against ~20 ms of compute.
mlp200=(depth=2 width=1024 steps=4 lr=0.02)
params=$(IFS=,; echo "${mlp200[*]}")
python3 - >mlp-net.json <<'PY'
# measure mlp's network at depth=2, width=1024 (in=256, out=16), as tests/data/sim_mlp_workload.json
# spells the default one: fwd 2*i*o, bwd 4*i*o (2*i*o for the first layer, whose input gradient
# is not needed), params i*o.
import json
dims = [256, 1024, 1024, 16]
layers = []
for k, (i, o) in enumerate(zip(dims, dims[1:])):
    layers.append({"name": "w%d" % (k + 1), "fwd_flops": 2 * i * o,
                   "bwd_flops": (2 if k == 0 else 4) * i * o, "params": i * o, "activations": o})
print(json.dumps({"name": "mlp", "layers": layers}))
PY
ok=0
for try in 1 2 3; do
  # A retry measures everything again: the platform (the network may have been the noisy part)
  # and the steps.
  if ((try > 1)); then beta_at 200 h200.json >/dev/null || fail "measure comm at 200 Mbit/s"; fi
  on timeout 150 srun --kill-on-bad-exit=1 -N 2 --ntasks-per-node=1 "$sw" measure mlp --params "$params" --nodes 1,2 \
    --reps 3:5 --budget 4 --out mlp200.csv --force >mlp200.txt 2>&1 || { cat mlp200.txt; fail "measure mlp at 200 Mbit/s"; }
  read -r t1 t2 < <(python3 - mlp200.csv <<'PY'
import csv, statistics, sys
v = {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["ok"] == "1" and r["outlier"] != "1":
        v.setdefault(r["nodes"], []).append(float(r["value"]))
print(statistics.median(v["1"]), statistics.median(v["2"]))
PY
)
  "$sw" simulate --net mlp-net.json --platform h200.platform.json --t1 "$t1" --batch 256 \
    --overlap off --n 1,2 --format csv --out sim200.csv || fail "simulate at 200 Mbit/s"
  sim2=$(python3 -c 'import csv,sys; print({r["n"]: r["value"] for r in csv.DictReader(open(sys.argv[1]))}["2"])' sim200.csv)
  err=$(awk -v s="$sim2" -v m="$t2" 'BEGIN { printf "%+.1f", 100 * (s / m - 1) }')
  say "mlp at 200 Mbit/s (try $try): 1 node $t1 s/step; 2 nodes measured $t2 s/step, simulated $sim2 ($err%)"
  awk -v e="$err" 'BEGIN { exit !(e <= 20 && e >= -20) }' && { ok=1; break; }
  ((try < 3)) && say "outside 20%: measuring again"
  (($(left) < 30)) && break
done
((ok)) || judge "mlp prediction at 200 Mbit/s" || fail "mlp at 2 nodes outside 20% three times"

# 6. crosscheck across nodes, inside an allocation, on the platform measured at 200 Mbit/s:
# real 1, 2, 4 nodes, simulated 8 (SimGrid SMPI).  The disagreement is reported, not held:
# the emulation's 4 nodes share 2 cores (docs/cluster.md).
if [[ -f ${SW_BUILD_DIR:-}/scalewall_smpi.so ]] && command -v smpirun >/dev/null; then
  say "salloc -N 4 scalewall crosscheck mlp --nodes 1,2,4 --sim-nodes 8"
  on timeout 200 salloc -N 4 --ntasks-per-node=1 "$sw" crosscheck mlp --nodes 1,2,4 --sim-nodes 8 \
    --platform h200.platform.json --reps 3:3 --budget 2 --out-dir xc >xc.txt 2>&1 ||
    { cat xc.txt; fail "crosscheck --nodes"; }
  sed -n '/^crosscheck/,$p' xc.txt
  python3 - <<'PY' || fail "crosscheck.json"
import json
j = json.load(open("xc/crosscheck.json"))
assert j["real_nodes"] == [1, 2, 4] and j["sim_nodes"] == [8] and j["ranks_per_node"] == 1, j
assert j["platform"] == "h200.platform.json", j["platform"]
r = j["rows"][0]
assert r["n"] == 8 and r["simulated"] > 0 and r["predicted"]["value"] > 0, r
assert abs(r["disagreement_pct"] - 100 * (r["simulated"] / r["predicted"]["value"] - 1)) < 1e-6, r
assert j["summary"].startswith("Fitted on the real N = 1,2,4"), j["summary"]
PY
else
  say "crosscheck across nodes not run: no SMPI program in this build (sanitizers) or no smpirun"
fi
clu-shape off

if ((${#judged_out[@]})); then
  printf 'NOT JUDGED (the host was too loaded to time anything): %s\n' "${judged_out[@]}"
  say "correctness checks passed; timing checks not judged"
  exit 77
fi
say "all checks passed"
