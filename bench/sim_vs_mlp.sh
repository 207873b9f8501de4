#!/usr/bin/env bash
# The simulator's prediction of the real `mlp` workload against measurements
# at 1, 2, 4 and 8 ranks (4 and 8 oversubscribed on a 2-core machine), from
# `measure comm` and the one-rank run only; prints the rows of the table in
# docs/simulate.md.   bench/sim_vs_mlp.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
sw=$build/scalewall
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cores=$(getconf _NPROCESSORS_ONLN)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(--reps 5:9 --warmup 1 --no-progress)
mpirun -np 2 "$sw" measure comm --params min=65536,max=4194304,factor=4 --hockney "$tmp/h.json" \
    --out "$tmp/comm.csv" --no-progress >/dev/null
for n in 1 2 4 8; do
  mpirun --oversubscribe -np "$n" "$sw" measure mlp --np "$n" "${common[@]}" --out "$tmp/m$n.csv" >/dev/null
done
t1=$(python3 -c 'import csv,statistics,sys; print(statistics.median(float(r["value"]) for r in csv.DictReader(open(sys.argv[1])) if r["ok"]=="1"))' "$tmp/m1.csv")
"$sw" simulate --net tests/data/sim_mlp_workload.json --platform local --calibration "$tmp/h.json" \
    --t1 "$t1" --batch 256 --overlap off --cores "$cores" --n 1,2,4,8 --format csv --out "$tmp/sim.csv"
python3 - "$tmp" "$cores" <<'PY'
import csv, json, statistics, sys
d, cores = sys.argv[1], int(sys.argv[2])
h = json.load(open(d + "/h.json"))["ops"]
sim = {int(r["n"]): float(r["value"]) for r in csv.DictReader(open(d + "/sim.csv"))}
meas = {n: statistics.median(float(r["value"]) for r in csv.DictReader(open("%s/m%d.csv" % (d, n))) if r["ok"] == "1") for n in (1, 2, 4, 8)}
print("calibration: pingpong alpha %.2f us beta %.3f ns/B; allreduce alpha %.2f us beta %.3f ns/B; %d cores"
      % (h["pingpong"]["alpha_s"] * 1e6, h["pingpong"]["beta_s_per_byte"] * 1e9,
         h["allreduce"]["alpha_s"] * 1e6, h["allreduce"]["beta_s_per_byte"] * 1e9, cores))
print("| measured, s per step | " + " | ".join("%.4f" % meas[n] for n in (1, 2, 4, 8)) + " |")
print("| simulated, s per step | " + " | ".join("%.4f" % sim[n] for n in (1, 2, 4, 8)) + " |")
print("| simulated / measured − 1 | " + " | ".join("%+.1f%%" % (100 * (sim[n] / meas[n] - 1)) for n in (1, 2, 4, 8)) + " |")
PY
