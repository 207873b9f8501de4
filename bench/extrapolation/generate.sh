#!/usr/bin/env bash
# generate.sh — regenerates the extrapolation corpus: series.csv (the metadata
# table, drawn by draw.py) and corpus.csv (the simulated strong-scaling series,
# scalewall's observation format), by running every series' pattern program
# under SimGrid SMPI at every N, one simulation at a time, under nice -n 10;
# and steps.csv: one rank's step times of every straggler series (its program
# at N = 1 for 1000 iterations with steps=1), for `fit --step-times`.
#
#   bench/extrapolation/generate.sh [--variants V] [--only ID[,ID...]] [--half H] [--redo]
#                                   [--out DIR]
#
#   --variants V   variants per (pattern, platform) cell (default 2: 36 series)
#   --only IDS     simulate only these series (the others keep their results)
#   --half H       simulate only the series of half H (tune or holdout)
#   --redo         simulate again even the series whose results are kept
#   --out DIR      write series.csv, corpus.csv and steps.csv into DIR, holding only the
#                  series selected by --only and --half (a fresh draw to check
#                  the fit on, e.g. variants 3 and 4, without touching the
#                  corpus the project keeps; docs/fit.md, "Fresh draws")
#
# Results of each series are kept in $CORPUS_WORK/series/ID.csv (default
# build-extrapolation/ at the top of the repository), so an interrupted run
# resumes where it stopped; corpus.csv is assembled from them at the end
# (the series simulated so far, in series.csv's order).  Needs libsimgrid-dev
# (smpicc, smpirun) and python3.  A full generation takes about 25 minutes of
# one core (1427 s of CPU for 437 of the 461 simulations; docs/fit.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${CORPUS_WORK:-$repo/build-extrapolation}
variants=2 only="" half_only="" redo=0 dest=$here
while [ $# -gt 0 ]; do
  case $1 in
    --variants) variants=$2; shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    --half) half_only=$2; shift 2 ;;
    --redo) redo=1; shift ;;
    --out) dest=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "generate.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for t in smpicc smpirun python3; do
  command -v $t >/dev/null || { echo "generate.sh: $t is not installed (libsimgrid-dev, python3)" >&2; exit 1; }
done
mkdir -p "$work/so" "$work/series" "$work/tmp" "$dest"
dest=$(cd "$dest" && pwd)

python3 "$here/draw.py" --variants "$variants" >"$dest/series.csv.tmp"
if [ "$dest" != "$here" ]; then # only the selected series
  awk -F, -v only="$only" -v half="$half_only" \
    'NR == 1 || ((only == "" || index(only, "," $1 ",")) && (half == "" || $2 == half))' \
    "$dest/series.csv.tmp" >"$dest/series.csv.sel" && mv "$dest/series.csv.sel" "$dest/series.csv.tmp"
fi
mv "$dest/series.csv.tmp" "$dest/series.csv"

# The pattern programs: shared objects that smpirun loads (smpicc's output).
for src in "$here"/patterns/*.c; do
  so=$work/so/$(basename "$src" .c).so
  if [ ! -e "$so" ] || [ "$src" -nt "$so" ] || [ "$here/patterns/common.h" -nt "$so" ]; then
    smpicc -O2 -Wall -Wextra -Werror -o "$so" "$src" -lm
  fi
done

# Hostfiles: rank r runs on line r.  twolevel puts 8 consecutive ranks on a node.
for p in flat fattree; do seq 0 1023 | sed 's/^/node-/' >"$work/hosts-$p.txt"; done
seq 0 127 | awk '{for (c = 0; c < 8; c++) print "node-" $1}' >"$work/hosts-twolevel.txt"

# One simulation: prints the time per iteration, or fails naming the run; its
# host time goes to $work/runs.log (id n wall user system, seconds).
simulate() { # id platform net coll pattern args n
  local id=$1 platform=$2 net=$3 coll=$4 pattern=$5 args=$6 n=$7 cfg=()
  case $net in
    clean) cfg+=(--cfg=smpi/bw-factor:0:1 --cfg=smpi/lat-factor:0:1 --cfg=network/crosstraffic:0) ;;
    default) ;; # SMPI's calibrated piecewise latency/bandwidth factors and cross-traffic
    *) echo "generate.sh: $id: unknown network model '$net'" >&2; return 1 ;;
  esac
  case $coll in
    p2p) ;;
    mpich|ompi) cfg+=(--cfg=smpi/coll-selector:"$coll") ;;
    rab_rdb|rdb) cfg+=(--cfg=smpi/allreduce:"$coll") ;;
    pair|bruck) cfg+=(--cfg=smpi/alltoall:"$coll") ;;
    *) echo "generate.sh: $id: unknown collective '$coll'" >&2; return 1 ;;
  esac
  local out rc t0=$EPOCHREALTIME
  # smpirun writes smpitmp-* files into its cwd and copies into TMPDIR.  The
  # subshell's `times` (its children's CPU time) is the simulation's.
  out=$(cd "$work/tmp" && { TMPDIR=$work/tmp nice -n 10 smpirun -np "$n" \
      -platform "$here/platforms/$platform.xml" -hostfile "$work/hosts-$platform.txt" \
      -no-privatize --cfg=smpi/host-speed:1Gf --cfg=smpi/simulate-computation:no "${cfg[@]}" \
      --log=root.thr:error "$work/so/$pattern.so" ${args//;/ } 2>&1; echo "rc=$?"; times; })
  rc=$(echo "$out" | grep '^rc=' | tail -1)
  echo "$out" | tail -1 | awk -v id="$id" -v n="$n" -v w="$EPOCHREALTIME" -v w0="$t0" '
    function s(x, m) { split(x, m, /[ms]/); return m[1] * 60 + m[2] }
    { printf "%s %s %.2f %.2f %.2f\n", id, n, w - w0, s($1), s($2) }' >>"$work/runs.log"
  [ "$rc" = rc=0 ] ||
    { echo "generate.sh: $id at N = $n: smpirun failed ($rc):" >&2; echo "$out" | tail -7 | head -5 >&2; return 1; }
  printf '%s\n' "$out" >"$work/last.out" # the step lines of a straggler's steps=1 run
  local line
  line=$(echo "$out" | grep '^result ' | tail -1)
  case $line in
    *" n=$n "*"check=ok "*|*" n=$n "*"check=skipped "*) ;;
    *) echo "generate.sh: $id at N = $n: no valid result line:" >&2; echo "$out" | tail -5 >&2; return 1 ;;
  esac
  echo "$line" | sed 's/.*time_per_iter=\([^ ]*\).*/\1/'
}

