#!/usr/bin/env bash
# `scalewall simulate --trace`: the step as a Chrome trace-event file.
# Checks the file against the Trace Event Format (an object with a
# "traceEvents" array; complete events "X" with name, cat, ts, dur, pid,
# tid; metadata events "M" naming every process and thread), that no two
# events of one stage's serial streams overlap, and that the events'
# durations by category, summed over stages and divided by pp, are the
# step's breakdown as `simulate --format csv` prints it.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
command -v python3 >/dev/null || exit 77

# A small 3-D case: 4 transformer blocks (+ embedding and output layers),
# tp 2 x pp 2 (interleaved, 2 chunks) x dp 2 on 8 units, ZeRO-1,
# selective recomputation, stragglers and a time grid.
args=(--net transformer:blocks=4,hidden=256,seq=128,heads=4,vocab=1000 --platform hdr
      --precision bf16 --tp 2 --pp 2 --schedule interleaved --chunks 2 --micro-batch 1
      --batch 8 --zero 1 --recompute selective --optimizer adam --jitter 0.05 --grid 2e-5)
$sw simulate "${args[@]}" --n 8 --trace step.json --format csv --out step.csv
python3 - step.json step.csv <<'PY'
import csv, json, sys
t = json.load(open(sys.argv[1]))
row = list(csv.DictReader(open(sys.argv[2])))[0]
assert isinstance(t, dict) and isinstance(t["traceEvents"], list), "not a trace object"
ev = t["traceEvents"]
names = {}
for e in ev:
    assert e["ph"] in ("X", "M"), e
    assert isinstance(e["pid"], int), e
    if e["ph"] == "M":
        assert e["name"] in ("process_name", "thread_name") and isinstance(e["args"]["name"], str), e
        names[(e["pid"], e.get("tid"))] = e["args"]["name"]
        continue
    for k in ("name", "cat"):
        assert isinstance(e[k], str), e
    assert isinstance(e["tid"], int) and e["ts"] >= 0 and e["dur"] > 0, e
    assert (e["pid"], None) in names and (e["pid"], e["tid"]) in names, ("unnamed track", e)
x = [e for e in ev if e["ph"] == "X"]
pp = int(float(row["pp"]))
assert sorted({e["pid"] for e in x}) == list(range(pp)), "a process per stage"
# Serial streams of a stage (everything but the data-parallel one) never overlap.
for s in range(pp):
    spans = sorted((e["ts"], e["ts"] + e["dur"]) for e in x
                   if e["pid"] == s and e["cat"] != "dp-overlapped")
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert b0 >= a1 - 1e-6 * max(1, a1), ("overlap", s, a0, a1, b0, b1)
    total = sum(b - a for a, b in spans) / 1e6
    assert abs(total - float(row["value"])) <= 1e-9 * float(row["value"]), (s, total, row["value"])
# Categories = the breakdown.
for cat, col in (("compute", "compute_s"), ("comm", "comm_s"), ("bubble", "bubble_s"),
                 ("wait", "wait_s"), ("grid", "grid_s")):
    got = sum(e["dur"] for e in x if e["cat"] == cat) / 1e6 / pp
    want = float(row[col])
    assert abs(got - want) <= 1e-9 * float(row["value"]), (cat, got, want)
    assert abs(t["otherData"][col] - want) <= 1e-12 * float(row["value"]), (col, t["otherData"])
for col in ("compute_s", "comm_s", "bubble_s", "wait_s", "grid_s"):
    assert float(row[col]) > 0, ("the case exercises every part", col, row)
assert any(e["cat"] == "dp-overlapped" for e in x), "data-parallel stream"
assert any(e["tid"] == 1 for e in x), "tensor-parallel collectives"
print("trace: %d events, breakdown matches" % len(x))
PY

# A case too large to trace is refused with the numbers, and nothing is written.
set +e
$sw simulate --net gpt-1t --platform hdr --precision bf16 --tp 8 --pp 64 --n 3072 --batch 12288 \
    --micro-batch 1 --recompute full --trace big.json >/dev/null 2>err.txt
rc=$?
set -e
[ "$rc" -eq 7 ] && grep -q 'the trace would hold more than' err.txt && [ ! -e big.json ] ||
    { echo "large trace: exit $rc: $(cat err.txt)"; exit 1; }
echo "simulate --trace: all checks passed"
