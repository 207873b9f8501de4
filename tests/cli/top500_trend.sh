#!/usr/bin/env bash
# top500_trend.sh — --trend on the built-in table and on the list files: the
# same numbers, and a verdict computed from them that survives the
# weak-scaling reading (docs/top500.md, "Is the wall reached?"): each list's
# best system has its wall 1/(1-alpha) above its own N (wall/N = E/(1-E) ~
# 2..5 at E 0.68..0.82), so the wall is not reached, and the flat lowest
# 1-alpha is said to follow N at a steady median E.
set -euo pipefail
: "${SCALEWALL:?}" "${SW_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$SCALEWALL" top500 --trend >"$tmp/t.txt"
[ "$(grep -c '^20[0-9][0-9]-[0-9][0-9] ' "$tmp/t.txt")" -eq 19 ] || fail "19 lists"
tail -1 "$tmp/t.txt" | grep -Eq '^No: across 19 lists \(2017-06\.\.2026-06\)' || fail "verdict"
tail -1 "$tmp/t.txt" | grep -q 'none has reached it' || fail "wall verdict"
tail -1 "$tmp/t.txt" | grep -q 'HPL is weak-scaled' || fail "weak scaling"
grep -q '^\* HPCG: single-point values, mostly a node.s bytes per flop' "$tmp/t.txt" || fail "hpcg note"
"$SCALEWALL" top500 --trend --csv >"$tmp/t.csv"
head -1 "$tmp/t.csv" | grep -q '^list,k,first_name,first_serial_hpl,first_serial_hpcg,best_serial_hpl,' || fail "csv header"
# 2020-11: #1 Fugaku, 1-a = (537212/442010 - 1)/7630847 = 2.8226e-08
grep -Eq '^2020-11,10,Supercomputer Fugaku,2\.822[0-9]*e-08,4\.267[0-9]*e-06,' "$tmp/t.csv" || fail "2020-11 row"
"$SCALEWALL" top500 --trend --json >"$tmp/t.json"
# the verdict's numbers are the rows' numbers: wall/N of each list's best
# system = its max gain over its N, all above 1; the sentence quotes their
# range and the median E's range
python3 - "$tmp/t.json" "$tmp/t.csv" <<'PY' || fail "verdict numbers"
import csv, json, sys
d = json.load(open(sys.argv[1]))
s, rows = d["summary"], d["rows"]
assert s["wall_reached"] is False and "floor_visible" in s, s
w = [r["best_wall_over_n"] for r in rows]
assert all(x > 1 for x in w), w
assert abs(min(w) - s["wall_over_n_lo"]) < 1e-9 and abs(max(w) - s["wall_over_n_hi"]) < 1e-9
assert 2 < min(w) and max(w) < 5, w           # E/(1-E) at E 0.68..0.82
e = [r["median_e_hpl"] for r in rows]
assert abs(min(e) - s["median_e_hpl_lo"]) < 1e-9 and 0.6 < min(e) and max(e) < 0.8, e
assert "%.2g to %.2gx its own N" % (min(w), max(w)) in s["verdict"], s["verdict"]
assert "at %.2f to %.2f" % (min(e), max(e)) in s["verdict"], s["verdict"]
# the largest N grew 1.3x while the lowest 1-alpha fell ~1.8x: the 1/N reading
n = [r["max_cores"] for r in rows]
assert 1.2 < n[-1] / n[0] < 1.4, n
# 2026-06: LineShine, wall/N = 1/((1-a) N) = 4.09 (max gain 5.64e7 over 13789440 cores)
last = rows[-1]
assert last["best_hpl_name"] == "LineShine" and abs(last["best_wall_over_n"] - 4.09) < 0.01, last
# 2020-11: Fugaku, 7630848 cores: wall/N = max gain / N, from the CSV too
r = [r for r in csv.DictReader(open(sys.argv[2])) if r["list"] == "2020-11"][0]
assert r["best_hpl_name"] == "Supercomputer Fugaku", r
assert abs(float(r["best_wall_over_n"]) - float(r["max_gain_hpl"]) / 7630848) < 1e-6, r
PY
"$SCALEWALL" top500 "$SW_SOURCE_DIR/tests/data/top500_sample.csv" --trend | tail -1 | grep -q '^One list cannot show a trend' || fail "one list"

dir=${SW_SHARED_DIR:-}/data/top500
if [ -r "$dir/2017-06.csv" ]; then
  "$SCALEWALL" top500 --trend --csv "$dir"/20[12][0-9]-[01][0-9].csv >"$tmp/f.csv"
  diff "$tmp/t.csv" "$tmp/f.csv" || fail "files and built-in table differ"
fi
echo ok
