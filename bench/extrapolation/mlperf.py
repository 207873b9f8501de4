#!/usr/bin/env python3
"""mlperf.py — the MLPerf Training bench (mlperf.sh calls it).

Every series of ../shared/data/mlperf/scaling-v0.6-v2.1.csv (one benchmark,
round, submitter and accelerator; its README) with at least 5 sizes is fitted
on its 4 smallest sizes and asked for its largest, by scalewall (fit +
predict, with the global batch per point as the observation column `batch`
where the data logs it), Karp–Flatt from the smallest and largest fitted
size, and Extra-P (T·N, as in extrapolate.py).  A series whose largest point
re-uses the log of another series' largest point (bert v2.1 Dell 128 = v2.0
Dell, the data's README) is counted once: the later one is left out.

Writes predictions.csv, summary.csv and table.md into --out; prints the table.

usage: mlperf.py --scalewall PATH [--data CSV] [--extrap PATH|none] [--out DIR]
                 [--noise-scale K]   (the stated noise times K; 0: no --noise)
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import methods  # noqa: E402
import score  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SW_SHARED_DIR") or os.path.join(HERE, "../../../shared")
DATA = os.path.join(SHARED, "data/mlperf/scaling-v0.6-v2.1.csv")
FIT_SIZES = 5 - 1  # fit on the 4 smallest of at least 5
# How much one published time to train varies, as MLCommons states it with
# the results (mlcommons.org, Training v1.0 results: "Even the multiple result
# average is not sufficient to eliminate all variance. Imaging benchmark
# results are very roughly +/- 2.5% and other benchmarks are very roughly
# +/- 5%"): a fact about the data a user reads beside it, given to `fit
# --noise` as one standard deviation.
IMAGING = {"resnet50", "ssd", "maskrcnn", "retinanet", "unet3d"}


def published_noise(bench):
    return 0.025 if bench in IMAGING else 0.05


def load(path):
    """[(series name, benchmark, [rows sorted by N])] in file order."""
    series = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["benchmark"], r["version"], r["submitter"], r["accelerator"])
            series.setdefault(key, []).append(r)
    out = []
    for (bench, ver, sub, acc), rows in series.items():
        rows.sort(key=lambda r: int(r["n_accelerators"]))
        name = f"{bench}-v{ver}-{sub}-{acc}".replace(" ", "_").replace(",", "")
        out.append((name, bench, rows))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scalewall", required=True)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--extrap", default=os.path.join(SHARED, "peers/extrap/extrap.sh"))
    ap.add_argument("--out", default="mlperf-out")
    ap.add_argument("--noise-scale", type=float, default=1.0,
                    help="multiply the published noise by K (0: fit without --noise)")
    a = ap.parse_args()
    if not os.path.exists(a.data):
        print(f"mlperf.py: {a.data}: no MLPerf data (../shared beside the repository)",
              file=sys.stderr)
        sys.exit(77)
    r = subprocess.run([a.scalewall, "predict", "--help"], capture_output=True, text=True)
    predict_batch = "--batch" in r.stdout + r.stderr
    chosen, seen, skipped = [], set(), []
    for name, bench, rows in load(a.data):
        if len({int(x["n_accelerators"]) for x in rows}) < FIT_SIZES + 1:
            continue
        last = rows[-1]
        key = (bench, last["n_accelerators"], last["minutes"])
        if key in seen:
            skipped.append(name)
            continue
        seen.add(key)
        chosen.append((name, bench, rows))
    out_rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fitted, results = {}, {}
        for name, bench, rows in chosen:
            fit = rows[:FIT_SIZES]
            target = int(rows[-1]["n_accelerators"])
            pts = [(int(x["n_accelerators"]), float(x["minutes"])) for x in fit]
            fitted[name] = pts
            obs = []
            for x in fit:
                o = {"workload": bench, "unit": "min", "n": int(x["n_accelerators"]),
                     "value": float(x["minutes"])}
                if all(y["global_batch_size"] for y in rows):
                    o["batch"] = int(x["global_batch_size"])
                obs.append(o)
            pargs = []
            if predict_batch and "batch" in obs[0]:
                pargs = ["--batch", rows[-1]["global_batch_size"]]
            noise = a.noise_scale * published_noise(bench)
            fargs = ("--noise", repr(noise)) if noise > 0 else ()
            results[name] = {
                "scalewall": methods.run_scalewall(a.scalewall, obs, [target], tmp, name, fargs,
                                                   pargs),
                "karp-flatt": methods.karp_flatt(pts, [target])[0]}
        if a.extrap != "none":
            targets = {name: int(rows[-1]["n_accelerators"]) for name, _, rows in chosen}
            for name in fitted:
                res = methods.run_extrap(a.extrap, {name: fitted[name]}, [targets[name]], tmp)
                results[name]["extrap"] = res[name]
    for name, bench, rows in chosen:
        n = int(rows[-1]["n_accelerators"])
        for method, r in results[name].items():
            row = {"id": name, "benchmark": bench, "method": method,
                   "fit_n": " ".join(x["n_accelerators"] for x in rows[:FIT_SIZES]), "n": n,
                   "truth": rows[-1]["minutes"]}
            score.fill_prediction(row, r, n)
            out_rows.append(row)
    fields = ["id", "benchmark", "method", "fit_n", "n", "truth", "pred", "lo", "hi", "status"]
    predictions = [dict(r) for r in out_rows]
    # One "largest N" per series: score every target as n = 0 ("the largest").
    for r in out_rows:
        r["n"] = 0
    summary = score.summarize(out_rows, [("all", None), ("benchmark", lambda r: r["benchmark"])])
    table = (f"MLPerf Training v0.6–v2.1: {len(chosen)} series with >= 5 sizes, fitted on the "
             f"4 smallest, predicted at the largest"
             + (f" ({len(skipped)} left out as a re-used log: {', '.join(skipped)})" if skipped
                else "") + ".\n\n"
             + score.markdown(summary, [0]).replace("@0", "@largest"))
    score.write_outputs(a.out, fields, predictions, summary, table)
    sys.stdout.write(table)
    for r in out_rows:
        if r["status"] != "ok":
            print(f"note: {r['method']} on {r['id']}: {r['status']}", file=sys.stderr)


if __name__ == "__main__":
    main()
