#!/usr/bin/env bash
# scalewall fit / predict on a series with known terms: the chosen model,
# N* against its closed form, the model file, predict's intervals and
# what-ifs, CSV/JSON shapes.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

# T(N) = 2 + 100/N + 0.5 log2 N at N = 1..256, 3 reps with +-0.5% jitter.
# Closed form (model.md): N* = (1-s) T1 ln2 / a = 100 ln2 / 0.5 = 138.63.
awk 'BEGIN { print "workload,params,n,rep,value";
  for (p = 0; p <= 8; p++) for (r = 0; r < 3; r++) { n = 2^p;
    t = 2 + 100/n + 0.5*log(n)/log(2); j = (r - 1) * 0.005;
    printf "cg,nx=32,%d,%d,%.9g\n", n, r, t*(1+j) } }' >sweep.csv

# to a file first: the help is over 4 KiB, so `| grep -q` can close the pipe
# before the second write and the pipeline fails with SIGPIPE (exit 141)
$sw fit --help >help.txt
grep -q -- '--payload-speedup' help.txt
$sw help fit >help.txt
grep -q 'larger N from its smaller ones' help.txt
$sw fit sweep.csv -o model.json --at 64,1024 >out.txt
grep -q '^model      T(N) = 2 + 100/N + 0.5\*log2(N)' out.txt
grep -q '^leading    1 + 1/N + log2(N), weight' out.txt
grep -qE 'N\* \(time minimal\) +13[78](\.[0-9])? ' out.txt  # %.4g drops a trailing .0
grep -qE '^shapes     the data need: 1 1\.00, log2\(N\) 1\.00' out.txt
grep -qE '^ +64 ' out.txt && grep -qE '^ +1024 ' out.txt

# The model document: format, version, provenance, bootstrap sample.
python3 - model.json <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "scalewall-fit-model" and d["version"] == 2, d["format"]
assert d["calibration"]["max_ratio"] >= 1 and d["calibration"]["source"], d["calibration"]
assert d["data"]["workload"] == "cg" and d["data"]["params"] == "nx=32"
assert d["data"]["input"] == "sweep.csv" and d["data"]["points"] == 27
assert d["bootstrap"]["method"] == "repetitions" and d["bootstrap"]["samples"] == 1000
assert len(d["bootstrap"]["coefficients"]) == 1000
names = [t["name"] for t in d["terms"]]
c = dict(zip(names, d["coefficients"]))
assert abs(c["1"] - 2) < 1e-6 and abs(c["1/N"] - 100) < 1e-4 and abs(c["log2(N)"] - 0.5) < 1e-6, c
assert d["selection"]["hypotheses"][0]["terms"] == "1 + 1/N + log2(N)"
assert len(d["bootstrap"]["drift"]) == 1000 and d["data"]["n_ref"] == 1
PY

# predict: the same numbers as fit, from the file; JSON answers.
$sw predict model.json --n 138.63 --json >p.json
python3 - p.json <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
a = d["answers"]
# central values are the sample's medians: the +-0.5% jitter moves them a little
assert abs(a["n_opt"]["value"] / (100 * math.log(2) / 0.5) - 1) < 5e-3, a["n_opt"]
assert a["n_opt"]["lo"] <= a["n_opt"]["value"] <= a["n_opt"]["hi"]
t = d["predictions"][0]["time"]
want = 2 + 100 / 138.63 + 0.5 * math.log2(138.63)
assert abs(t["value"] / want - 1) < 2e-3 and t["lo"] <= want <= t["hi"], t
# the wall: max speedup = T(1)/T(N*)
s = a["max_speedup"]["value"]
assert abs(s - 102 / want) / s < 2e-3, s
PY

# --n 1:1e6 (10 log-spaced points per decade, rounded) as CSV: from 1 to
# 1e6, N increasing.
$sw predict model.json --n 1:1e6 --csv >p.csv
head -1 p.csv | grep -q '^n,time,time_lo,time_hi,time_run_lo,time_run_hi,speedup'
[ "$(wc -l <p.csv)" -ge 50 ]
awk -F, 'NR == 2 && $1 != 1 { exit 1 } NR > 2 && $1 <= prev { exit 1 } NR > 1 { prev = $1 }
         END { if (prev != 1000000) exit 1 }' p.csv

# What-if: the parallel payload 4x faster at N = 64, the rest stays:
# T' = 2 + 100/(64*4) + 0.5*6 = 5.390625.
$sw predict model.json --n 64 --payload-speedup 4 --csv >w.csv
awk -F, 'NR == 2 { if ($2 < 5.38 || $2 > 5.40) exit 1 }' w.csv
# Communication twice as costly: N* halves (N* = (1-s) T1 ln2 / (2a)).
$sw predict model.json --n 2 --comm-scale 2 --json >c.json
python3 -c 'import json,math,sys; a=json.load(open(sys.argv[1]))["answers"]; assert abs(a["n_opt"]["value"]/(100*math.log(2)/1.0)-1) < 5e-3, a' c.json

# Beyond the calibrated range every output says so: the text marks the row,
# CSV and JSON carry the ratio N/N_max and whether it is calibrated.
$sw predict model.json --n 64,1e6 >r.txt
grep -qE '^ +1000000 .*\*$' r.txt && ! grep -qE '^ +64 .*\*$' r.txt
grep -q 'outside the range where the intervals are calibrated' r.txt
$sw predict model.json --n 64,1e6 --csv | awk -F, 'NR == 1 && $(NF-1) != "ratio" { exit 1 }
  NR == 2 && $NF != 1 { exit 1 } NR == 3 && $NF != 0 { exit 1 }'
$sw predict model.json --n 1e6 --json | python3 -c '
import json, sys; r = json.load(sys.stdin)["predictions"][0]["reach"]
assert r["calibrated"] is False and abs(r["ratio"] - 1e6 / 256) < 1e-6 and "N/N_max" in r["reason"], r'
# A version 1 model file (no calibration record) is still read, and says so.
python3 - model.json v1.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["version"] = 1; del d["calibration"]
json.dump(d, open(sys.argv[2], "w"))
PY
$sw predict v1.json --n 1024 --json | python3 -c '
import json, sys; d = json.load(sys.stdin)
assert "version 1" in d["calibration"]["source"] and d["predictions"][0]["reach"]["calibrated"] is False, d["calibration"]'

# Same data, same seed: the same model file, byte for byte.
$sw fit sweep.csv -o again.json --at 2 >/dev/null
cmp model.json again.json
