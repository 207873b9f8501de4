#!/usr/bin/env python3
"""Holds a report (the tour's) to issue 13's standards, from its own files.

    tour_report.py REPORT_DIR RESULTS.csv PLAN.json [--chromium ART_DIR NAME]

1. The Summary opens with what the data supports: its first element is the
   "supports" paragraph, which says where the series comes from (measured on
   this machine, or simulated) and names every oversubscribed N.
2. No dollar figure outside the trust gate: every "$<digits>" of the HTML sits
   inside an element marked data-gate="within" (an answer the gate let
   through) or data-gate="input" (the price table, the stated budget); in the
   Summary only "within" counts.
3. From each figure's data file (fig-*.csv): no model band leaves the
   physically possible range (speedup 0 < S <= min(N, the model's wall) and
   S(1) = 1; efficiency 0 < E <= 1 and E(1) = 1; 1-alpha >= 0), the band and
   the solid model line stay where the intervals are calibrated, and every
   labelled series is labelled as what it is: "measured" only for a measured
   series, "simulated" for a simulated one, oversubscribed N only in a series
   that says "oversubscribed", "95% CI" only where every N has 6 runs or more;
   the legend sits below the plot; the breakdown's ticks are its bars' N; the
   plan figure carries the deadline beside the budget.
4. With --chromium: the report opened in headless Chromium (flags of the
   brief, a fresh --user-data-dir) loads every image and every section; a
   screenshot is kept in ART_DIR/NAME.png.
Exits non-zero with one line per failure."""
import csv
import glob
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

fails = []


def fail(msg):
    fails.append(msg)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


# ---- the results: per N, how many usable runs, and oversubscribed or not ----
def read_results(path):
    rows = list(csv.DictReader(open(path)))
    simulated = any(r.get("simulated") == "1" for r in rows)
    runs, over = {}, {}
    for r in rows:
        if r.get("ok") != "1" or r.get("outlier") == "1":
            continue
        n = float(r["n"])
        runs[n] = runs.get(n, 0) + 1
        load = r.get("core_load", "")
        if load not in ("", None):
            over[n] = over.get(n, False) or float(load) > 1
    return simulated, runs, over


# ---- the HTML: text with the gates around it ----
class Walk(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, gate, id)
        self.summary_first = None
        self.in_summary = False
        self.texts = []  # (text, gates, in_summary)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "meta", "link", "input"):
            return
        if tag == "section" and a.get("id") == "summary":
            self.in_summary = True
        elif self.in_summary and self.summary_first is None and tag not in ("h2",):
            self.summary_first = (tag, a.get("id"))
        self.stack.append((tag, a.get("data-gate"), a.get("id")))

    def handle_endtag(self, tag):
        while self.stack:
            t, _, i = self.stack.pop()
            if t == "section" and i == "summary":
                self.in_summary = False
            if t == tag:
                break

    def handle_data(self, data):
        gates = [g for _, g, _ in self.stack if g]
        self.texts.append((data, gates, self.in_summary))


def check_html(path, simulated, over):
    w = Walk()
    w.feed(open(path, encoding="utf-8").read())
    if w.summary_first != ("p", "supports"):
        fail("the Summary does not open with the 'supports' paragraph: %r" % (w.summary_first,))
    supports = "".join(t for t, g, s in w.texts if s)
    opening = "These points are simulated" if simulated else "On this machine"
    if opening not in supports.split("\n")[0] and not supports.startswith(opening):
        first = next((t for t, g, s in w.texts if s and t.strip() and t.strip() != "Summary"), "")
        if not first.startswith(opening):
            fail("the Summary's first sentence does not start with %r: %r" % (opening, first[:80]))
    for n, o in over.items():
        if o and ("N = %g is oversubscribed" % n) not in supports:
            fail("the Summary does not say N = %g is oversubscribed" % n)
    money = re.compile(r"[$€]\s?\d")
    for text, gates, in_summary in w.texts:
        if not money.search(text):
            continue
        ok = ("within" in gates) if in_summary else ("within" in gates or "input" in gates)
        if not ok:
            fail("a price outside the trust gate%s: %r" % (" in the Summary" if in_summary else "",
                                                          text.strip()[:120]))


# ---- the figures ----
def read_fig(path):
    rows = list(csv.reader(open(path)))
    head = rows[0]
    out = []
    for r in rows[1:]:
        d = dict(zip(head, r))
        for k in ("x", "y", "z", "lo", "hi"):
            d[k] = float(d[k]) if d.get(k) not in ("", None) else None
        out.append(d)
    return out


