#!/usr/bin/env bash
# The extrapolation bench's scoring code (bench/extrapolation/extrapolate.py,
# methods.py, score.py) on 2 series of the corpus: the Karp–Flatt predictions
# against a computation here, Extra-P's model read back through a stand-in
# extrap.sh (T·N modelled, divided by N again), scalewall's predictions and
# intervals, and the summary's median/max/coverage against hand values.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
x=${SW_SOURCE_DIR:?}/bench/extrapolation

# The scoring functions on hand values: truth 1; 1.1 in [1, 1.2], 0.8 outside
# [0.85, 0.9], one failure.  Median |err| of {0.1, 0.2, inf} = 0.2, max inf,
# 1 of 3 covered, median width of {0.2/1.1, 0.05/0.8}.  Karp–Flatt on exact
# Amdahl data (s = 0.2, T1 = 10) gives e = 0.2 and T(1024) back.
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$x python3 - <<'PY'
import math, methods, score
rows = [dict(method="m", n=1024, truth="1", pred="1.1", lo="1.0", hi="1.2"),
        dict(method="m", n=1024, truth="1", pred="0.8", lo="0.85", hi="0.9"),
        dict(method="m", n=1024, truth="1", pred="", lo="", hi="")]
s = score.summarize_group(rows)
assert abs(s["median_abs_err"] - 0.2) < 1e-12 and math.isinf(s["max_abs_err"]), s
assert s["covered"] == 1 and abs(s["coverage"] - 1 / 3) < 1e-12 and s["failed"] == 1, s
assert abs(s["median_rel_width"] - (0.2 / 1.1 + 0.05 / 0.8) / 2) < 1e-12, s
t = lambda n: 10 * (0.2 + 0.8 / n)
pred, e = methods.karp_flatt([(1, t(1)), (4, t(4)), (32, t(32))], [1024])
assert abs(e - 0.2) < 1e-12 and abs(pred[1024] / t(1024) - 1) < 1e-12, (e, pred)
# Series that do not start at N = 1: the same law relative to the smallest N.
pred, e = methods.karp_flatt([(8, t(8)), (64, t(64))], [512])
assert abs(pred[512] / (t(8) * (e + (1 - e) * 8 / 512)) - 1) < 1e-12
PY

# A stand-in for Extra-P: the model 2*p**(1) for every region (T·N = 2N).
cat >extrap.sh <<'SH'
#!/usr/bin/env bash
for a; do [ -f "$a" ] && f=$a; done
grep '^REGION ' "$f" | while read -r _ r; do echo "$r|2*p**(1)"; done
SH
ids=allreduce-flat-1,halo3d-flat-2
python3 "$x/extrapolate.py" --scalewall "$sw" --only $ids --extrap ./extrap.sh --out o >table.md
grep -q '^| all | scalewall | 2 |' table.md
grep -q '^| all | extrap | 2 |' table.md

python3 - "$x/corpus.csv" o/predictions.csv o/summary.csv <<'PY'
import csv, sys
corpus = {}
for r in csv.DictReader(open(sys.argv[1])):
    sid = r["params"].split(";")[0][3:]
    corpus.setdefault(sid, {})[int(r["n"])] = float(r["value"])
preds = list(csv.DictReader(open(sys.argv[2])))
errs = []
for sid in ("allreduce-flat-1", "halo3d-flat-2"):
    t = corpus[sid]
    n1 = max(n for n in t if n <= 32)
    # Karp–Flatt from T(1) and T(32), computed here independently.
    S, p = t[1] / t[n1], n1
    e = min(1, max(0, (1 / S - 1 / p) / (1 - 1 / p)))
    for n in (256, 1024):
        got = {r["method"]: r for r in preds if r["id"] == sid and int(r["n"]) == n}
        kf = t[1] * (e + (1 - e) / n)
        assert abs(float(got["karp-flatt"]["pred"]) / kf - 1) < 1e-9, (sid, n, got["karp-flatt"])
        assert float(got["karp-flatt"]["truth"]) == t[n]
        assert float(got["extrap"]["pred"]) == 2.0, got["extrap"]
        sw = got["scalewall"]
        assert sw["status"] == "ok" and float(sw["lo"]) <= float(sw["pred"]) <= float(sw["hi"]), sw
        if n == 1024:
            errs.append(abs(kf / t[n] - 1))
summ = {(r["grouping"], r["group"], r["method"], r["n"]): r for r in csv.DictReader(open(sys.argv[3]))}
kf = summ[("all", "all", "karp-flatt", "1024")]
assert abs(float(kf["median_abs_err"]) - sum(errs) / 2) < 1e-12, (kf, errs)
assert abs(float(kf["max_abs_err"]) - max(errs)) < 1e-12, (kf, errs)
assert summ[("half", "tune", "karp-flatt", "1024")]["series"] == "1"
assert summ[("pattern", "halo3d", "scalewall", "256")]["series"] == "1"
PY
echo ok
