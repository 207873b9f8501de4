# hpl_peer.sh — sourced by the dense benches: HPL inside Debian's hpcc as the
# peer.  hpcc 1.5.0 runs its whole suite (RandomAccess, FFT, STREAM, ...)
# before HPL and takes no option to skip them, so a run costs minutes at
# N = 8000 while its HPL part costs seconds; HPL's own time is what is read.
#   hpl_setup NAME NP                  environment, ${mpi[@]}, $pr x $pc grid
#   hpl_run DIR N NB PR PC MPIRUN...   runs hpcc in DIR; prints HPL_time (s)
#   hpl_triad DIR                      StarSTREAM triad of the last run, GB/s
#   dense_measured DIR BUILD N PARAMS  our side: one `scalewall measure dense`
#                                      repetition with MPIRUN ${mpi[@]}; prints
#                                      the run_s it records

# Both sides' environment (one BLAS thread a rank), mpirun for NP ranks in
# `mpi`, and the grid dense builds: pr = the largest divisor of NP not above
# sqrt(NP), pc = NP/pr.  Without hpcc the calling script (NAME) ends, skipped.
#   hpl_setup NAME NP
hpl_setup() {
  if ! command -v hpcc >/dev/null; then
    echo "$1: hpcc not installed (apt-get install hpcc): skipped"
    exit 0
  fi
  [ "$(id -u)" -ne 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
  mpi=(mpirun -np "$2")
  [ "$2" -le "$(nproc)" ] || mpi+=(--oversubscribe)
  pr=1
  local d
  for ((d = 1; d * d <= $2; d++)); do (($2 % d == 0)) && pr=$d; done
  pc=$(($2 / pr))
}

# hpcc's sample input with N, NB, P and Q replaced; the rest is HPL's
# defaults (right-looking panel with recursive Crout factorisation,
# look-ahead depth 1, the 1-ring-modified broadcast).
hpl_input() {
  cat >"$1/hpccinf.txt" <<INF
HPLinpack benchmark input file
Innovative Computing Laboratory, University of Tennessee
HPL.out      output file name (if any)
8            device out (6=stdout,7=stderr,file)
1            # of problems sizes (N)
$2           Ns
1            # of NBs
$3           NBs
0            PMAP process mapping (0=Row-,1=Column-major)
1            # of process grids (P x Q)
$4           Ps
$5           Qs
16.0         threshold
1            # of panel fact
2            PFACTs (0=left, 1=Crout, 2=Right)
1            # of recursive stopping criterium
4            NBMINs (>= 1)
1            # of panels in recursion
2            NDIVs
1            # of recursive panel fact.
1            RFACTs (0=left, 1=Crout, 2=Right)
1            # of broadcast
1            BCASTs (0=1rg,1=1rM,2=2rg,3=2rM,4=Lng,5=LnM)
1            # of lookahead depth
1            DEPTHs (>=0)
2            SWAP (0=bin-exch,1=long,2=mix)
64           swapping threshold
0            L1 in (0=transposed,1=no-transposed) form
0            U  in (0=transposed,1=no-transposed) form
1            Equilibration (0=no,1=yes)
8            memory alignment in double (> 0)
##### This line (no. 32) is ignored (it serves as a separator). ######
0                      		Number of additional problem sizes for PTRANS
1200 10000 30000        	values of N
0                       	number of additional blocking sizes for PTRANS
40 9 8 13 13 20 16 32 64       	values of NB
INF
}

hpl_run() {
  local dir=$1 n=$2 nb=$3 pr=$4 pc=$5
  shift 5
  hpl_input "$dir" "$n" "$nb" "$pr" "$pc"
  rm -f "$dir/hpccoutf.txt"
  (cd "$dir" && "$@" hpcc >/dev/null)
  local t
  t=$(sed -n 's/^HPL_time=//p' "$dir/hpccoutf.txt" 2>/dev/null)
  # HPL's own scaled-residual check must have passed at this N.
  local sec
  sec=$(sed -n '/^Begin of HPL section/,/^End of HPL section/p' "$dir/hpccoutf.txt")
  if [ -z "$t" ] || ! grep -q "^HPL_N=$n\$" "$dir/hpccoutf.txt" ||
     ! grep -q 'PASSED$' <<<"$sec" || grep -q 'FAILED' <<<"$sec"; then
    echo "hpl_peer: hpcc gave no passing HPL result for N=$n NB=$nb (see $dir/hpccoutf.txt)" >&2
    return 1
  fi
  echo "${t%%$'\n'*}"
}

hpl_triad() { sed -n 's/^StarSTREAM_Triad=//p' "$1/hpccoutf.txt" | sed -n 1p; }

# The user's own command, as they run it: `measure dense` on $np ranks with
# n=N and PARAMS ("-": dense's defaults), one repetition, no warm-up; prints
# the repetition's time as measure records it (run_s).  A failed run or a
# row whose answer check failed ends the bench with measure's own message.
dense_measured() {
  local dir=$1 build=$2 p="n=$3"
  [ "$4" = - ] || p+=",$4"
  rm -f "$dir/m.csv"
  "${mpi[@]}" "$build/scalewall" measure dense --np "$np" --params "$p" --reps 1:1 \
      --warmup 0 --no-progress --out "$dir/m.csv" >/dev/null 2>"$dir/err" ||
      { cat "$dir/err" >&2; return 1; }
  python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1])))[-1]; assert r["ok"]=="1", r; print(r["run_s"])' "$dir/m.csv"
}