def check_figure(path, simulated, runs, over, cal_n):
    name = os.path.basename(path)
    rows = read_fig(path)
    legend = [r["label"] for r in rows if r["kind"] == "legend"]
    if legend != ["below"]:
        fail("%s: legend %r, not below the plot (it would cover data)" % (name, legend))
    kind = name[len("fig-"):-len(".csv")]
    walls = [r["y"] for r in rows if r["kind"] == "hline" and r["series"].startswith("model's wall")]
    wall = walls[0] if walls else float("inf")
    for r in rows:
        if r["kind"] != "band":
            continue
        x, lo, hi = r["x"], r["lo"], r["hi"]
        if cal_n is not None and x > cal_n * (1 + 1e-9):
            fail("%s: a band at N = %g, past the calibrated N = %g" % (name, x, cal_n))
        if kind == "speedup":
            if not (lo > 0 and hi <= min(x, wall) * (1 + 1e-9)):
                fail("%s: band [%g, %g] at N = %g leaves 0 < S <= min(N, wall %g)" % (name, lo, hi, x, wall))
            if x == 1 and not (close(lo, 1) and close(hi, 1)):
                fail("%s: S(1) band is [%g, %g], not 1" % (name, lo, hi))
        elif kind == "efficiency":
            if not (lo > 0 and hi <= 1 + 1e-9):
                fail("%s: band [%g, %g] at N = %g leaves 0 < E <= 1" % (name, lo, hi, x))
            if x == 1 and not (close(lo, 1) and close(hi, 1)):
                fail("%s: E(1) band is [%g, %g], not 1" % (name, lo, hi))
        elif kind == "serial" and lo < -1e-12:
            fail("%s: band reaches 1-alpha = %g < 0" % (name, lo))
    for r in rows:
        if r["kind"] == "line" and r["series"] == "model (fitted)" and cal_n is not None \
                and r["x"] > cal_n * (1 + 1e-9):
            fail("%s: the solid model line reaches N = %g, past the calibrated %g" % (name, r["x"], cal_n))
    if kind in ("speedup", "efficiency", "serial"):
        seen = set()
        for r in rows:
            if r["kind"] != "points":
                continue
            s, n = r["series"], r["x"]
            seen.add(n)
            what = "simulated" if simulated else "measured"
            if not s.startswith(what):
                fail("%s: series %r at N = %g is not labelled %s" % (name, s, n, what))
            if ("oversubscribed" in s) != bool(over.get(n)):
                fail("%s: N = %g %s oversubscribed but its series is %r" %
                     (name, n, "is" if over.get(n) else "is not", s))
            # a 95% CI of the median needs 6 runs (distribution-free);
            # below, the bar is the range and must be called so
            k = runs.get(n, 0)
            if k >= 6 and "95% CI of the median" not in s:
                fail("%s: N = %g has %d runs but its series %r does not say 95%% CI" % (name, n, k, s))
            if k < 6 and "range of" not in s and "no interval" not in s:
                fail("%s: N = %g has %d runs and its series %r does not call the bar a range" %
                     (name, n, k, s))
        if kind != "serial" and seen != set(runs):
            fail("%s: points at N %s, the results have %s" % (name, sorted(seen), sorted(runs)))
        if kind == "speedup" and not any(r["series"] == "ideal S = N" for r in rows):
            fail("%s: no ideal S = N line" % name)
    if kind == "breakdown":
        bars = sorted({r["x"] for r in rows if r["kind"] == "stack"})
        ticks = sorted(r["x"] for r in rows if r["kind"] == "xtick")
        if bars != ticks:
            fail("%s: ticks %s are not the bars' N %s" % (name, ticks, bars))
        if any("measured" in r["series"] for r in rows):
            fail("%s: a simulated breakdown labelled measured" % name)
    if kind == "plan":
        plan_kinds = {r["kind"] for r in rows}
        if "vline" not in plan_kinds:
            fail("%s: no deadline line" % name)


def chromium(report, art, name):
    exe = next((e for e in ("chromium", "chromium-browser") if
                subprocess.call(["sh", "-c", "command -v " + e], stdout=subprocess.DEVNULL) == 0), None)
    if not exe:
        print("chromium not installed: not opened in a browser")
        return
    os.makedirs(art, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(os.path.dirname(report), "check-%d.html" % os.getpid())
        with open(report, encoding="utf-8") as f, open(probe, "w", encoding="utf-8") as g:
            g.write(f.read())
            g.write("""<script>
window.addEventListener('load', function () {
  var imgs = document.images, ok = 0;
  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
  var d = document.createElement('div');
  d.id = 'sw-check';
  d.textContent = 'loaded:' + ok + '/' + imgs.length;
  document.body.appendChild(d);
});
</script>""")
        flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + os.path.join(tmp, "profile")]
        try:
            dom = subprocess.run(flags + ["--dump-dom", "file://" + os.path.abspath(probe)],
                                 capture_output=True, text=True, timeout=90).stdout
            subprocess.run(flags + ["--window-size=1200,4000",
                                    "--screenshot=" + os.path.join(art, name + ".png"),
                                    "file://" + os.path.abspath(report)],
                           capture_output=True, timeout=90)
        finally:
            os.remove(probe)
    m = re.search(r'<div id="sw-check">loaded:(\d+)/(\d+)</div>', dom)
    if not m or m.group(1) != m.group(2) or m.group(2) == "0":
        fail("chromium: images not all loaded: %s" % (m.group(0) if m else "no probe result"))
    for s in ("summary", "measurements", "model", "plan", "context", "method", "provenance"):
        if '<section id="%s">' % s not in dom:
            fail("chromium: section %s missing" % s)
    if not os.path.getsize(os.path.join(art, name + ".png")):
        fail("chromium: empty screenshot")


def main():
    a = sys.argv[1:]
    if len(a) < 3:
        sys.exit(__doc__)
    rep, results, planf = a[:3]
    simulated, runs, over = read_results(results)
    plan = json.load(open(planf))
    reach = plan.get("reach") or {}
    try:
        cal_n = float(reach["n_max"]) * float(reach["calibrated_ratio"])
    except (KeyError, TypeError, ValueError):
        cal_n = None
    check_html(os.path.join(rep, "report.html"), simulated, over)
    figs = sorted(glob.glob(os.path.join(rep, "fig-*.csv")))
    if len(figs) < 4:
        fail("only %d figure data files" % len(figs))
    for f in figs:
        check_figure(f, simulated, runs, over, cal_n)
    if "--chromium" in a:
        i = a.index("--chromium")
        chromium(os.path.join(rep, "report.html"), a[i + 1], a[i + 2])
    for f in fails:
        print("FAIL:", f)
    sys.exit(1 if fails else 0)


main()
