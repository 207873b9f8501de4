#!/usr/bin/env bash
# top500_errors.sh — every bad input gives ONE line naming file, row and
# problem, the documented exit code, and leaves an --output file untouched.
set -euo pipefail
: "${SCALEWALL:?}" "${SW_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=$SW_SOURCE_DIR/tests/data
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect EXIT MESSAGE ARGS...: exit code, exact stderr, output file unchanged
expect() {
  local want=$1 msg=$2
  shift 2
  echo old >"$tmp/out.csv"
  set +e
  "$SCALEWALL" top500 "$@" --csv --output "$tmp/out.csv" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  set -e
  [ $rc -eq "$want" ] || fail "$* exit $rc, want $want ($(cat "$tmp/stderr"))"
  [ "$(wc -l <"$tmp/stderr")" -eq 1 ] || fail "$*: not one line: $(cat "$tmp/stderr")"
  grep -qF -- "$msg" "$tmp/stderr" || fail "$*: '$(cat "$tmp/stderr")' lacks '$msg'"
  [ "$(cat "$tmp/out.csv")" = old ] || fail "$*: output file changed"
  [ -z "$(ls "$tmp" | grep '\.tmp\.')" ] || fail "$*: temporary file left"
  [ ! -s "$tmp/stdout" ] || fail "$*: printed on stdout"
}

head='list,rank,name,computer,site,country,year,segment,total_cores,accelerator_cores,rmax_tflops,rpeak_tflops,hpcg_tflops,power_kw,processor,interconnect,accelerator'
good='2020-11,1,A,B,C,D,2020,Research,1000,,500,1000,10,,,,None'

expect 4 "scalewall: $tmp/none.csv: cannot open" "$tmp/none.csv"

printf '%s\n%s\n2020-11,2,A,B,C,D,2020,Research,1000,,abc,1000,,,,,None\n' "$head" "$good" >"$tmp/text.csv"
expect 3 "scalewall: $tmp/text.csv:3: column 'rmax_tflops' is not a number: 'abc'" "$tmp/text.csv"

printf '%s\n' "$head" >"$tmp/empty-list.csv"
expect 3 "$tmp/empty-list.csv: the list has no systems" "$tmp/empty-list.csv"

: >"$tmp/empty.csv"
expect 3 "$tmp/empty.csv: empty file" "$tmp/empty.csv"

printf 'name,cores,time\nx,1,2\n' >"$tmp/other.csv"
expect 3 "$tmp/other.csv:1: column 'list' is missing" "$tmp/other.csv"

printf '%s\n' "$head" | sed 's/,rmax_tflops//' >"$tmp/nocol.csv"
printf '2020-11,1,A,B,C,D,2020,Research,1000,,1000,10,,,,None\n' >>"$tmp/nocol.csv"
expect 3 "$tmp/nocol.csv:1: column 'rmax_tflops' is missing" "$tmp/nocol.csv"

printf '%s\n%s\n2020-11,2,A\n' "$head" "$good" >"$tmp/short.csv"
expect 3 "$tmp/short.csv:3: 3 fields where the header has 17" "$tmp/short.csv"

# random bytes (fixed, so the test is repeatable), with a NUL in the first line
awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) printf "%c", int(rand() * 255) + 1; printf "%c", 0 }' >"$tmp/random.bin"
printf '\0' | cat - "$tmp/random.bin" >"$tmp/random2.bin"
expect 3 "$tmp/random2.bin:1:" "$tmp/random2.bin"
expect 3 "$tmp/random.bin:" "$tmp/random.bin"

expect 3 "$data/top500_not_a_list.xlsx:1: column 'Rank' is missing: not a TOP500 export" \
  "$data/top500_not_a_list.xlsx"
expect 6 "$data/top500_2016-11_gflops.xlsx:1: an export from before 2017-06" \
  "$data/top500_2016-11_gflops.xlsx"

# a truncated xlsx: the real export when available, else the small fixture
src=${SW_SHARED_DIR:-}/data/top500/xlsx/TOP500_202011.xlsx
[ -r "$src" ] || src=$data/top500_not_a_list.xlsx
head -c 20000 "$src" >"$tmp/TOP500_202011.xlsx"
expect 3 "$tmp/TOP500_202011.xlsx: not a readable xlsx (truncated or corrupt zip" "$tmp/TOP500_202011.xlsx"

# --mxp inputs
printf 'list,name,hpl_mxp_eflops,hpl_eflops\n2019-11,Summit,fast,0.148\n' >"$tmp/mxp.csv"
expect 3 "$tmp/mxp.csv:2: column 'hpl_mxp_eflops' is not a number: 'fast'" --mxp "$tmp/mxp.csv"
expect 3 "$tmp/text.csv:3: column 'rmax_tflops' is not a number" --trend "$tmp/text.csv"
echo ok
