#!/usr/bin/env bash
# Hostile and mistaken input (issue 11, part B).  Each case once failed — a
# heap overflow, a silent loss, a search or a read that took minutes, a
# misleading message or exit code — and must now end with one clear line
# and its documented exit code (docs/cli.md), leaving no output behind.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
src=${SW_SOURCE_DIR:?}

expect() { # expect RC 'text on stderr' command... (-> the command's stdout in out.txt)
  local want=$1 text=$2 rc
  shift 2
  set +e
  "$@" >out.txt 2>err.txt
  rc=$?
  set -e
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$text" err.txt; then
    echo "FAIL: $* -> exit $rc (wanted $want and '$text'); stderr:"
    cat err.txt
    exit 1
  fi
}

$sw fit "$src/tests/data/fit_sweep.csv" -o model.json >/dev/null 2>&1
$sw plan model.json --n 1:64 --out plan.json >/dev/null

# A plan whose node list does not match its rows: the figure read past its
# arrays (heap buffer overflow, abort) in plot plan and report --plan.
python3 - <<'PY'
import json
p = json.load(open("plan.json"))
q = dict(p, nodes=[]); json.dump(q, open("no_nodes.json", "w"))
q = dict(p, nodes=p["nodes"][:2]); json.dump(q, open("short_nodes.json", "w"))
q = json.loads(json.dumps(p)); q["answers"]["knee"][0].update(found=True, row=10**6)
json.dump(q, open("far_knee.json", "w"))
PY
expect 3 "'nodes' must list the candidate node counts" $sw plot plan no_nodes.json --out x.png
expect 3 "one row per option and node count: 3 option(s) x 2 node count(s) = 6, found 21" \
  $sw plot plan short_nodes.json --out x.png
expect 3 "knee: row index is not one of the 21 rows" $sw report --plan far_knee.json --no-top500 --out rep
[ ! -e x.png ] && [ ! -e x.csv ] && [ ! -e rep/report.html ]
$sw plot plan plan.json --out ok.png && [ -s ok.png ]

# Another scalewall file where one kind was expected: named, not "invalid JSON".
expect 3 "plan.json: this is a plan (scalewall-plan, from 'scalewall plan --out'), not a fitted model" \
  $sw predict plan.json --n 8
expect 3 "this is a network description (\"layers\", for simulate --net), not observations" \
  $sw fit "$src/tests/data/sim_two_layers.json"
expect 3 "model.json: this is a fitted model (scalewall-fit-model, from 'scalewall fit -o'), not a TOP500 list" \
  $sw top500 model.json

# Option values: one rule each, the same everywhere.
expect 3 "the payload rate --r1 -1 is not positive" $sw amdahl --n 4 --speedup 2 --r1 -1
expect 2 "--csv and --json exclude each other" $sw fit "$src/tests/data/fit_sweep.csv" --csv --json
expect 2 "--csv and --json exclude each other" $sw predict model.json --n 8 --json --csv
expect 2 "--np: '1e18' is above 1000000, the most this option takes" $sw measure --np 1e18 -- true
expect 2 "--np: '2.5' is not a whole number" $sw measure --np 1,2.5 -- true
expect 2 "cg: nx='abc' is not a number" $sw measure cg --params nx=abc --no-progress
expect 2 "transformer: heads=x is not a whole number" $sw simulate --net transformer:heads=x --n 2

# A name JSON cannot hold is refused before anything runs (it was dropped
# from the JSON Lines rows, and --resume then measured them again).
expect 2 "argument '\\xff' is not valid UTF-8" \
  $sw measure --np 1 --reps 1:1 --name $'\xff' --jsonl r.jsonl -- true
[ ! -e r.jsonl ]
# Elsewhere such bytes become U+FFFD: top500 --json said "out of memory" (exit 7).
sed '2s/^\([^,]*,[^,]*\),[^,]*/\1,Universit\xe4t/' "$src/tests/data/top500_sample.csv" >latin1.csv
$sw top500 latin1.csv --json --output t.json
python3 -c 'import json; d = json.load(open("t.json")); assert any("Universit\ufffd" in s["name"] for s in d["systems"]), d["systems"][0]'

# The command template keeps its argument boundaries in the records.
$sw measure --np 1 --reps 1:1 --no-progress --out cmd.csv -- sh -c 'exit 0' 'a b' >/dev/null
python3 - <<'PY'
import csv
r = next(csv.DictReader(open("cmd.csv")))
assert r["params"] == "sh -c 'exit 0' 'a b'", r["params"]
assert r["meta_command"].endswith("-- sh -c 'exit 0' 'a b'"), r["meta_command"]
PY

# --resume never appends one format's rows to the other's file.
cp cmd.csv wrong.jsonl
expect 3 "wrong.jsonl: not a JSON Lines results file" \
  $sw measure --np 1,2 --reps 1:1 --no-progress --jsonl wrong.jsonl --resume -- sh -c 'exit 0' 'a b'
cmp cmd.csv wrong.jsonl

# Wide and long files cost linear time (40,000 columns took 27 s; the limit
# below is 10x what a loaded 2-core machine needs under the sanitizers).
python3 - <<'PY'
cols = 40000
with open("wide.csv", "w") as f:
    f.write("n,value," + ",".join("c%d" % i for i in range(cols)) + "\n")
    for n in (1, 2, 4, 8, 16):
        f.write("%d,%g," % (n, 10 / n + 0.1 * n) + ",".join("1" for _ in range(cols)) + "\n")
with open("long.csv", "w") as f:  # 10,000 series of 4 points, no rep column
    f.write("workload,n,value\n")
    for n in (1, 2, 4, 8):
        for w in range(10000):
            f.write("w%d,%d,%g\n" % (w, n, 10 / n + 0.1 * n))
PY
timeout 30 $sw fit wide.csv --bootstrap 0 >/dev/null
timeout 30 $sw fit long.csv --series w7 --bootstrap 0 >/dev/null

# An .xlsx part that inflates past the limit is refused before it is read
# (a 400 KB file used 834 MB).
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a'/></sheets></workbook>")
    z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * (40 << 20) + "</sheetData></worksheet>")
PY
expect 6 "part 'xl/worksheets/sheet1.xml' inflates to 419430" $sw top500 bomb.xlsx
grep -qF "bytes, above the 32 MiB this reader accepts" err.txt

# --metric: a search that would take minutes stops within --timeout and
# says so (glibc's regexec is quadratic; it ran after the command, unbounded).
start=$(date +%s)
set +e
timeout 60 $sw measure --np 1 --reps 1:1 --no-progress --timeout 5 --metric '([0-9]+)x' \
  --out m.csv -- sh -c 'head -c 1024000 /dev/zero | tr "\0" 1 | fold -w 4000' >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -ne 124 ] && [ $(($(date +%s) - start)) -lt 30 ]
python3 - <<'PY'
import csv
r = next(csv.DictReader(open("m.csv")))
assert r["ok"] == "0" and "time limit" in r["label"], r
PY
echo "hostile_input: ok"
