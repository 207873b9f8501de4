#!/usr/bin/env python3
"""extrapolate.py — the extrapolation bench on the corpus (run.sh calls it).

For every series of series.csv, fit the points with N <= --fit-max-n and
predict --at (default 256 and 1024), by three methods in the same run:
  scalewall   `scalewall fit --fit-max-n F -o model.json`, then
              `scalewall predict model.json --n AT --csv`: value and interval
              (time_lo, time_hi: the model's interval at its level, 90%);
  scalewall+platform  the same fit with `--platform platforms/P.json`, when
              this scalewall's `fit --help` offers --platform; the file
              names the series' MPI selector or alltoall algorithm
              (`mpi_alltoall`, `mpi_allreduce`) and SMPI network model (`smpi_network`),
              methods.platform_for: what a user knows of their MPI library
              and network;
  extrap      Extra-P 4.2.5 (../shared/peers/extrap/extrap.sh, default
              modeler) on T·N, divided by N again: Extra-P models weak scaling
              and its hypotheses only grow with p (its README);
  karp-flatt  naive Amdahl from the smallest and the largest fitted N
              (score.karp_flatt).
Writes predictions.csv (one row per series, method and N), summary.csv (the
figures per half, per pattern, per platform and overall) and table.md into
--out, and prints the table.

usage: extrapolate.py --scalewall PATH [--fit-max-n 32] [--at 256,1024]
                      [--only ID,...] [--half tune|holdout] [--extrap PATH|none]
                      [--out DIR]
"""
import argparse
import csv
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import methods  # noqa: E402
import score  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SW_SHARED_DIR") or os.path.join(HERE, "../../../shared")


def load_corpus(path):
    """{series id: [(n, value)]} from corpus.csv (params carry id=...)."""
    series = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            sid = dict(kv.split("=", 1) for kv in row["params"].split(";"))["id"]
            series.setdefault(sid, []).append((int(row["n"]), float(row["value"])))
    for pts in series.values():
        pts.sort()
    return series


def load_series(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scalewall", required=True)
    ap.add_argument("--fit-max-n", type=int, default=32)
    ap.add_argument("--at", default="256,1024")
    ap.add_argument("--only", default="")
    ap.add_argument("--half", choices=["tune", "holdout"])
    ap.add_argument("--extrap", default=os.path.join(SHARED, "peers/extrap/extrap.sh"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus.csv"))
    ap.add_argument("--series", default=os.path.join(HERE, "series.csv"))
    ap.add_argument("--steps", default=None,
                    help="one rank's step times at N = 1 (generate.sh writes steps.csv beside "
                         "corpus.csv, the default); none: not used")
    ap.add_argument("--out", default="extrapolation-out")
    a = ap.parse_args()
    at = [int(x) for x in a.at.split(",")]
    corpus = load_corpus(a.corpus)
    meta = [s for s in load_series(a.series)
            if (not a.only or s["id"] in a.only.split(",")) and (not a.half or s["half"] == a.half)]
    if not meta:
        sys.exit("extrapolate.py: no series selected")
    use_extrap = a.extrap != "none"
    if use_extrap and not os.path.exists(a.extrap):
        sys.exit(f"extrapolate.py: {a.extrap}: Extra-P not found (--extrap PATH, or none)")
    with_platform = methods.has_platform_option(a.scalewall)
    if a.steps is None:  # the draw's own: the same ids in another draw are other series
        a.steps = os.path.join(os.path.dirname(os.path.abspath(a.corpus)), "steps.csv")
    have_steps = methods.step_ids(a.steps) if a.steps != "none" else set()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fitted, results = {}, {}
        for s in meta:
            sid = s["id"]
            if sid not in corpus:
                sys.exit(f"extrapolate.py: {sid} is in {a.series} but not in {a.corpus}")
            pts = corpus[sid]
            fitted[sid] = [(n, t) for n, t in pts if n <= a.fit_max_n]
            rows_in = [{"n": n, "value": t} for n, t in pts]
            fit_args = ["--fit-max-n", str(a.fit_max_n)] + methods.workload_facts(
                s["args"], sid, a.steps, have_steps)
            res = {"scalewall": methods.run_scalewall(a.scalewall, rows_in, at, tmp, sid, fit_args)}
            if with_platform:
                plat = methods.platform_for(os.path.join(HERE, "platforms", s["platform"] + ".json"),
                                            s["coll"], s["net"], tmp, sid)
                res["scalewall+platform"] = methods.run_scalewall(
                    a.scalewall, rows_in, at, tmp, sid + "-platform", fit_args + ["--platform", plat])
            kf, _ = methods.karp_flatt(fitted[sid], at)
            res["karp-flatt"] = kf
            results[sid] = res
        if use_extrap:
            for sid, r in methods.run_extrap(a.extrap, fitted, at, tmp).items():
                results[sid]["extrap"] = r
    for s in meta:
        truth = dict(corpus[s["id"]])
        for method, r in results[s["id"]].items():
            for n in at:
                if n not in truth:
                    sys.exit(f"extrapolate.py: {s['id']} has no point at N = {n}")
                row = {"id": s["id"], "half": s["half"], "pattern": s["pattern"],
                       "platform": s["platform"], "method": method, "fit_max_n": a.fit_max_n,
                       "n": n, "truth": repr(truth[n])}
                score.fill_prediction(row, r, n)
                rows.append(row)
    fields = ["id", "half", "pattern", "platform", "method", "fit_max_n", "n", "truth", "pred",
              "lo", "hi", "status"]
    summary = score.summarize(rows, [("all", None), ("half", lambda r: r["half"]),
                                     ("pattern", lambda r: r["pattern"]),
                                     ("platform", lambda r: r["platform"])])
    table = (f"Fitted on N <= {a.fit_max_n}, predicted at N = {', '.join(map(str, at))}; "
             f"{len(meta)} series.\n\n" + score.markdown(summary, at))
    score.write_outputs(a.out, fields, rows, summary, table)
    sys.stdout.write(table)
    for r in rows:
        if r["status"] != "ok" and r["n"] == at[-1]:
            print(f"note: {r['method']} on {r['id']}: {r['status']}", file=sys.stderr)


if __name__ == "__main__":
    main()
