#!/usr/bin/env bash
# What the user's command records against each workload's peer (issue 16):
# every round runs `scalewall measure WORKLOAD` itself, as a user does, and
# reads the repetitions it records (run_s, flops, bytes, value in the
# results file), then the workload's bench, which times the kernel alone and
# the peer, in the same round; ratios are taken within a round, and the
# medians of the rounds are printed.
#   mlp    whole step as recorded (GEMM flops / run_s) and the in-step GEMMs,
#          each against bare OpenBLAS SGEMMs of the same shapes (>= 0.90)
#   comm   ping-pong 0 B..4 KiB as recorded (seconds a message) against a
#          minimal MPI ping-pong (<= 1.10), 8 B allreduce against a bare
#          MPI_Allreduce loop (<= 1.10); 2 ranks
#   cg     128^3 as recorded (bytes / run_s) and its SpMV against a STREAM
#          triad (>= 0.85 out of cache)
#   dense  2 ranks, N = 8000, against HPL (hpcc) at its best of HPL_NBS
#          (default "128 256"): minutes; only with DENSE=1
#   bench/peers/as_measured.sh [BUILD_DIR] [ROUNDS]
# BEFORE=DIR (a directory holding another build's scalewall and its helpers,
# e.g. of an earlier commit) adds, in every round and beside the same peer,
# that build's comm rows (named ..._before): a change's before and after in
# one interleaved run.  ONLY=comm runs the comm rows alone.
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
cd "$(dirname "$0")/../.."
[ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
sw=$build/scalewall
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "as_measured: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $rounds round(s)"

# Median over a results file's rows of an expression of its columns.
csvmed() {
  python3 - "$1" "$2" <<'PY'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["ok"] == "1"]
print(statistics.median(eval(sys.argv[2], {}, {k: float(v) if v not in ("", None) and k in ("run_s", "flops", "bytes", "value") else v for k, v in r.items()}) for r in rows))
PY
}
# The value of KEY=... in the SW_BENCH line of a bench's output that matches PATTERN.
field() { sed -n "/^SW_BENCH.*$2/s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$3" | head -1; }
measure() { # OUT WORKLOAD ARGS...: the command as a user runs it
  local out=$1
  shift
  rm -f "$out"
  "$sw" measure "$@" --no-progress --out "$out" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
}
# Time rows: the command's median and minimum (seconds a message, from
# the rows of FILE with bytes=B), then the peer's and the kernel's.
timerow() {
  local v
  v=$(python3 -c '
import csv, statistics, sys
v = [float(r["value"]) * 1e6 for r in csv.DictReader(open(sys.argv[1]))
     if r["ok"] == "1" and ";bytes=%s;" % sys.argv[2] in ";" + r["params"] + ";"]
print(statistics.median(v), min(v))' "$1" "$2")
  echo "${v% *} $(field peer_us "$3" "$4") $(field comm_us "$3" "$4") ${v#* } $(field peer_min_us "$3" "$4") $(field comm_min_us "$3" "$4")"
}
rows=()
add() { rows+=("$1"); echo "  round $r: $1"; }

for ((r = 1; r <= rounds; r++)); do
  # mlp, defaults, one rank: flops / run_s of each recorded repetition.
  if [ "${ONLY:-}" != comm ]; then
    measure "$tmp/mlp.csv" mlp --np 1 --reps 3:3 --warmup 1
    cmd=$(csvmed "$tmp/mlp.csv" 'flops / run_s / 1e9')
    b=$(mpirun -np 1 "$build/bench_kernels_mlp" "" 3)
    add "mlp $cmd $(field sgemm_gflops mlp "$b") $(field mlp_gemm_gflops mlp "$b")"
  fi

  # comm, 2 ranks: seconds a message as recorded (value), per size.
  order=("" ${BEFORE:+_before})
  ((r % 2)) || order=(${BEFORE:+_before} "") # neither build always first
  for v in "${order[@]}"; do
    s=$sw
    [ -z "$v" ] || s=$BEFORE/scalewall
    rm -f "$tmp/pp0$v.csv" "$tmp/pp$v.csv" "$tmp/ar$v.csv"
    mpirun -np 2 "$s" measure comm --np 2 --params op=pingpong,bytes=0,iters=500 --reps 21:21 \
        --warmup 1 --no-progress --out "$tmp/pp0$v.csv" >/dev/null 2>&1
    mpirun -np 2 "$s" measure comm --np 2 --params op=pingpong,min=8,max=4096,iters=500 \
        --reps 21:21 --warmup 1 --no-progress --out "$tmp/pp$v.csv" >/dev/null 2>&1
    mpirun -np 2 "$s" measure comm --np 2 --params op=allreduce,bytes=8,iters=500 --reps 21:21 \
        --warmup 1 --no-progress --out "$tmp/ar$v.csv" >/dev/null 2>&1
  done
  b=$(mpirun -np 2 "$build/bench_comm" 21)
  for v in "" ${BEFORE:+_before}; do
    for bytes in 0 8 64 512 4096; do
      f=$tmp/pp$v.csv
      [ "$bytes" -ne 0 ] || f=$tmp/pp0$v.csv
      add "pingpong_$bytes$v $(timerow "$f" "$bytes" "op=pingpong bytes=$bytes " "$b")"
    done
    add "allreduce_8$v $(timerow "$tmp/ar$v.csv" 8 "op=allreduce bytes=8 " "$b")"
  done

  # cg 128^3 (~550 MB), one rank: bytes / run_s as recorded.
  if [ "${ONLY:-}" != comm ]; then
    p=nx=128,ny=128,nz=128,iters=20
    measure "$tmp/cg.csv" cg --np 1 --params "$p" --reps 3:3 --warmup 1
    cmd=$(csvmed "$tmp/cg.csv" 'bytes / run_s / 1e9')
    b=$(mpirun -np 1 "$build/bench_kernels_cg" "$p" 3)
    add "cg128 $cmd $(field triad_gbs cg_spmv "$b") $(field cg_spmv_gbs cg_spmv "$b")"
  fi

  if [ -n "${DENSE:-}" ]; then
    best=
    for nb in ${HPL_NBS:-128 256}; do
      b=$(SW_DENSE_MEASURE=1 bash bench/peers/dense_vs_hpl.sh "$build" 8000 "$nb" 2 1)
      d=$(field dense_s dense_vs_hpl "$b") h=$(field hpl_s dense_vs_hpl "$b")
      echo "    HPL NB=$nb: $h s; measure dense $d s"
      if [ -z "$best" ] || awk -v a="$h" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$h bnb=$nb; fi
      dl=$d
    done
    # Rates (1/time): the command's against HPL's at its best NB.
    add "dense8000 $(awk -v t="$dl" 'BEGIN {print 1 / t}') $(awk -v t="$best" 'BEGIN {print 1 / t}') - (HPL NB=$bnb)"
  fi
done

# Per row: median over rounds of command/peer and kernel/peer: rates for
# mlp, cg and dense (higher is better), times for ping-pong and allreduce.
printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
by = {}
for line in sys.stdin:
    f = line.split()
    by.setdefault(f[0], []).append(f[1:])
what = {"mlp": ("GFlop/s", "whole step as recorded / bare SGEMM", ">= 0.90"),
        "cg128": ("GB/s", "as recorded / STREAM triad", ">= 0.85"),
        "dense8000": ("1/s", "as recorded / HPL at its best NB", ">= 0.90")}
print("\nrow              command   peer      kernel    command/peer (range)      kernel/peer  target")
for k, rs in by.items():
    time = k.startswith(("pingpong", "allreduce"))
    cmd = [float(x[0]) for x in rs]
    peer = [float(x[1]) for x in rs]
    ker = [float(x[2]) if x[2] != "-" else float("nan") for x in rs]
    q = [c / p for c, p in zip(cmd, peer)]
    kq = [c / p for c, p in zip(ker, peer)]
    unit = "us" if time else what[k][0]
    tgt = "time <= 1.10x" if time else what[k][2]
    print("%-14s %9.4g %9.4g %9.4g  %6.3f (%.3f..%.3f)  %10.3f  %s [%s]" % (k, statistics.median(cmd),
          statistics.median(peer), statistics.median(ker), statistics.median(q), min(q), max(q),
          statistics.median(kq), tgt, unit))
    extra = ""
    if time: # preemption only adds time: the minima are the steadier comparison
        mq = min(float(x[3]) for x in rs) / min(float(x[4]) for x in rs)
        mk = min(float(x[5]) for x in rs) / min(float(x[4]) for x in rs)
        print("%-14s   minima: command/peer %.3f, kernel/peer %.3f" % ("", mq, mk))
        extra = " min_ratio=%.4f min_kernel_ratio=%.4f" % (mq, mk)
    print("SW_BENCH as_measured row=%s ratio=%.4f kernel_ratio=%.4f%s" % (k, statistics.median(q), statistics.median(kq), extra))
'
