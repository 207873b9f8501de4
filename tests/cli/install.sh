#!/usr/bin/env bash
# `cmake --install` into a temporary prefix gives a scalewall that works
# without its source and build trees: the binary, its helpers in
# libexec/scalewall and the SMPI module (both found relative to the
# executable), a man page for every command, bash completion and the
# example data; the quick tour runs from there and writes its report.  The source, build and shared trees are hidden by
# tmpfs mounts in a private mount namespace (unshare -m, as root), else
# only left out of PATH and the environment.  The prefix's path holds a
# quote and a semicolon (issue 11: tour passed its own path to a shell).
# ctest: release
# ctest: nosan (an install of an instrumented build is not what users run; the tour is long under ASan)
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/d';touch PWNED;'/prefix"
fail() { echo "install test: $*"; exit 1; }

cmake --install "$SW_BUILD_DIR" --prefix "$prefix" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install failed"; }
sw="$prefix/bin/scalewall"
[ -x "$sw" ] || fail "no bin/scalewall"
# the helpers the front end runs for measure/crosscheck/tour and plot/report (src/cli/helper.c)
for h in scalewall-mpi scalewall-plot; do
  [ -x "$prefix/libexec/scalewall/$h" ] || fail "no libexec/scalewall/$h"
done
test -s "$prefix/share/bash-completion/completions/scalewall" || fail "no bash completion"
test -s "$prefix/share/scalewall/platforms/hdr-a100.json" || fail "no example platform"
test -s "$prefix/share/doc/scalewall/README.md" || fail "no documentation"
smpi=""
if [ -e "$SW_BUILD_DIR/scalewall_smpi.so" ]; then
  smpi=$(find "$prefix" -name scalewall_smpi.so)
  [ -n "$smpi" ] || fail "the SMPI module is not installed"
fi

# a page for every command, and man finds them
top=$("$sw" help)
cmds=$(awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { f = 0 }' <<<"$top")
[ "$(echo "$cmds" | wc -w)" -ge 10 ] || fail "too few commands: $cmds"
test -s "$prefix/share/man/man1/scalewall.1" || fail "no scalewall(1)"
for c in $cmds; do
  test -s "$prefix/share/man/man1/scalewall-$c.1" || fail "no man page for $c"
done
MANWIDTH=100 man -P cat -M "$prefix/share/man" scalewall-fit > "$tmp/fit.man" 2> "$tmp/man.err" ||
  { cat "$tmp/man.err"; fail "man scalewall-fit failed"; }
grep -q "scalewall-fit - fit T(N)" "$tmp/fit.man" || fail "man scalewall-fit: no NAME line"
grep -q -- "--series SEL" "$tmp/fit.man" || fail "man scalewall-fit: no --series"
# every option of the help text is in the page
for o in $("$sw" fit --help | grep -oE -- '^  --[a-z-]+' ); do
  grep -q -- "$o" "$tmp/fit.man" || fail "man scalewall-fit lacks $o"
done
MANWIDTH=100 man -P cat -M "$prefix/share/man" scalewall 2>/dev/null | grep -q "scalewall-measure(1)" ||
  fail "man scalewall does not list the commands"

# bash completion: commands, options, values, workloads
bash -c '
  source "$1"
  t() { COMP_WORDS=("${@:2}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _scalewall
        [ "${COMPREPLY[*]}" = "$1" ] || { echo "completion of [${*:2}]: got [${COMPREPLY[*]}], want [$1]"; exit 1; }; }
  t "fit" scalewall fi
  t "--seed --serial-scale --series" scalewall fit --se
  t "strong weak" scalewall fit --scaling ""
  t "cg comm" scalewall measure c
  t "top500 tour" scalewall help t
  t "" scalewall measure cg --np 1,2 -- mp
' _ "$prefix/share/bash-completion/completions/scalewall" || fail "bash completion"

# no path of the source or build tree in what runs (debug info aside)
bins=("$sw" "$prefix/libexec/scalewall/scalewall-mpi" "$prefix/libexec/scalewall/scalewall-plot")
[ -z "$smpi" ] || bins+=("$smpi")
for f in "${bins[@]}"; do
  strip -o "$tmp/stripped" "$f"
  for d in "$SW_SOURCE_DIR" "$SW_BUILD_DIR"; do
    if grep -qF "$d" "$tmp/stripped"; then fail "$f names $d"; fi
  done
done

# The tour from the install, from a fresh directory, the trees out of reach.
mkdir "$tmp/run"
cat > "$tmp/tour.sh" <<'EOF'
set -eu
cd "$RUN"
scalewall measure --list > list.txt
if [ -n "$SMPI" ]; then
  # the SMPI module, found relative to the installed executable
  scalewall measure cg --platform flat:lat=2us,bw=10GBps,speed=1Gf --np 1,2 --reps 1:1 \
    --params nx=8,ny=8,nz=8,iters=5 --out sim.csv --no-progress > sim.txt 2>&1 ||
    { cat sim.txt; exit 1; }
fi
MANWIDTH=100 man -P cat scalewall-tour > tour.man
scalewall > out.txt 2> err.txt || { cat out.txt err.txt; exit 1; }
EOF
hide=0
run_env=(env -i "PATH=$prefix/bin:/usr/local/bin:/usr/bin:/bin" "HOME=$tmp" "RUN=$tmp/run"
         "SMPI=$smpi" "MANPATH=$prefix/share/man" "OMPI_ALLOW_RUN_AS_ROOT=1"
         "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1" "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-}")
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  hide=1
  mounts=""
  for d in "$SW_BUILD_DIR" "$SW_SHARED_DIR" "$SW_SOURCE_DIR"; do # inner ones first
    [ -d "$d" ] && mounts="$mounts mount -t tmpfs none '$d' &&"
  done
  "${run_env[@]}" unshare -m sh -c "$mounts test ! -e '$SW_SOURCE_DIR/CMakeLists.txt' && bash '$tmp/tour.sh'" ||
    fail "the tour from the install failed (source tree hidden)"
else
  echo "install test: cannot hide the source tree (needs root and unshare -m); running without it on PATH"
  "${run_env[@]}" bash "$tmp/tour.sh" || fail "the tour from the install failed"
fi

cd "$tmp/run"
grep -q "^Report: scalewall-report/report.html" out.txt || { cat out.txt err.txt; fail "no report line"; }
test -s scalewall-report/report.html || fail "no report.html"
grep -q "<section id=\"context\">" scalewall-report/report.html || fail "report without the TOP500 context"
# it measured (mpirun started the installed binary), not the simulated fallback
grep -q "measuring" err.txt || { cat err.txt; fail "the tour did not measure"; }
if grep -q "measurement failed" err.txt; then cat err.txt; fail "the tour's measurement failed"; fi
test -s scalewall-report/results.csv || fail "no results.csv"
grep -q "^mlp\|,mlp," scalewall-report/results.csv || fail "results.csv holds no mlp rows"
grep -q "scalewall-tour" tour.man || fail "man scalewall-tour from the install"
if [ -n "$smpi" ]; then # simulated rows (column 6) at N = 1 and 2 (column 7)
  [ "$(awk -F, '$1 == "cg" && $6 == 1 { print $7 }' sim.csv | sort -u | tr '\n' ' ')" = "1 2 " ] ||
    { cat sim.csv; fail "the SMPI run did not record N = 1 and 2"; }
fi
if [ -e "$tmp/PWNED" ] || [ -e "$tmp/run/PWNED" ]; then fail "a shell ran on the binary's path"; fi
echo "ok (source tree hidden: $hide)"
