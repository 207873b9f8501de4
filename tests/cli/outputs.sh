#!/usr/bin/env bash
# Outputs that never destroy (issue 11, docs/reliability.md), through the
# real binary, one block per defect of the issue's table:
#   critical  --out onto a device, a FIFO or a link replaced it (as root,
#             /dev/null became a regular file);
#   high      plot and plan --plot wrote X.csv over their own input;
#   medium    an output named like an input replaced it (fit, predict,
#             plan, top500, simulate, depth, report, measure --hockney);
#   low       amdahl, help and the others exited 0 when stdout could not
#             be written (> /dev/full).
# Devices are made with mknod in a scratch folder (never the real
# /dev/null); that part is skipped where mknod is not permitted.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

fail() { echo "outputs: $*"; exit 1; }
# refused EXPECTED-TEXT CMD...: exit 4, one line naming the problem
refused() {
  local want=$1; shift
  set +e
  "$sw" "$@" >out.txt 2>err.txt; local rc=$?
  set -e
  [ "$rc" -eq 4 ] || { cat err.txt; fail "$* exited $rc, want 4"; }
  grep -q -- "$want" err.txt || { cat err.txt; fail "$*: no '$want'"; }
  [ "$(grep -c '^scalewall: ' err.txt)" -eq 1 ] || { cat err.txt; fail "$*: not one line"; }
}
same() { cmp -s "$1" "$2" || fail "$1 changed"; }
kind() { stat -c %F "$1"; }

"$sw" simulate --n 1:16 --format csv --out results.csv
"$sw" fit "$SW_SOURCE_DIR/tests/data/fit_sweep.csv" -o model.json >/dev/null 2>&1
cp results.csv results.keep
cp model.json model.keep

# --- critical: devices, FIFOs, links, directories ------------------------
if mknod tn c 1 3 2>/dev/null; then
  "$sw" depth --depths 1:4 --n 1:8 --format csv --out tn
  "$sw" simulate --n 1:4 --format json --out tn
  "$sw" plot speedup results.csv --out tn.png >/dev/null # a figure and its numbers...
  mknod tn.svg c 1 3 && mknod tn2.csv c 1 3
  "$sw" plot speedup results.csv --out tn2.svg >/dev/null # ...file or device alike
  "$sw" fit results.csv -o tn --output tn2.csv >/dev/null 2>&1
  for f in tn tn2.csv; do [ "$(kind $f)" = "character special file" ] || fail "$f: $(kind $f)"; done
  [ "$(kind tn.png)" = "regular file" ]
else
  echo "outputs: mknod not permitted here: the device case is left to test_outfile's skip"
fi
# A link to a pipe (what /dev/stdout is: kept in the scratch folder, so a
# regression could never rename over the system's): written in place.
ln -s /proc/self/fd/1 stdout-link
# (captured whole, never piped into an early-exiting reader: see f2e76a0)
got=$("$sw" simulate --n 1:4 --format csv --out stdout-link)
grep -q '^workload,' <<<"$got" || fail "nothing came through stdout-link"
[ -L stdout-link ] || fail "stdout-link replaced"
# A FIFO: the reader gets the output, the FIFO stays a FIFO.
mkfifo pipe
cat pipe >from-pipe.csv &
"$sw" simulate --n 1:4 --format csv --out pipe
wait
[ "$(kind pipe)" = "fifo" ] && grep -q '^workload,' from-pipe.csv
# A link: the file it names is replaced, the link stays; mode kept.
cp results.csv target.csv && chmod 640 target.csv && ln -s target.csv link.csv
"$sw" simulate --n 1:8 --format csv --out link.csv
[ -L link.csv ] && [ "$(stat -c %a target.csv)" = 640 ] && [ "$(grep -c '^mlp' target.csv)" -eq 4 ]
# A link to nothing: refused, and nothing created at either end.
ln -s nowhere.csv dangling.csv
refused "which does not exist" simulate --n 1:4 --format csv --out dangling.csv
[ ! -e nowhere.csv ]
mkdir adir
refused "is a directory" simulate --n 1:4 --out adir
refused "is a directory" measure --np 1 --reps 1 --out adir -- true
[ -z "$(ls adir)" ]
# No temporary file is ever left beside an output.
left=$(ls -A)
if grep -q '\.tmp\.' <<<"$left"; then fail "a temporary file was left: $left"; fi

