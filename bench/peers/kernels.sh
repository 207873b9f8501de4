#!/usr/bin/env bash
# Runs the workload benchmarks (bench_kernels_*) at 1 and 2 ranks, each with its
# peer in the same run: dense vs HPL (hpcc), cg's SpMV vs a STREAM triad, mlp's
# training steps vs bare OpenBLAS SGEMMs of the same shapes.
#   bench/peers/kernels.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/../.."
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
for np in 1 2; do
  echo "== workloads at $np rank(s)"
  bash bench/peers/dense_vs_hpl.sh "$build" 2000 32 "$np" 5
  mpirun -np "$np" "$build/bench_kernels_cg" "nx=64,ny=64,nz=64,iters=50" 7
  mpirun -np "$np" "$build/bench_kernels_mlp" "" 5
done
