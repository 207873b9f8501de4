#!/usr/bin/env bash
# The simulator predicts the real `mlp` workload on this machine from two
# inputs only: `scalewall measure comm` (Hockney alpha-beta at 2 ranks) and a
# one-rank `scalewall measure mlp`.  The prediction of the 2-rank step must be
# within 15% of the 2-rank measurement taken in the same run.  4 ranks
# (oversubscribed on the 2-core CI machine) are measured and printed with
# `--cores` applied, but not held to the tolerance: time-slicing ranks makes
# every message wait for a scheduler turn, which the model leaves out
# (docs/simulate.md has the figures).  Attempts and the load they saw:
# tests/lib/timing.sh.
# ctest: serial
# ctest: nosan
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
src=${SW_SOURCE_DIR:?}
command -v mpirun >/dev/null && command -v python3 >/dev/null || exit 77
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
cores=$(getconf _NPROCESSORS_ONLN) # not nproc: it obeys OMP_NUM_THREADS
[ "$cores" -ge 2 ] || { echo "needs 2 cores for a 2-rank measurement"; exit 77; }

common=(--reps 5:9 --warmup 1 --no-progress)
med() { # median seconds per step of the checked rows of a results file
  python3 -c '
import csv, statistics, sys
v = [float(r["value"]) for r in csv.DictReader(open(sys.argv[1])) if r["ok"] == "1"]
assert v, sys.argv[1]
print(statistics.median(v))' "$1"
}

# One attempt, in the fresh directory timing_retry gives it: calibrate,
# measure 1, 2 and 4 ranks, simulate, compare.  0 within tolerance, 1
# outside it, 2 when a command failed (set -e is off in a function called
# from a condition, so every command is checked here).
attempt() {
  mpirun -np 2 "$sw" measure comm --params min=65536,max=4194304,factor=4 --hockney h.json \
      --out comm.csv --no-progress >comm.txt || return 2
  "$sw" measure mlp --np 1 "${common[@]}" --out m1.csv >m1.txt || return 2
  mpirun -np 2 "$sw" measure mlp --np 2 "${common[@]}" --out m2.csv >m2.txt || return 2
  mpirun --oversubscribe -np 4 "$sw" measure mlp --np 4 "${common[@]}" --out m4.csv >m4.txt ||
    return 2
  local t1 t2 t4
  t1=$(med m1.csv) && t2=$(med m2.csv) && t4=$(med m4.csv) || return 2
  "$sw" simulate --net "$src/tests/data/sim_mlp_workload.json" --platform local \
      --calibration h.json --t1 "$t1" --batch 256 --overlap off --allreduce ring --cores "$cores" \
      --n 1,2,4 --format csv --out sim.csv || return 2
  python3 - "$t1" "$t2" "$t4" <<'PY'
import csv, sys
t1, t2, t4 = map(float, sys.argv[1:])
sim = {int(r["n"]): float(r["value"]) for r in csv.DictReader(open("sim.csv"))}
if abs(sim[1] / t1 - 1) > 1e-9:  # --t1 calibrates exactly: a bug, not noise
    print("T1 %r simulated as %r" % (t1, sim[1]))
    sys.exit(2)
err2, err4 = sim[2] / t2 - 1, sim[4] / t4 - 1
print("mlp step: 1 rank %.4f s; 2 ranks measured %.4f s, simulated %.4f s (%+.1f%%); "
      "4 ranks (oversubscribed) measured %.4f s, simulated %.4f s (%+.1f%%)"
      % (t1, t2, sim[2], 100 * err2, t4, sim[4], 100 * err4))
sys.exit(0 if abs(err2) <= 0.15 else 1)
PY
}

# The machine may be shared: tests/lib/timing.sh runs each attempt from
# scratch in its own directory (a fresh calibration every time, issue 11),
# sets aside attempts during which other processes took the cores, fails on
# two quiet misses and skips (77) when the machine never got quiet.
source "$src/tests/lib/timing.sh"
# Three quiet misses of four fail it: a VM's host load is invisible from
# inside (no steal time in /proc/stat here), and a clean-clone CI run on a
# quiet guest once measured the 2-rank step 16% and 20% slow twice in a row
# while two other runs agreed; a wrong model misses every attempt.
TIMING_MISSES=3 timing_retry attempt 4