start=$SECONDS
ids=()
{
  read -r _header
  while IFS=, read -r id half pattern platform variant seed net coll ns t1 args; do
    ids+=("$id")
    [ -z "$only" ] || [[ $only == *",$id,"* ]] || continue
    [ -z "$half_only" ] || [ "$half_only" = "$half" ] || continue
    res=$work/series/$id.csv
    [ $redo -eq 1 ] || [ ! -s "$res" ] || continue
    s0=$SECONDS
    params="id=$id;platform=$platform;net=$net;coll=$coll;$args"
    : >"$res.tmp"
    for n in ${ns//;/ }; do
      v=$(simulate "$id" "$platform" "$net" "$coll" "$pattern" "$args" "$n")
      # Closed form at N = 1: no communication, the compute alone (straggler: t1(1 + X)).
      if [ "$n" = 1 ]; then
        python3 -c 'import sys; v, t1, p = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
ok = v >= t1 * (1 - 1e-6) if p == "straggler" else abs(v / t1 - 1) <= 1e-6
sys.exit(0 if ok else 1)' "$v" "$t1" "$pattern" ||
          { echo "generate.sh: $id: T(1) = $v s, but the compute alone is $t1 s" >&2; exit 5; }
      fi
      echo "$pattern,$params,strong,1,$n,$v" >>"$res.tmp"
    done
    mv "$res.tmp" "$res"
    echo "$id ($half): $(wc -l <"$res") points, $((SECONDS - s0)) s"
  done
} <"$dest/series.csv"

# steps.csv: one rank's step times of every straggler series, $STEPS
# iterations at N = 1 with steps=1 (`fit --step-times`, docs/fit.md
# "Stragglers from one rank's step times"): rank 0's stream continues past the
# 20 iterations the series time, as a user times one rank for longer.
STEPS=1000
{
  read -r _header
  while IFS=, read -r id half pattern platform variant seed net coll ns t1 args; do
    [ "$pattern" = straggler ] || continue
    [ -z "$only" ] || [[ $only == *",$id,"* ]] || continue
    [ -z "$half_only" ] || [ "$half_only" = "$half" ] || continue
    res=$work/steps/$id.csv
    [ $redo -eq 1 ] || [ ! -s "$res" ] || continue
    mkdir -p "$work/steps"
    sargs=$(echo "$args" | sed "s/iters=[0-9]*/iters=$STEPS/");
    simulate "$id" "$platform" "$net" "$coll" "$pattern" "$sargs;steps=1" 1 >/dev/null
    grep '^step ' "$work/last.out" |
      awk -v p="straggler,id=$id;steps=$STEPS" '{print p ",strong,1,1," $3}' >"$res.tmp"
    [ "$(wc -l <"$res.tmp")" -eq $STEPS ] ||
      { echo "generate.sh: $id: $(wc -l <"$res.tmp") step times, not $STEPS" >&2; exit 5; }
    mv "$res.tmp" "$res"
    echo "$id: $STEPS step times at N = 1"
  done
} <"$dest/series.csv"

# corpus.csv: every series that has its results, in series.csv's order.
have=() missing=()
for id in "${ids[@]}"; do
  if [ -s "$work/series/$id.csv" ]; then have+=("$id"); else missing+=("$id"); fi
done
{ echo "workload,params,scaling,simulated,n,value"
  for id in "${have[@]}"; do cat "$work/series/$id.csv"; done; } >"$dest/corpus.csv.tmp"
mv "$dest/corpus.csv.tmp" "$dest/corpus.csv"
{ echo "workload,params,scaling,simulated,n,value"
  for id in "${have[@]}"; do [ ! -s "$work/steps/$id.csv" ] || cat "$work/steps/$id.csv"; done
} >"$dest/steps.csv.tmp"
mv "$dest/steps.csv.tmp" "$dest/steps.csv"
echo "$dest/corpus.csv: ${#have[@]} of ${#ids[@]} series, $(($(wc -l <"$dest/corpus.csv") - 1)) points"
[ ${#missing[@]} -eq 0 ] || echo "generate.sh: not simulated yet: ${missing[*]}"
echo "this run: $((SECONDS - start)) s elapsed"
[ ! -s "$work/runs.log" ] ||
  awk '{w += $3; c += $4 + $5; k++} END {printf "runs.log: %d simulations, %.0f s elapsed, %.0f s of CPU in all\n", k, w, c}' \
    "$work/runs.log"