# --- high: plot and plan --plot next to their input -----------------------
refused "results.csv: is also an input" plot speedup results.csv --out results.png
same results.csv results.keep
[ ! -e results.png ] || fail "results.png written though its numbers could not be"
printf 'name,units_per_node,price_per_hour\nbox,1,1.5\n' >prices.csv
cp prices.csv prices.keep
"$sw" plan model.json --n 1:16 --prices prices.csv --out plan.json >/dev/null
cp plan.json plan.keep
ln -s results.csv series.csv
refused "is the same file as 'series.csv'" plan series.csv --n 1:8 --prices prices.csv \
  --plot results.svg
same results.csv results.keep
refused "prices.csv: is also an input" plan model.json --n 1:16 --prices prices.csv --plot prices.png
same prices.csv prices.keep
[ ! -e prices.png ] && [ ! -e results.svg ]
# Two outputs of one command under one name.
refused "another output" plan model.json --n 1:16 --prices prices.csv --plot p.png --out p.csv
refused "another output" fit results.csv -o m2.json --output m2.json
refused "another output" simulate --n 1:4 --format json --out t.json --trace t.json
[ ! -e p.png ] && [ ! -e p.csv ] && [ ! -e m2.json ]

# --- medium: an output named like an input --------------------------------
refused "is also an input" fit results.csv -o results.csv
refused "is also an input" fit results.csv --output results.csv
refused "is also an input" predict model.json --n 64 --output model.json
refused "is also an input" plan model.json --n 1:16 --out model.json
refused "is the same file as 'series.csv'" fit series.csv -o results.csv
cp "$SW_SOURCE_DIR/data/platforms/hdr-a100.json" plat.json && cp plat.json plat.keep
refused "plat.json: is also an input" fit results.csv --platform plat.json -o plat.json
same plat.json plat.keep
ln results.csv hard.csv
refused "is the same file" fit results.csv -o hard.csv
cp "$SW_SOURCE_DIR/tests/data/top500_sample.csv" list.csv && cp list.csv list.keep
refused "is also an input" top500 list.csv --csv --output list.csv
cp "$SW_SOURCE_DIR/tests/data/sim_hockney.json" h.json && cp h.json h.keep
refused "is also an input" simulate --calibration h.json --n 1:4 --out h.json
cp "$SW_SOURCE_DIR/tests/data/sim_two_layers.json" net.json && cp net.json net.keep
refused "is also an input" depth --net net.json --depths 1:2 --n 1:4 --out net.json
mkdir rep && cp results.csv rep/fig-speedup.csv
refused "fig-speedup.csv: is also an input" report --results rep/fig-speedup.csv --no-top500 --out rep
[ "$(ls rep)" = "fig-speedup.csv" ] || fail "report left $(ls rep)"
same results.csv results.keep && same model.json model.keep && same list.csv list.keep
same h.json h.keep && same net.json net.keep && same prices.csv prices.keep && same plan.json plan.keep

# --- low: stdout that cannot be written ----------------------------------
full() { # full CMD...: exit 4 and one line saying why, when stdout is /dev/full
  set +e
  "$sw" "$@" >/dev/full 2>err.txt; local rc=$?
  set -e
  [ "$rc" -eq 4 ] || fail "$* > /dev/full exited $rc"
  grep -q "stdout: write failed: No space left on device" err.txt || { cat err.txt; fail "$*"; }
}
full amdahl --n 1024 --speedup 800
full help
full --version
full top500
full simulate --n 1:8
full depth --depths 1:2 --n 1:4
full predict model.json --n 64
full fit results.csv
full plan model.json --n 1:16 --prices prices.csv
full measure --list
echo "outputs: ok"
