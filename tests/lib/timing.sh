# timing.sh — sourced by tests that compare timings (bash; `source
# "$SW_SOURCE_DIR/tests/lib/timing.sh"`), so they judge only when the
# machine let them measure, and never reuse a stale measurement.
#
#   timing_retry ATTEMPT [TRIES]
#
# runs the function ATTEMPT up to TRIES times (default 3), each time in a
# fresh empty directory (the function starts there: nothing of an earlier
# attempt can be picked up), and watches how much CPU time other processes
# took meanwhile: /proc/stat's busy time of the whole machine minus what
# this shell's children used (bash's `times`), over wall time x cores.
# ATTEMPT returns 0 when its timings agree, 1 when they do not, anything else
# when a command failed (that is a failure, never retried: with `set -e`
# off inside a function called from a condition, ATTEMPT must check its
# commands itself, e.g. `cmd || return 2`).
#
# An attempt during which others took more than TIMING_OTHERS_MAX (default
# 0.10) of the machine cannot judge; its outcome is set aside and it is
# retried after a pause (TIMING_PAUSE seconds, default 10).  Before each
# attempt a 2-second look at the machine saves starting one that could not
# judge, and no attempt starts after TIMING_DEADLINE seconds (default 300),
# so a loaded machine costs a skip, not ctest's timeout.  Verdict: a quiet attempt that agrees -> exit 0 of
# timing_retry; TIMING_MISSES quiet attempts that disagree (default 2) -> 1;
# only loaded ones ->
# 77 (ctest's "skipped") with the load seen.  Each attempt prints a line.

_timing_busy() { # seconds of CPU the whole machine has been busy
  awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {
      print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat
}

# _timing_ours VAR: sets VAR to the seconds of CPU this shell's finished
# children used.  `times` must run in this shell itself: in a $(...) or a
# pipe it would be a subshell's, which has no children.
_timing_ours() {
  local f
  f=$(mktemp)
  times >"$f"
  printf -v "$1" '%s' "$(awk 'NR == 2 {
      t = 0
      for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
      print t }' "$f")"
  rm -f "$f"
}

# _timing_probe: the share of the machine's CPU time others take over
# TIMING_PROBE seconds (default 2; this shell only sleeps meanwhile).
_timing_probe() {
  local b0 b1 w0 w1
  w0=$EPOCHREALTIME b0=$(_timing_busy)
  sleep "${TIMING_PROBE:-2}"
  w1=$EPOCHREALTIME b1=$(_timing_busy)
  awk -v w0="$w0" -v w1="$w1" -v b0="$b0" -v b1="$b1" -v c="$(getconf _NPROCESSORS_ONLN)" \
      'BEGIN { printf "%.2f", (b1 - b0) / ((w1 - w0) * c) }'
}

timing_retry() {
  local fn=$1 tries=${2:-3} max=${TIMING_OTHERS_MAX:-0.10} cores i rc
  local w0 b0 o0 w1 b1 o1 share mine misses=0 loaded=0 shares=""
  local base
  cores=$(getconf _NPROCESSORS_ONLN)
  base=$(pwd)
  local start=$SECONDS deadline=${TIMING_DEADLINE:-300} probe
  for ((i = 1; i <= tries; i++)); do
    if [ $((SECONDS - start)) -gt "$deadline" ]; then
      echo "timing: no attempt $i: ${deadline} s have passed"
      break
    fi
    probe=$(_timing_probe)
    if awk -v s="$probe" -v m="$max" 'BEGIN { exit !(s > m) }'; then
      loaded=$((loaded + 1))
      shares="$shares ${probe}"
      echo "timing: attempt $i not started: other processes took $probe of the machine's CPU" \
           "time ($cores cores; over $max)"
      [ "$i" -lt "$tries" ] && sleep "${TIMING_PAUSE:-10}"
      continue
    fi
    mkdir "$base/attempt-$i" && cd "$base/attempt-$i" || return 1
    _timing_ours o0
    w0=$EPOCHREALTIME b0=$(_timing_busy)
    rc=0
    "$fn" || rc=$?
    w1=$EPOCHREALTIME b1=$(_timing_busy)
    _timing_ours o1
    share=$(awk -v w0="$w0" -v w1="$w1" -v b0="$b0" -v b1="$b1" -v o0="$o0" -v o1="$o1" \
                -v c="$cores" 'BEGIN {
        s = ((b1 - b0) - (o1 - o0)) / ((w1 - w0) * c); printf "%.2f", s < 0 ? 0 : s }')
    mine=$(awk -v w0="$w0" -v w1="$w1" -v o0="$o0" -v o1="$o1" -v c="$cores" \
               'BEGIN { printf "%.2f", (o1 - o0) / ((w1 - w0) * c) }')
    cd "$base" || return 1
    echo "timing: attempt $i took $(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", b - a }') s;" \
         "its processes used $mine of the machine's CPU time, other processes $share"
    if [ "$rc" -gt 1 ]; then
      echo "timing: attempt $i: a command failed (exit $rc)"
      return 1
    fi
    if awk -v s="$share" -v m="$max" 'BEGIN { exit !(s > m) }'; then
      loaded=$((loaded + 1))
      shares="$shares ${share}"
      echo "timing: attempt $i: other processes took $share of the machine's CPU time" \
           "($cores cores; over $max): cannot judge"
      [ "$i" -lt "$tries" ] && sleep "${TIMING_PAUSE:-10}"
      continue
    fi
    if [ "$rc" -eq 0 ]; then
      echo "timing: attempt $i: agrees (other processes took $share of the machine's CPU time)"
      return 0
    fi
    misses=$((misses + 1))
    echo "timing: attempt $i: disagrees on a quiet machine (other processes took $share of" \
         "the machine's CPU time)"
    if [ "$misses" -ge "${TIMING_MISSES:-2}" ]; then
      return 1
    fi
  done
  if [ "$misses" -eq 0 ]; then
    echo "timing: skipped: the machine was too loaded to judge in $loaded attempt(s)" \
         "(other processes took$shares of the machine's CPU time; at most $max allowed)"
    return 77
  fi
  echo "timing: $misses quiet attempt(s) disagreed, fewer than the ${TIMING_MISSES:-2} that fail, and the others were too loaded to confirm it"
  return 77
}
