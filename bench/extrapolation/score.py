"""score.py — the scoring shared by the extrapolation and MLPerf benches.

A prediction row is a dict with at least: id, method, n, truth, pred, and for
methods with intervals lo and hi (empty otherwise), plus the grouping columns
(half, pattern, ...).  A method that failed on a series has pred = '' and its
reason in `status`; it counts as an infinite error, so a failure can never
improve a median or a maximum.

For every (group, method, n): the number of series, failures, the median and
the maximum of |pred/truth - 1|, and for methods with intervals the share of
series whose interval [lo, hi] holds the truth and the median relative width
(hi - lo)/pred.
"""
import csv
import math
import os
import statistics

SUMMARY_FIELDS = ["grouping", "group", "method", "n", "series", "failed", "median_abs_err",
                  "max_abs_err", "covered", "coverage", "median_rel_width"]


def rel_error(pred, truth):
    """pred/truth - 1, or inf when there is no prediction."""
    if pred is None or not math.isfinite(pred):
        return math.inf
    return pred / truth - 1


def num(x):
    """A CSV cell as a float, None when empty."""
    return None if x in ("", None) else float(x)


def fill_prediction(row, result, n):
    """Put a method's result at N into a prediction row: pred (and lo, hi
    for (pred, lo, hi) tuples), or the method's one-line reason in status.

    result: {N: value or (pred, lo, hi)} or a string (why the method failed)."""
    row.update(pred="", lo="", hi="", status="ok")
    if isinstance(result, str):
        row["status"] = result
        return row
    v = result.get(n)
    if isinstance(v, tuple):
        row["pred"], row["lo"], row["hi"] = ("" if x is None else repr(x) for x in v)
    elif v is not None:
        row["pred"] = repr(v)
    if row["pred"] == "":
        row["status"] = "no prediction"
    return row


def write_outputs(out, fields, rows, summary, table):
    """predictions.csv (rows, columns fields), summary.csv and table.md in
    directory out."""
    os.makedirs(out, exist_ok=True)
    for name, cols, data in (("predictions.csv", fields, rows),
                             ("summary.csv", SUMMARY_FIELDS, summary)):
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.DictWriter(f, cols, lineterminator="\n")
            w.writeheader()
            w.writerows(data)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(table)


def summarize_group(rows):
    """The figures for one (group, method, n) set of prediction rows."""
    errs = sorted(abs(rel_error(num(r["pred"]), float(r["truth"]))) for r in rows)
    failed = sum(1 for r in rows if num(r["pred"]) is None)
    out = {"series": len(rows), "failed": failed,
           "median_abs_err": statistics.median(errs) if errs else math.nan,
           "max_abs_err": errs[-1] if errs else math.nan,
           "covered": "", "coverage": "", "median_rel_width": ""}
    with_iv = [r for r in rows if num(r.get("lo")) is not None and num(r.get("hi")) is not None]
    if with_iv:
        # A failed fit has no interval: it does not hold the truth.
        covered = sum(1 for r in with_iv if num(r["lo"]) <= float(r["truth"]) <= num(r["hi"]))
        out["covered"] = covered
        out["coverage"] = covered / len(rows)
        out["median_rel_width"] = statistics.median(
            (num(r["hi"]) - num(r["lo"])) / num(r["pred"]) for r in with_iv)
    return out


def summarize(rows, groupings):
    """Summary rows for every group of every grouping, method and n.

    groupings: list of (name, key function of a row or None for 'all')."""
    out = []
    methods = list(dict.fromkeys(r["method"] for r in rows))
    ns = sorted({int(r["n"]) for r in rows})
    for gname, key in groupings:
        values = ["all"] if key is None else sorted({key(r) for r in rows})
        for v in values:
            for m in methods:
                for n in ns:
                    sel = [r for r in rows if r["method"] == m and int(r["n"]) == n and
                           (key is None or key(r) == v)]
                    if sel:
                        out.append({"grouping": gname, "group": v, "method": m, "n": n,
                                    **summarize_group(sel)})
    return out


def pct(x):
    if x == "" or x is None:
        return "–"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return f"{100 * x:.1f}%"


def markdown(summary, ns):
    """One table: a row per (group, method), columns per n."""
    head = ["group", "method", "series"]
    for n in ns:
        head += [f"median \\|err\\| @{n}", f"max @{n}"]
    for n in ns:
        head += [f"90% holds @{n}"]
    head += [f"median width @{ns[-1]}"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    keys = list(dict.fromkeys((s["grouping"], s["group"], s["method"]) for s in summary))
    for g, v, m in keys:
        cells = {s["n"]: s for s in summary
                 if (s["grouping"], s["group"], s["method"]) == (g, v, m)}
        any_s = next(iter(cells.values()))
        label = v if g in ("all", v) else f"{g} {v}"
        series = str(any_s["series"]) + (f" ({any_s['failed']} failed)" if any_s["failed"] else "")
        row = [label, m, series]
        for n in ns:
            s = cells.get(n)
            row += [pct(s["median_abs_err"]), pct(s["max_abs_err"])] if s else ["", ""]
        for n in ns:
            s = cells.get(n)
            row += [f"{s['covered']}/{s['series']}" if s and s["covered"] != "" else "–"]
        last = cells.get(ns[-1])
        row += [pct(last["median_rel_width"]) if last else ""]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
