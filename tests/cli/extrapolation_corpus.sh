#!/usr/bin/env bash
# The kept extrapolation corpus (bench/extrapolation): series.csv is what
# draw.py draws from its declared ranges, corpus.csv is consistent with it
# (check_corpus.py: the N of every series, params, T(1) against the compute
# alone), scalewall's observation reader reads corpus.csv as that many series,
# and every platform JSON is a platform scalewall reads.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
x=${SW_SOURCE_DIR:?}/bench/extrapolation

python3 "$x/check_corpus.py"

# The reader takes every row; without --series it names the series it found.
nseries=$(tail -n +2 "$x/corpus.csv" | cut -d, -f2 | sort -u | wc -l)
if $sw fit "$x/corpus.csv" >out.txt 2>&1; then cat out.txt; exit 1; fi
grep -q "the file mixes $nseries series" out.txt || { cat out.txt; exit 1; }

for p in "$x"/platforms/*.json; do
  $sw simulate --platform "$p" --n 1,2 >/dev/null
done

# The checker can fail: a changed time at N = 1, a series missing a point.
awk -F, 'NR == 2 { $NF = $NF * 1.01 } 1' OFS=, "$x/corpus.csv" >bad1.csv
if python3 "$x/check_corpus.py" --corpus bad1.csv >out.txt; then exit 1; fi
grep -q 'T(1) = ' out.txt
awk 'NR != 3' "$x/corpus.csv" >bad2.csv
if python3 "$x/check_corpus.py" --corpus bad2.csv >out.txt; then exit 1; fi
grep -q ', series.csv says ' out.txt
echo ok
