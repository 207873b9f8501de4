#!/usr/bin/env bash
# dense vs HPL: runs bench_kernels_dense and Debian's hpcc (its HPL) at the same
# N, NB, process grid and ranks, alternating round by round so both see the same
# machine, and prints the ratio HPL time / dense time (>= 0.9 is the target:
# dense at least 90% as fast as HPL).  Also prints hpcc's StarSTREAM triad.
#   bench/peers/dense_vs_hpl.sh [BUILD_DIR] [N] [NB] [NP] [ROUNDS]
# With SW_DENSE_MEASURE=1 the dense side is `scalewall measure dense` itself
# (the repetition's time as recorded, dense's default block size) and NB is
# HPL's alone (bench/peers/as_measured.sh).
set -euo pipefail
build=${1:-build}
n=${2:-2000}
nb=${3:-128}
np=${4:-1}
rounds=${5:-3}
cd "$(dirname "$0")/../.."
. bench/peers/hpl_peer.sh
hpl_setup dense_vs_hpl "$np"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ours=() hpl=() triad=() ratio=()
for ((r = 1; r <= rounds; r++)); do
  if [ -n "${SW_DENSE_MEASURE:-}" ]; then
    # The whole command as the user runs it, with dense's own default block
    # size: the time `measure` records for the repetition (run_s).
    ours+=("$(dense_measured "$tmp" "$build" "$n" -)")
  else
    line=$("${mpi[@]}" "$build/bench_kernels_dense" "n=$n,nb=$nb" 3 | grep '^SW_BENCH')
    ours+=("$(sed -n 's/.*dense_time_s=\([^ ]*\).*/\1/p' <<<"$line")")
  fi
  hpl+=("$(hpl_run "$tmp" "$n" "$nb" "$pr" "$pc" "${mpi[@]}")")
  triad+=("$(hpl_triad "$tmp")")
  ratio+=("$(awk -v a="${hpl[-1]}" -v b="${ours[-1]}" 'BEGIN {print a / b}')")
  echo "  round $r: dense ${ours[-1]} s, HPL ${hpl[-1]} s, ratio ${ratio[-1]}"
done
to=$(printf '%s\n' "${ours[@]}" | median)
th=$(printf '%s\n' "${hpl[@]}" | median)
tt=$(printf '%s\n' "${triad[@]}" | median)
tr=$(printf '%s\n' "${ratio[@]}" | median)
lo=$(printf '%s\n' "${ratio[@]}" | sort -g | head -1)
hi=$(printf '%s\n' "${ratio[@]}" | sort -g | tail -1)
awk -v n="$n" -v nb="$nb" -v np="$np" -v pr="$pr" -v pc="$pc" -v to="$to" -v th="$th" \
    -v tt="$tt" -v r="$rounds" -v tr="$tr" -v lo="$lo" -v hi="$hi" 'BEGIN {
  f = 2.0 / 3.0 * n * n * n + 1.5 * n * n
  printf "dense vs HPL (hpcc) N=%d NB=%d ranks=%d grid=%dx%d, median of %d rounds:\n", n, nb, np, pr, pc, r
  printf "  dense %.4f s = %.2f GFlop/s; HPL %.4f s = %.2f GFlop/s\n", to, f / to * 1e-9, th, f / th * 1e-9
  printf "  ratio HPL time / dense time = %.3f (median of rounds; range %.3f..%.3f; target >= 0.90)\n", tr, lo, hi
  printf "  hpcc StarSTREAM triad %.2f GB/s a rank (arrays sized from N: may sit in cache)\n", tt
  printf "SW_BENCH dense_vs_hpl=%.4f dense_s=%.6g hpl_s=%.6g\n", tr, to, th
}'
