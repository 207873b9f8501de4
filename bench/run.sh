#!/usr/bin/env bash
# Runs every benchmark from a build directory: bench/run.sh [BUILD_DIR] (default build).
# Each prints its figures and a ratio against a peer measured in the same run.
set -euo pipefail
dir=${1:-build}
cd "$(dirname "$0")/.."
"$dir/bench_simulate"
"$dir/bench_top500" || [ $? -eq 77 ] # 77: the shared data folder is absent
"$dir/bench_fit"
"$dir/bench_startup" # whole fit/predict/simulate commands against /bin/true (issue 16)
mpirun --oversubscribe -np 2 "$dir/bench_comm" # ranks 0 and 1 of one node: shared-memory latency
bash bench/peers/kernels.sh "$dir"
bash bench/peers/as_measured.sh "$dir" # what `measure` records against the same peers (DENSE=1 adds dense vs HPL: minutes)
bash bench/bench_virtual.sh "$dir" || [ $? -eq 77 ] # 77: no SMPI program
bash bench/extrapolation/run.sh "$dir" || [ $? -eq 77 ] # 77: no corpus generated
bash bench/extrapolation/mlperf.sh "$dir" || [ $? -eq 77 ] # 77: no ../shared
"$dir/bench_train"
bash bench/mlperf_time_to_train.sh "$dir" || [ $? -eq 77 ] # 77: the shared data folder is absent
