#!/usr/bin/env bash
# tests/lib/timing.sh, the retry-or-skip rule of the tests that compare
# timings (issue 11: a retry reused the first attempt's calibration, and a
# loaded machine failed the suite): every attempt starts in an empty
# directory, a failed command is a failure at once, two quiet misses fail,
# attempts under load are set aside and only-loaded runs skip (77).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
source "$SW_SOURCE_DIR/tests/lib/timing.sh"
export TIMING_PAUSE=0 TIMING_PROBE=0.2
expect() { # expect RC FN [TRIES]: timing_retry's status
  local want=$1 rc=0
  shift
  local d
  d=$(mktemp -d -p "$tmp")
  (cd "$d" && timing_retry "$@" > "$tmp/log" 2>&1) || rc=$?
  [ "$rc" -eq "$want" ] || { cat log; echo "timing_retry $*: exit $rc, want $want"; exit 1; }
}
n=0
fresh() { # fails if anything of an earlier attempt is here
  [ -z "$(ls -A)" ] || return 2
  echo x > calibration.json
  return 1
}
agree() { return 0; }
disagree() { return 1; }
broken() { return 2; }
second() { # disagrees once, then agrees
  [ -e ../attempt-1/miss ] && return 0
  touch miss
  return 1
}
export TIMING_OTHERS_MAX=1e9 # nothing counts as load
expect 0 agree
expect 1 disagree
grep -q "attempt 2: disagrees" log
expect 1 broken
grep -q "a command failed" log
if grep -q "attempt 2" log; then cat log; exit 1; fi
expect 1 fresh 3 # fresh dirs: two quiet misses, not a failed command
grep -q "attempt 2: disagrees" log
expect 0 second
export TIMING_OTHERS_MAX=-1 # every attempt counts as loaded
expect 77 agree 2
grep -q "too loaded to judge in 2 attempt(s)" "$tmp/log"
expect 77 disagree 3
expect 77 broken # never started
grep -q "attempt 1 not started" log
# none starts once the deadline has passed (here: after the first pause)
TIMING_DEADLINE=0 TIMING_PAUSE=1.1 expect 77 agree 3
grep -q "no attempt 2: 0 s have passed" log
# the load measure itself: what our own children burn is ours, not
# "others" (bash's `times` must run in the shell, not in a subshell)
export TIMING_OTHERS_MAX=1e9 # run it whatever the load
spin() { timeout 2 sh -c 'while :; do :; done' || true; return 0; }
d=$(mktemp -d -p "$tmp")
(cd "$d" && timing_retry spin 1 > "$tmp/log" 2>&1) || true
cat "$tmp/log"
read -r mine others < <(sed -n "s/.*its processes used \([0-9.]*\) of the machine's CPU time, other processes \([0-9.]*\)/\1 \2/p" "$tmp/log")
[ -n "$mine" ] && [ -n "$others" ] || { echo "no shares printed"; exit 1; }
awk -v m="$mine" -v o="$others" 'BEGIN { exit !(m > 0 && m + o <= 1.1) }' ||
  { echo "shares do not add up: ours $mine, others $others"; exit 1; }
echo ok
