#!/usr/bin/env python3
"""check_corpus.py — checks that the kept corpus is what generate.sh makes.

  - series.csv is exactly what draw.py draws (nobody picked or edited a
    series by hand), with the halves rule: odd variants tune, even holdout;
  - every (pattern, platform) cell has a series in each half, every platform
    has its SimGrid XML and scalewall JSON;
  - corpus.csv has, for each series it holds, exactly the N of series.csv,
    one positive finite time each, params that repeat series.csv's, and at
    N = 1 the closed form (the compute alone: t1_s; straggler at least t1_s);
  - with --complete, every series of series.csv is in corpus.csv.
Prints one line per problem and exits 1 if there is any.

usage: check_corpus.py [--complete] [--corpus CSV] [--series CSV]
"""
import argparse
import csv
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--complete", action="store_true")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.csv"))
    ap.add_argument("--series", default=os.path.join(HERE, "series.csv"))
    a = ap.parse_args()
    problems = []
    with open(a.series, newline="") as f:
        series = list(csv.DictReader(f))
    by_id = {s["id"]: s for s in series}
    variants = max(int(s["variant"]) for s in series)
    drawn = subprocess.run([sys.executable, os.path.join(HERE, "draw.py"), "--variants",
                            str(variants)], capture_output=True, text=True, check=True).stdout
    with open(a.series, newline="") as f:
        if f.read() != drawn:
            problems.append(f"{a.series} is not what draw.py --variants {variants} draws")
    cells = {}
    for s in series:
        want = "tune" if int(s["variant"]) % 2 else "holdout"
        if s["half"] != want:
            problems.append(f"{s['id']}: half {s['half']}, the rule says {want}")
        cells.setdefault((s["pattern"], s["platform"]), set()).add(s["half"])
        for ext in ("xml", "json"):
            if not os.path.exists(os.path.join(HERE, "platforms", f"{s['platform']}.{ext}")):
                problems.append(f"{s['id']}: platforms/{s['platform']}.{ext} is missing")
    for cell, halves in cells.items():
        if halves != {"tune", "holdout"}:
            problems.append(f"cell {cell}: halves {sorted(halves)}")

    points = {}
    with open(a.corpus, newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            params = dict(kv.split("=", 1) for kv in row["params"].split(";"))
            sid = params.get("id", "")
            s = by_id.get(sid)
            if s is None:
                problems.append(f"{a.corpus}:{line}: series '{sid}' is not in {a.series}")
                continue
            want = f"id={sid};platform={s['platform']};net={s['net']};coll={s['coll']};{s['args']}"
            if row["params"] != want or row["workload"] != s["pattern"]:
                problems.append(f"{a.corpus}:{line}: {row['workload']} {row['params']} "
                                f"does not repeat {a.series}'s {s['pattern']} {want}")
            if row["scaling"] != "strong" or row["simulated"] != "1":
                problems.append(f"{a.corpus}:{line}: scaling/simulated not strong/1")
            v = float(row["value"])
            if not (math.isfinite(v) and v > 0):
                problems.append(f"{a.corpus}:{line}: time {row['value']} is not positive")
            points.setdefault(sid, []).append((int(row["n"]), v))
    for sid, pts in points.items():
        s = by_id[sid]
        ns = [n for n, _ in pts]
        want = [int(n) for n in s["ns"].split(";")]
        if ns != want:
            problems.append(f"{sid}: N {ns}, series.csv says {want}")
        t1, v1 = float(s["t1_s"]), dict(pts).get(1)
        if v1 is not None:
            ok = v1 >= t1 * (1 - 1e-6) if s["pattern"] == "straggler" else abs(v1 / t1 - 1) <= 1e-6
            if not ok:
                problems.append(f"{sid}: T(1) = {v1}, the compute alone is {t1}")
    missing = [s["id"] for s in series if s["id"] not in points]
    if missing and a.complete:
        problems.append(f"{len(missing)} series have no points: {', '.join(missing)}")
    for p in problems:
        print("check_corpus:", p)
    print(f"check_corpus: {len(points)} of {len(series)} series, "
          f"{sum(len(p) for p in points.values())} points, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
