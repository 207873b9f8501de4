"""methods.py — the extrapolation methods the benches compare, run the same
way on every series: scalewall (fit + predict, as a user runs them), Extra-P
4.2.5 (the peer) and a naive Karp–Flatt/Amdahl extrapolation.
"""
import csv
import json
import math
import os
import subprocess

import score


def has_platform_option(sw):
    r = subprocess.run([sw, "fit", "--help"], capture_output=True, text=True)
    return "--platform" in (r.stdout + r.stderr)


# the series' `coll` values that say how MPI_Alltoall picks its algorithm
ALLTOALL_CHOICES = ("ompi", "mpich", "pair", "ring", "bruck", "linear")
# and those that say how a small MPI_Allreduce runs (a selector, or one algorithm)
ALLREDUCE_CHOICES = ("rdb", "rab_rdb", "redbcast", "mpich", "ompi")


def platform_for(path, coll, net, tmp, name):
    """The platform file as the series ran on it: the corpus' platform plus
    the MPI library's alltoall choice (`mpi_alltoall`) when the series set
    one (a selector or an algorithm; else SMPI's default, Open MPI's
    decision, the reader's default too), its small-allreduce choice
    (`mpi_allreduce`) likewise, and SMPI's network model
    (`smpi_network`: default, with its calibrated factors, or clean)."""
    with open(path) as f:
        doc = json.load(f)
    if coll in ALLTOALL_CHOICES:
        doc["mpi_alltoall"] = coll
    if coll in ALLREDUCE_CHOICES:
        doc["mpi_allreduce"] = coll
    doc["smpi_network"] = net
    out = os.path.join(tmp, f"{name}.platform.json")
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def step_ids(path):
    """The series ids that have one rank's step times in `path` (steps.csv,
    generate.sh): {id}; empty when there is no such file."""
    if not path or not os.path.exists(path):
        return set()
    with open(path, newline="") as f:
        return {r["params"].split(";")[0][3:] for r in csv.DictReader(f)
                if r["params"].startswith("id=")}


def workload_facts(args, sid=None, steps=None, have_steps=()):
    """The fit options for what the user of a series knows about its program
    (not its timings): a master-worker's tasks per step (`fit --tasks`, the
    `tasks=` of its arguments in series.csv); for a series whose rank's step
    times were measured at N = 1 (`steps`, its ids in `have_steps`), those
    step times and how many steps each value averages (`fit --step-times
    --steps`, the `iters=` the run timed)."""
    kv = dict(a.split("=", 1) for a in args.split(";") if "=" in a)
    out = ["--tasks", kv["tasks"]] if "tasks" in kv else []
    if sid in have_steps and "iters" in kv:
        out += ["--step-times", steps, "--step-series", f"straggler:id={sid}",
                "--steps", kv["iters"]]
    return out


def run_scalewall(sw, rows, at, tmp, name, fit_args=(), predict_args=()):
    """scalewall fit + predict as a user runs them: {n: (pred, lo, hi)} or a
    one-line reason for failing.

    rows: [{"n": .., "value": .., other columns (e.g. batch)}], written as an
    observation CSV; fit_args go to `fit` (--fit-max-n, --platform), and
    predict_args to `predict`."""
    data = os.path.join(tmp, f"{name}.csv")
    model = os.path.join(tmp, f"{name}.model.json")
    cols = list(rows[0])
    with open(data, "w", newline="") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n")
        w.writeheader()
        w.writerows({k: repr(v) if isinstance(v, float) else v for k, v in r.items()}
                    for r in rows)
    r = subprocess.run([sw, "fit", data, "-o", model, *fit_args], capture_output=True, text=True)
    if r.returncode != 0:
        return f"fit exit {r.returncode}: " + (r.stderr.strip().splitlines() or [""])[-1]
    r = subprocess.run([sw, "predict", model, "--n", ",".join(map(str, at)), "--csv",
                        *predict_args], capture_output=True, text=True)
    if r.returncode != 0:
        return f"predict exit {r.returncode}: " + (r.stderr.strip().splitlines() or [""])[-1]
    out = {}
    for row in csv.DictReader(r.stdout.splitlines()):
        out[int(float(row["n"]))] = (score.num(row["time"]), score.num(row["time_lo"]),
                                     score.num(row["time_hi"]))
    return out


def run_extrap(extrap, fitted, at, tmp):
    """Extra-P on T·N for every series, one call per set of fitted N.

    fitted: {id: [(n, t)]}.  Returns {id: {N: T(N)} or a reason}."""
    groups = {}
    for sid, pts in fitted.items():
        groups.setdefault(tuple(n for n, _ in pts), []).append(sid)
    out = {}
    for k, (ns, ids) in enumerate(sorted(groups.items())):
        path = os.path.join(tmp, f"extrap-{k}.txt")
        with open(path, "w") as f:
            f.write("PARAMETER p\nPOINTS " + " ".join(map(str, ns)) + "\n")
            for sid in ids:
                f.write(f"REGION {sid}\nMETRIC time\n")
                f.write("".join(f"DATA {n * t!r}\n" for n, t in fitted[sid]))
        r = subprocess.run(["bash", extrap, "--text", path, "--modeler", "default",
                            "--disable-progress", "--print", "{callpath}|{model:python}"],
                           capture_output=True, text=True)
        models = {}
        for line in r.stdout.splitlines():
            if "|" in line:
                sid, expr = line.split("|", 1)
                models[sid.strip()] = expr.strip()
        for sid in ids:
            if sid not in models:
                out[sid] = f"extrap exit {r.returncode}: no model"
                continue
            try:
                out[sid] = {n: eval(models[sid], {"__builtins__": {}},
                                    {"p": float(n), "log2": math.log2}) / n for n in at}
            except (ArithmeticError, SyntaxError, NameError, TypeError) as e:
                out[sid] = f"extrap model '{models[sid]}' does not evaluate: {e}"
    return out


def karp_flatt(points, at):
    """Naive Amdahl extrapolation from the smallest and the largest fitted N.

    points: [(n, t)] sorted by n.  With S = T(n0)/T(n1) and p = n1/n0, the
    Karp–Flatt serial fraction is e = (1/S - 1/p)/(1 - 1/p), clamped to
    [0, 1] (a superlinear pair would otherwise predict negative times), and
    T(N) = T(n0)·(e + (1 - e)·n0/N).  Returns {N: T(N)} and e."""
    (n0, t0), (n1, t1) = points[0], points[-1]
    p, s = n1 / n0, t0 / t1
    e = min(1.0, max(0.0, (1 / s - 1 / p) / (1 - 1 / p)))
    return {n: t0 * (e + (1 - e) * n0 / n) for n in at}, e
