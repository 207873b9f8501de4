#!/usr/bin/env bash
# scalewall fit --step-times FILE --steps S: one rank's step times at N = 1
# make the payload wait for the slowest of N (docs/fit.md, "Stragglers from
# one rank's step times"); with --platform the synchronisation's least cost
# is added.  Bad uses get one line and the documented exit code; the model
# file keeps the shape; an output never replaces the step-times file.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
. "$SW_SOURCE_DIR/tests/support/expect_error.sh"  # expect CODE PATTERN command...

# 400 step times of a shifted exponential (base 1 s, mean excess 0.25 s),
# by inversion of an even grid of probabilities: reproducible, no RNG
awk 'BEGIN { print "n,value"; for (i = 0; i < 400; i++) { u = (i + 0.5) / 400; printf "1,%.9f\n", 1 - 0.25 * log(1 - u) } }' >steps.csv
# a series with that jitter: T(N) = (W/N)(1 + k (H_N - 1)), k = 0.25/1.25
awk 'BEGIN { print "n,value"; h = 0; for (n = 1; n <= 32; n++) { h += 1 / n; if (n == 1 || n == 2 || n == 4 || n == 8 || n == 16 || n == 32) printf "%d,%.12g\n", n, 0.5 / n * (1 + 0.2 * (h - 1)) } }' >series.csv

$sw fit series.csv --step-times steps.csv --steps 20 --at 1024 --csv -o model.json >fit.csv
grep -q '"shape": *"slowest"' model.json
grep -q '"family": *"exponential"' model.json
# at 1024 the slowest of N: (0.5/1024)(1 + 0.2 (H_1024 - 1)), within 3%
awk -F, 'NR == 2 { h = 0; for (n = 1; n <= 1024; n++) h += 1 / n
    want = 0.5 / 1024 * (1 + 0.2 * (h - 1)); r = $2 / want
    if (r < 0.97 || r > 1.03) { print "T(1024) " $2 ", want " want; exit 1 } }' fit.csv
$sw predict model.json --n 1024 --csv | awk -F, 'NR == 2 && $2 <= 0 { exit 1 }'
# the report names the step times it used
$sw fit series.csv --step-times steps.csv --steps 20 --bootstrap 0 --at 64 |
    grep -q 'waits for the slowest of N: 400 step times, exponential'

# with a platform the step's least synchronisation (log2 N latencies of 5 us
# on the corpus' flat switch) is added with coefficient 1: 50 us at 1024
flat=$SW_SOURCE_DIR/bench/extrapolation/platforms/flat.json
$sw fit series.csv --step-times steps.csv --steps 20 --platform "$flat" --at 1024 --csv \
    -o pmodel.json 2>/dev/null >pfit.csv
grep -q 'sync@' pmodel.json
paste -d, fit.csv pfit.csv | awk -F, -v k="$(head -1 fit.csv | tr ',' '\n' | wc -l)" '
    NR == 2 { d = $(k + 2) - $2; if (d < 45e-6 || d > 55e-6) { print "floor " d; exit 1 } }'
# values far below that floor are not seconds per step on it: a warning, no floor
awk -F, 'NR == 1 { print; next } { printf "%s,%.12g\n", $1, $2 * 1e-6 }' series.csv >tiny.csv
$sw fit tiny.csv --step-times steps.csv --steps 20 --platform "$flat" --bootstrap 0 --at 64 \
    2>err.txt >/dev/null
grep -q 'not seconds per step on it' err.txt

# a weak-scaling fit says it does not use them, and its report does not claim them
$sw fit series.csv --step-times steps.csv --steps 20 --scaling weak --bootstrap 0 --at 8 \
    >weak.txt 2>err.txt
grep -q 'a weak-scaling fit does not use them' err.txt
if grep -q 'slowest of N' weak.txt; then echo 'weak fit claims the step times'; exit 1; fi

expect 2 'give it' $sw fit series.csv --steps 20
expect 2 'give it' $sw fit series.csv --step-series 1
expect 2 'give --steps S' $sw fit series.csv --step-times steps.csv
for bad in 0 1.5 abc -3; do
    expect 2 "--steps: '$bad'" $sw fit series.csv --step-times steps.csv --steps "$bad"
done
head -11 steps.csv >few.csv
expect 3 'at least 20' $sw fit series.csv --step-times few.csv --steps 20
printf 'n,value\n2,1\n2,1.1\n' >no1.csv
expect 3 'no step times at N = 1' $sw fit series.csv --step-times no1.csv --steps 20
expect 4 'nope.csv' $sw fit series.csv --step-times nope.csv --steps 20
# an output never replaces the step times read
cp steps.csv keep.csv
set +e
$sw fit series.csv --step-times steps.csv --steps 20 -o steps.csv >out.txt 2>err.txt
rc=$?
set -e
[ $rc -eq 4 ] && grep -q 'steps.csv: is also an input' err.txt || { echo "exit $rc"; cat err.txt; exit 1; }
cmp steps.csv keep.csv
echo ok
