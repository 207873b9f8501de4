#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan) and runs
# each one from its checked-in corpus.  Fails on any crash, leak, timeout,
# sanitizer report or broken property; the input that did it is saved under
# build-fuzz/artifacts/TARGET/ (replay it: build-fuzz/fuzz/fuzz_TARGET FILE).
#
#   bash scripts/fuzz.sh                   CI: every target for 15 s, 2 at a time
#   bash scripts/fuzz.sh --time 60 obs     one target, longer
#   bash scripts/fuzz.sh --runs 1000000    a campaign: each target to 10^6 executions,
#                                          one at a time, under nice (docs/reliability.md)
#   bash scripts/fuzz.sh --runs 1000000 --time 1800 plan   ... stopping at 30 min if not there yet
#   bash scripts/fuzz.sh --merge           fold what the runs found into fuzz/corpus/
#                                          (only inputs that add coverage)
# Options: --time S (per target), --runs N, --jobs J, --dir BUILD_DIR, --merge, --no-build.
# New inputs go to BUILD_DIR/corpus/TARGET, never into fuzz/corpus/ unless --merge.
set -euo pipefail
cd "$(dirname "$0")/.."
time_s= runs=0 jobs=$(nproc) dir=build-fuzz merge=0 build=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_s=$2; shift 2 ;;
    --runs) runs=$2; jobs=1; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

[ "$runs" -gt 0 ] || time_s=${time_s:-15}
if [ "$build" = 1 ]; then
  command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (bash scripts/setup.sh)" >&2; exit 1; }
  CC=clang bash scripts/build.sh "$dir" -DSW_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do t=${f#fuzz/fuzz_}; targets+=("${t%.c}"); done
fi

# Leaks are failures; the suppressions name only other libraries' process-lifetime caches.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_one() {
  local t=$1 work=$dir/corpus/$1 art=$dir/artifacts/$1/ log=$dir/logs/$1.log
  mkdir -p "$work" "$art" "$dir/logs"
  local args=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art")
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  [ "$runs" -gt 0 ] && args+=(-runs="$runs")
  [ -n "$time_s" ] && args+=(-max_total_time="$time_s")
  local rc=0 start=$SECONDS
  if [ "$runs" -gt 0 ]; then
    nice -n 10 "$dir/fuzz/fuzz_$t" "${args[@]}" "$work" "fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  else
    "$dir/fuzz/fuzz_$t" "${args[@]}" "$work" "fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  fi
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-12s %s  %10s execs  %4d s  corpus %s\n' "$t" "$([ $rc = 0 ] && echo ok || echo FAIL)" \
    "${execs:-?}" $((SECONDS - start)) "$(find "$work" "fuzz/corpus/$t" -type f | wc -l)"
  if [ $rc != 0 ]; then
    # Read whole, not piped into head: under pipefail grep would die of SIGPIPE.
    local why
    why=$(grep -E "ERROR|SUMMARY|property failed|Test unit written" "$log" || true)
    sed -n '1,8s/^/    /p' <<<"$why"
    echo "    full log: $log"
  fi
  return $rc
}

if [ "$merge" = 1 ]; then
  for t in "${targets[@]}"; do
    mkdir -p "$dir/corpus/$t"
    before=$(find "fuzz/corpus/$t" -type f | wc -l)
    "$dir/fuzz/fuzz_$t" -merge=1 -timeout=10 -rss_limit_mb=2048 "fuzz/corpus/$t" "$dir/corpus/$t" \
      >"$dir/logs/$t.merge.log" 2>&1
    echo "$t: $before -> $(find "fuzz/corpus/$t" -type f | wc -l) inputs in fuzz/corpus/$t"
  done
  exit 0
fi

echo "== fuzz: ${#targets[@]} targets, $([ "$runs" -gt 0 ] && echo "$runs runs${time_s:+ (at most $time_s s)}" || echo "${time_s} s") each, $jobs at a time"
failed=0 running=0
for t in "${targets[@]}"; do
  [ -x "$dir/fuzz/fuzz_$t" ] || { echo "fuzz.sh: no target '$t'" >&2; exit 2; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || failed=$((failed + 1)); running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || failed=$((failed + 1)); running=$((running - 1)); done
if [ "$failed" -gt 0 ]; then
  echo "fuzz: $failed target(s) failed; crashing inputs are in $dir/artifacts/" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ok"
