#!/usr/bin/env bash
# startup.sh — the light front end and its helpers (issue 16, item 3; src/cli/helper.c).
# `scalewall` must not load MPI, OpenBLAS, ScaLAPACK, cairo, libzip or libxml2 (what cost
# fit/predict/simulate 25-45 ms of start-up); the commands that need them run in
# scalewall-mpi / scalewall-plot with the same output, error line and exit code; a
# missing helper is one line and exit 1, while the light commands still run.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
src=${SW_SOURCE_DIR:?}
fail() { echo "startup test: $*"; exit 1; }
dir=$(dirname "$sw")
for h in scalewall-mpi scalewall-plot; do
  [ -x "$dir/$h" ] || fail "no $h beside $sw"
done

# 1. What each executable loads (ldd: the whole closure, not only DT_NEEDED).
# The front end is linked statically where the build can (CMakeLists.txt,
# SW_STATIC_FRONT_END): then it loads nothing at all, which ldd says in words.
libs() {
  local out
  if out=$(ldd "$1" 2>&1); then
    awk '{ print $1 }' <<<"$out"
  elif grep -q 'not a dynamic executable' <<<"$out"; then
    echo static
  else
    fail "ldd $1: $out"
  fi
}
front=$(libs "$sw")
heavy='libmpi|libopen-pal|libopen-rte|libopenblas|libscalapack|libcairo|libzip|libxml2|libX11|libicu|libgomp|libcrypto'
if grep -E "^($heavy)" <<<"$front"; then
  fail "the front end loads the libraries above (ldd $sw)"
fi
if [ "$front" = static ]; then
  interp=$(readelf -l "$sw")
  if grep -q 'Requesting program interpreter' <<<"$interp"; then
    fail "ldd calls $sw static, but it names a program interpreter"
  fi
else
  grep -q '^libc\.so' <<<"$front" || fail "ldd $sw: no libc (is ldd working?): $front"
fi
mpi=$(libs "$dir/scalewall-mpi")
grep -q '^libmpi' <<<"$mpi" || fail "scalewall-mpi does not load libmpi: the check above proves nothing"
plot=$(libs "$dir/scalewall-plot")
grep -q '^libcairo' <<<"$plot" || fail "scalewall-plot does not load cairo"
if grep -E '^(libmpi|libscalapack)' <<<"$plot"; then fail "scalewall-plot loads MPI"; fi

# 2. Heavy commands through the front end: the same output, error line and exit code.
"$sw" measure --list >list.txt || fail "measure --list through the front end"
grep -q '^mlp ' list.txt || fail "measure --list: no mlp"
for args in "plot" "plot nope.csv --kind speedup --out f.png" "report nope.csv" \
            "measure nosuchworkload" "tour --bogus"; do
  set +e
  # shellcheck disable=SC2086
  "$sw" $args >out.front 2>err.front; rc_front=$?
  # shellcheck disable=SC2086
  "$dir/scalewall-mpi" $args >out.mpi 2>err.mpi; rc_mpi=$?
  set -e
  [ "$rc_front" -ne 0 ] || fail "'$args' succeeded"
  [ "$rc_front" -eq "$rc_mpi" ] || fail "'$args': exit $rc_front through the front end, $rc_mpi in the helper"
  cmp -s err.front err.mpi || { diff err.front err.mpi; fail "'$args': another error text"; }
  [ "$(wc -l <err.front)" -le 2 ] || { cat err.front; fail "'$args': more than a line (and a hint)"; }
done
# plan --plot runs plan in the front end and reruns it in scalewall-plot to draw.
"$sw" fit "$src/tests/data/fit_sweep.csv" -o model.json >/dev/null
"$sw" plan model.json --steps 1000 --n 1:64 --plot plan.png >plan.front || fail "plan --plot"
"$dir/scalewall-mpi" plan model.json --steps 1000 --n 1:64 >plan.mpi
cmp -s plan.front plan.mpi || { diff plan.front plan.mpi; fail "plan --plot printed another plan"; }
[ "$(head -c 4 plan.png | od -An -c | tr -d ' ')" = "211PNG" ] || fail "plan --plot: no PNG"
test -s plan.csv || fail "plan --plot: no plan.csv"
# An .xlsx list goes to scalewall-plot: its answer (here: an old layout, exit 6), and a pipe
# (which cannot be read twice) is refused in one line.
set +e
"$sw" top500 "$src/tests/data/top500_2016-11_gflops.xlsx" 2>err.front; rc_front=$?
"$dir/scalewall-mpi" top500 "$src/tests/data/top500_2016-11_gflops.xlsx" 2>err.mpi; rc_mpi=$?
"$sw" top500 <(cat "$src/tests/data/top500_2016-11_gflops.xlsx") 2>err.pipe; rc_pipe=$?
set -e
[ "$rc_front" -eq 6 ] && [ "$rc_mpi" -eq 6 ] || fail "xlsx: exit $rc_front / $rc_mpi, want 6"
cmp -s err.front err.mpi || { diff err.front err.mpi; fail "xlsx: another error text"; }
[ "$rc_pipe" -eq 6 ] && grep -q '^scalewall: /dev/fd/[0-9]*: an .xlsx list must be a regular file' err.pipe ||
  { cat err.pipe; fail "xlsx from a pipe: exit $rc_pipe"; }

# 3. The front end alone (no helpers beside it, none installed around it): light commands run,
# heavy ones fail in one line with exit 1, plan --plot writes nothing.
mkdir alone
cp "$sw" alone/scalewall
alone/scalewall fit "$src/tests/data/fit_sweep.csv" --at 64 >fit.txt || fail "fit without the helpers"
grep -q '^model ' fit.txt || fail "fit without the helpers: no model line"
set +e
alone/scalewall measure --list >out 2>err; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "measure without its helper: exit $rc, want 1"
grep -qx "scalewall: cannot find the helper 'scalewall-mpi' beside this program or in its libexec/scalewall: No such file or directory (an incomplete build or install)" err ||
  { cat err; fail "measure without its helper: not the one line"; }
set +e
alone/scalewall plan model.json --steps 1000 --n 1:64 --plot p2.png --out p2.json >out 2>err; rc=$?
set -e
[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] || { cat err; fail "plan --plot without its helper: exit $rc"; }
[ ! -e p2.png ] && [ ! -e p2.json ] && [ ! -e p2.csv ] || fail "plan --plot without its helper wrote a file"
[ -z "$(ls -A alone | grep -v '^scalewall$')" ] || { ls -A alone; fail "a temporary file was left"; }
echo ok
