#!/usr/bin/env bash
# scalewall fit / predict refuse bad input with one line and the documented
# exit code, and warn (never silently fit) on questionable input.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
. "$SW_SOURCE_DIR/tests/support/expect_error.sh"  # expect CODE PATTERN command...

printf 'n,value\n4,1.0\n4,1.1\n4,0.9\n' >single.csv
expect 3 'single N' $sw fit single.csv
printf 'n,value\n1,2\n2,1.1\n' >two.csv
expect 3 'only 2 distinct N' $sw fit two.csv
printf 'n,value\n1,2\n2,0\n4,0.6\n' >zero.csv
expect 3 'not positive' $sw fit zero.csv
printf 'n,value\n1,2\n2,-1\n4,0.6\n' >neg.csv
expect 3 'not positive' $sw fit neg.csv
printf 'workload,n,value\na,1,2\na,2,1.1\na,4,0.6\na,8,0.4\nb,1,3\nb,2,1.6\nb,4,0.9\nb,8,0.6\n' >mixed.csv
expect 2 'mixes 2 series' $sw fit mixed.csv
expect 2 'no series matches' $sw fit mixed.csv --series c
# --series picks one: by name or by number
$sw fit mixed.csv --series b --at 8 --bootstrap 0 | grep -q '^data       b from mixed.csv: 4 points'
$sw fit mixed.csv --series 1 --at 8 --bootstrap 0 | grep -q '^data       a from mixed.csv'
expect 4 'nope.csv' $sw fit nope.csv
expect 2 'give one observation FILE' $sw fit
expect 2 '--level' $sw fit two.csv --level 1.5
for bad in -0.1 1 abc nan 1e300; do
    expect 2 "--noise: '$bad' is not a relative spread" $sw fit mixed.csv --series a --noise "$bad"
done
# a stated noise floors the fitted one and says so; without it the warning
# on single runs points at the option
$sw fit mixed.csv --series a --noise 0.05 --at 8 2>warn.txt | grep -q 'noise 5% per run'
$sw fit mixed.csv --series a --noise 0.05 --at 8 | grep -q 'noise at least 0.05, as stated'
! grep -q -- 'say so with --noise' warn.txt
$sw fit mixed.csv --series a --at 8 2>&1 >/dev/null | grep -q 'say so with --noise'

# Warnings: N out of order and too few points for the larger hypotheses.
printf 'n,rep,value\n4,0,3.1\n1,0,10\n2,0,5.4\n8,0,2.0\n' >order.csv
$sw fit order.csv --at 8 2>warn.txt >/dev/null
grep -q 'warning: N is not increasing in the file' warn.txt
grep -q 'warning: .* hypotheses (up to 4 terms) skipped' warn.txt
grep -q 'warning: fewer than 3 repetitions' warn.txt
# failed points are dropped with a warning
printf 'n,value,ok\n1,10,1\n2,5.5,1\n4,3.2,1\n8,2.1,1\n16,9,0\n' >failed.csv
$sw fit failed.csv --at 8 2>warn.txt >/dev/null
grep -q 'warning: 1 failed point (ok = 0) not used' warn.txt

# predict: model files
$sw fit order.csv -o m.json --at 8 2>/dev/null >/dev/null
expect 2 'give --n' $sw predict m.json
expect 2 'not a unit count' $sw predict m.json --n 0
sed 's/"version": 2/"version": 3/' m.json >m3.json
expect 6 'unsupported model version 3' $sw predict m3.json --n 8
python3 -c 'import json,sys; d=json.load(open("m.json")); d["calibration"]={"max_ratio":0.5,"source":"x"}; json.dump(d,open("mc.json","w"))'
expect 3 "'calibration' needs max_ratio" $sw predict mc.json --n 8
python3 -c 'import json,sys; d=json.load(open("m.json")); d["calibration"]["drift_growth"]=9; json.dump(d,open("mg.json","w"))'
expect 3 "'calibration.drift_growth' must be a number in" $sw predict mg.json --n 8
python3 -c 'import json,sys; d=json.load(open("m.json")); assert d["calibration"]["drift_growth"] == 0.5, d["calibration"]'
echo '{"format": "something-else", "version": 1}' >other.json
expect 3 'not a scalewall model' $sw predict other.json --n 8
echo '{"format": ' >broken.json
expect 3 'broken.json:' $sw predict broken.json --n 8
expect 2 'payload-speedup' $sw predict m.json --n 8 --payload-speedup 0
