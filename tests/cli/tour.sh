#!/usr/bin/env bash
# The quick tour: `scalewall` with no arguments (the README's main command)
# and `scalewall tour` write a complete report and say where it is; every
# stage leaves its file behind; bad options fail cleanly.  The report is held
# to issue 13 by tour_report.py: its Summary opens with what the data
# supports, no price stands outside the trust gate, every figure's bands stay
# physically possible and its series are labelled as what they are; it is
# opened in headless Chromium and a screenshot kept in build/artifacts/.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# no arguments: the tour on the embedded default, into ./scalewall-report
"$SCALEWALL" > out.txt 2> err.txt
grep -q "^Report: scalewall-report/report.html" out.txt
for f in report.html model.json plan.json breakdown.csv fig-speedup.png fig-speedup.csv \
         fig-map.png; do
  test -s "scalewall-report/$f" || { echo "missing $f"; ls scalewall-report; exit 1; }
done
# the summary opens with what the data supports, then answers (a failure
# shows the summary: the tour measures this machine, so it varies)
sed -n '/^- /{p;q}' out.txt | grep -Eq '^- (On this machine|These points are simulated)' ||
  { echo "summary does not open with what the data supports:"; cat out.txt; exit 1; }
grep -Eq "The cheapest way to finish|No option finishes|No answer of the plan|cannot be answered from this data" out.txt ||
  { echo "no deadline answer in the summary:"; cat out.txt; exit 1; }
res=scalewall-report/results.csv # the simulated step when the measurement failed
[ -s "$res" ] || res=scalewall-report/breakdown.csv
python3 "$SW_SOURCE_DIR/tests/cli/tour_report.py" scalewall-report "$res" \
    scalewall-report/plan.json --chromium "${SW_BUILD_DIR:-$tmp}/artifacts" tour
grep -q "<section id=\"context\">" scalewall-report/report.html
# the model the tour fitted is a model plan and report accept
grep -q '"format": *"scalewall-fit-model"' scalewall-report/model.json

"$SCALEWALL" tour --source simulate --out other/ > out2.txt 2>/dev/null
grep -q "^Report: other/report.html" out2.txt
python3 "$SW_SOURCE_DIR/tests/cli/tour_report.py" other other/breakdown.csv other/plan.json

set +e
"$SCALEWALL" tour --source guess > o.txt 2> e.txt; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "measure or simulate" e.txt
touch afile
set +e
"$SCALEWALL" tour --source simulate --out afile/x > o.txt 2> e.txt; rc=$?
set -e
[ "$rc" -eq 4 ] && grep -q "cannot be created" e.txt
# issue 11: the binary's own path reached a shell (popen), so a directory
# named like this ran `touch PWNED`; now it is one exec argument, and the
# tour still finds that this build can measure (exit 4 at the directory,
# not 2 "this build cannot measure")
evil="$tmp/d';touch PWNED;'"
mkdir "$evil"
cp "$SCALEWALL" "$evil/scalewall"
# the tour runs in the helper beside the front end (src/cli/helper.c): it is the binary whose
# path the tour passes on
for h in scalewall-mpi scalewall-plot; do cp "$(dirname "$SCALEWALL")/$h" "$evil/$h"; done
set +e
"$evil/scalewall" tour --source measure --out afile/x > o.txt 2> e.txt; rc=$?
set -e
[ "$rc" -eq 4 ] && grep -q "cannot be created" e.txt || { cat e.txt; exit 1; }
if [ -e PWNED ] || [ -e "$evil/PWNED" ]; then echo "tour ran a shell on its own path"; exit 1; fi
"$SCALEWALL" tour --help > help.txt
grep -q "usage: scalewall tour" help.txt
echo ok
