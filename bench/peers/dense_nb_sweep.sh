#!/usr/bin/env bash
# dense's block size against HPL's, in one interleaved run (issue 16): every
# round runs hpcc (HPL) once at each of HPL_NBS and, after each, the user's
# own command `scalewall measure dense` once with each of DENSE_PARAMS (the
# order rotated), reading the time `measure` records for the repetition
# (run_s).  A round's peer is HPL at its best NB in that round;
# the medians over rounds of (HPL best time / dense time) are printed per
# setting, so the load shared by both sides cancels as far as it can.
#   bench/peers/dense_nb_sweep.sh [BUILD_DIR] [N] [NP] [ROUNDS]
#   DENSE_PARAMS: dense parameters added to n=N, one setting per word, "-"
#   for the defaults (default "- nb=64 nb=128 nb=256 lookahead=0,nb=32
#   lookahead=0,nb=128"); HPL_NBS (default "128 256").
set -euo pipefail
build=${1:-build}
n=${2:-8000}
np=${3:-2}
rounds=${4:-2}
cd "$(dirname "$0")/../.."
. bench/peers/hpl_peer.sh
hpl_setup dense_nb_sweep "$np"
read -ra dnbs <<<"${DENSE_PARAMS:-- nb=64 nb=128 nb=256 lookahead=0,nb=32 lookahead=0,nb=128}"
read -ra hnbs <<<"${HPL_NBS:-128 256}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "dense_nb_sweep: $(date -u +%FT%TZ), N=$n ranks=$np grid=${pr}x$pc, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rows=()
for ((r = 1; r <= rounds; r++)); do
  for h in "${hnbs[@]}"; do
    t=$(hpl_run "$tmp" "$n" "$h" "$pr" "$pc" "${mpi[@]}")
    rows+=("$r hpl $h $t")
    echo "  round $r: HPL NB=$h $t s (load $(cut -d' ' -f1 /proc/loadavg))"
    k=${#dnbs[@]} off=${#rows[@]} # rotated: no nb always first after HPL
    for ((i = 0; i < k; i++)); do
      nb=${dnbs[$(((i + off) % k))]}
      t=$(dense_measured "$tmp" "$build" "$n" "$nb")
      rows+=("$r dense $nb $t")
      echo "  round $r: measure dense $nb $t s"
    done
  done
done

printf '%s\n' "${rows[@]}" | python3 -c '
import statistics, sys
n = float(sys.argv[1])
hpl, dense = {}, {}
for line in sys.stdin:
    r, who, nb, t = line.split()
    (hpl if who == "hpl" else dense).setdefault(int(r), {}).setdefault(nb, []).append(float(t))
f = 2.0 / 3.0 * n**3 + 1.5 * n**2 # HPL'"'"'s count, for both
print("\nHPL (hpcc), median time per NB over rounds:")
for nb in sorted({nb for d in hpl.values() for nb in d}, key=int):
    ts = [t for d in hpl.values() for t in d.get(nb, [])]
    print("  NB=%-4s %8.3f s  %6.2f GFlop/s  (%s)" % (nb, statistics.median(ts), f / statistics.median(ts) * 1e-9, " ".join("%.3f" % t for t in ts)))
print("measure dense, per setting (\"-\": defaults): median time; ratio HPL best-NB time of the round / dense time of the round (median, range):")
for nb in sorted({nb for d in dense.values() for nb in d}):
    q, ts = [], []
    for r, d in dense.items():
        if nb in d:
            best = min(min(v) for v in hpl[r].values())
            t = statistics.median(d[nb])
            ts += d[nb]
            q.append(best / t)
    print("  %-22s %8.3f s  %6.2f GFlop/s  ratio %.3f (%.3f..%.3f)" % (nb, statistics.median(ts), f / statistics.median(ts) * 1e-9, statistics.median(q), min(q), max(q)))
    print("SW_BENCH dense_nb_sweep params=%s ratio=%.4f dense_s=%.6g" % (nb, statistics.median(q), statistics.median(ts)))
' "$n"
