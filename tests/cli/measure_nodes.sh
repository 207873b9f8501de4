#!/usr/bin/env bash
# measure's placement on one host (the emulated cluster, tests/cluster/, does it across nodes):
# --nodes/--ranks-per-node make labelled series whose rows carry nodes, ranks_per_node and each
# rank's host; placements the job cannot give, and options that do not go together, are one
# line and exit 2 before anything runs; --print-sbatch writes a job script that resumes;
# Slurm's allocation variables outside a job step do not make scalewall think it was launched.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v mpirun >/dev/null && command -v python3 >/dev/null || exit 77
export OMP_NUM_THREADS=1
host=$(python3 -c 'import socket; print(socket.gethostname())')
p=depth=1,width=16,in=8,out=4,batch=32,steps=20,lr=0.05
fail() { echo "FAIL: $*"; exit 1; }

# 1. Both series on one node: intra (nodes=1) over 1 and 2 ranks, inter at 2 per node.
mpirun -np 2 "$sw" measure mlp --nodes 1 --ranks-per-node 1,2 --params "$p" --reps 3:3 \
  --warmup 0 --no-progress --out r.csv >r.txt 2>r.err || { cat r.err; fail "measure --nodes"; }
python3 - "$host" <<'PY' || fail "r.csv"
import csv, sys
host = sys.argv[1]
rows = list(csv.DictReader(open("r.csv")))
series = {}
for r in rows:
    series.setdefault(r["params"].rsplit(";", 1)[1], []).append(r)
assert sorted(series) == ["nodes=1", "ranks_per_node=2"], sorted(series)
for r in rows:
    ranks = int(r["ranks"])
    assert r["nodes"] == "1" and int(r["ranks_per_node"]) == ranks, r
    assert r["hosts"] == (host if ranks == 1 else host + "*2"), r["hosts"]
    assert r["meta_nodes"] == "1" and "meta_slurm" in r, r
assert [r["n"] for r in series["nodes=1"]] == ["1"] * 3 + ["2"] * 3
assert [r["n"] for r in series["ranks_per_node=2"]] == ["2"] * 3
print("r.csv: %d rows in %s" % (len(rows), sorted(series)))
PY
# The hosts column survives a resume (the same columns) and a fit reads a labelled series.
mpirun -np 2 "$sw" measure mlp --nodes 1 --ranks-per-node 1,2 --params "$p" --reps 3:3 \
  --warmup 0 --no-progress --out r.csv --resume >/dev/null 2>rr.err || { cat rr.err; fail "resume"; }
grep -q "resumed with 9 repetition" rr.err || fail "nothing resumed: $(cat rr.err)"
[ "$(grep -c '^mlp,' r.csv)" = 9 ] || fail "the resume measured again"
# Readers keep the two series apart (fit asks which one).
! "$sw" fit r.csv >fit.txt 2>&1 && grep -q 'the file mixes 2 series' fit.txt &&
  grep -q ';nodes=1 \[time, strong\]' fit.txt && grep -q ';ranks_per_node=2 \[time, strong\]' fit.txt ||
  { cat fit.txt; fail "the labelled series are not two series"; }

# 2. Refusals: one line, exit 2, nothing written.
expect() { # needle command...
  local needle=$1 rc=0
  shift
  "$@" >e.out 2>e.err || rc=$?
  [ "$rc" = 2 ] || { cat e.err; fail "$*: exit $rc, want 2"; }
  [ "$(grep -c '^scalewall' e.err)" = 1 ] || { cat e.err; fail "$*: not one line"; }
  grep -qF -- "$needle" e.err || { cat e.err; fail "$*: no '$needle'"; }
}
expect "2 node(s) asked for, but the job runs on 1 ($host): start it on 2 nodes (srun -N 2" \
  mpirun -np 2 "$sw" measure mlp --nodes 1,2 --params "$p" --out x.csv --no-progress
expect "3 rank(s) per node asked for, but the job has 2 on node $host" \
  mpirun -np 2 "$sw" measure mlp --nodes 1 --ranks-per-node 3 --params "$p" --out x.csv --no-progress
[ ! -e x.csv ] || fail "a refused sweep created its results file"
expect "--np and --nodes/--ranks-per-node both choose the ranks" \
  "$sw" measure mlp --np 1 --nodes 1
expect "comm measures each network level by itself" "$sw" measure comm --nodes 1,2
expect "--nodes and --ranks-per-node place a built-in workload's ranks" \
  "$sw" measure --nodes 1,2 -- true
expect "--write-platform is for the comm workload" "$sw" measure mlp --write-platform p.json
expect "--write-platform measures each network level: it needs a job on 2 or more nodes" \
  mpirun -np 2 "$sw" measure comm --params op=pingpong,bytes=8 --write-platform p.json --no-progress
[ ! -e p.json ] || fail "a platform from one node"
expect "--print-sbatch: give --out" "$sw" measure mlp --nodes 1,2 --print-sbatch

# 3. The job script: sized from the options, this directory, --resume, never --force.
"$sw" measure mlp --nodes 1,2,4 --ranks-per-node 2 --threads 3 --params "$p" --out 'my r.csv' \
  --force --print-sbatch >job.sh
grep -qx '#SBATCH --nodes=4' job.sh && grep -qx '#SBATCH --ntasks-per-node=2' job.sh &&
  grep -qx '#SBATCH --cpus-per-task=3' job.sh && grep -qx "#SBATCH --chdir=$PWD" job.sh ||
  { cat job.sh; fail "job.sh headers"; }
line=$(grep '^srun ' job.sh)
[[ $line == "srun --kill-on-bad-exit=1 $(realpath "$sw") measure "* ]] || fail "srun line: $line"
[[ $line == *"--out 'my r.csv'"* && $line == *" --resume --no-progress" && $line != *--force* ]] ||
  fail "srun line: $line"
sh -n job.sh || fail "job.sh is not valid sh"
"$sw" measure mlp --np 1,4 --out r2.csv --print-sbatch | grep -qx '#SBATCH --ntasks=4' ||
  fail "--np sizes the job by --ntasks"

# 4. salloc's shell (SLURM_NTASKS, no job step) is not a launched rank: a command sweep runs.
SLURM_JOB_ID=1 SLURM_NTASKS=4 SLURM_PROCID=0 "$sw" measure --np 1 --reps 1:1 --out c.csv \
  --no-progress -- true >c.txt 2>&1 || { cat c.txt; fail "a command sweep inside salloc"; }
grep -q 'job=1' c.csv || fail "meta_slurm does not name the job"
echo "measure_nodes: ok"
