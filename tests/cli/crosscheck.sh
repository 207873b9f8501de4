#!/usr/bin/env bash
# `scalewall crosscheck`: the measure -> calibrate -> simulate -> fit ->
# compare loop in one command, checked against the commands it chains:
# the simulated column is what `measure --platform` writes for the same
# platform and rate, the prediction is `scalewall fit`'s, the disagreement is
# (sim - pred)/pred.  Also end to end, with closed forms: a fat tree and a
# --calibration platform under SMPI (ping-pong = alpha + n/bw per route).
# The error cases run everywhere; the rest is skipped (77) without the SMPI
# program or smpirun (the sanitizer build).
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
so=${SW_BUILD_DIR:?}/scalewall_smpi.so
export OMP_NUM_THREADS=1

# Errors: one line, the documented exit code, before anything runs.  These
# need neither MPI nor SimGrid, so they also run in the sanitizer pass.
expect() { # code needle args...
  local code=$1 needle=$2 rc=0
  shift 2
  $sw crosscheck "$@" --out-dir err >err.txt 2>err.err || rc=$?
  [ "$rc" = "$code" ] || { echo "crosscheck $*: exit $rc, want $code"; cat err.err; exit 1; }
  [ "$(grep -c '^scalewall' err.err)" = 1 ] || { echo "crosscheck $*: not one line"; cat err.err; exit 1; }
  grep -q -- "$needle" err.err || { echo "crosscheck $*: no '$needle'"; cat err.err; exit 1; }
}
expect 2 "dense: cannot be cross-checked: Debian's ScaLAPACK is linked against Open MPI" dense
expect 2 "spike: cannot be cross-checked: its compute is not injected" spike
expect 2 "comm: cannot be cross-checked: it measures the network itself" comm
expect 2 "the fit needs at least 3 distinct real N, got 2" mlp --np 1,2
expect 2 "include 1, the run the simulated compute rate comes from" mlp --np 2,3,4
expect 2 "'lat' cannot be set here: lat and bw come from the calibration" mlp --platform flat:lat=1us
expect 2 "'leaf' cannot be set here" mlp --platform flat:leaf=4
[ ! -e err/real.csv ] # nothing ran
if command -v mpirun >/dev/null; then # a PATH with mpirun but no smpirun
  mkdir bin && ln -s "$(command -v mpirun)" bin/mpirun
  rc=0
  PATH=$PWD/bin "$sw" crosscheck mlp --out-dir err >err.txt 2>err.err || rc=$?
  [ "$rc" = 6 ] && [ "$(grep -c '^scalewall' err.err)" = 1 ] && grep -q 'smpirun is not on PATH' err.err
fi

[ -f "$so" ] && command -v smpirun >/dev/null && command -v mpirun >/dev/null || exit 77

# A network given by hand: alpha 3 us, 2 GB/s.
cat >h.json <<'J'
{"format":"scalewall-hockney","version":1,"host":"test","ranks":2,
 "ops":{"pingpong":{"alpha_s":3e-6,"beta_s_per_byte":5e-10,"r2":1}}}
J

# 1. mlp, small: real N = 1, 2, 4 (4 oversubscribed on 2 cores), simulated 8, 16.
p='depth=2,width=32,in=16,out=4,batch=64,steps=20,lr=0.05'
$sw crosscheck mlp --calibration h.json --np 1,2,4 --sim-np 8,16 --params "$p" \
    --reps 3:3 --budget 1 --out-dir out >xc.txt 2>xc.err
grep -q '^crosscheck mlp depth=2;width=32' xc.txt
grep -q 'simulated  flat:lat=3e-06,bw=2e+09' xc.txt
grep -q '^Fitted on the real N = 1,2,4, the model is off from the simulated mlp at N = 8,16 by up to' xc.txt
for f in crosscheck.csv crosscheck.json real.csv sim.csv model.json real.log sim.log; do
  [ -s "out/$f" ] || { echo "missing out/$f"; exit 1; }
done
[ ! -e out/comm.csv ] # the calibration was given: comm not measured
rate=$(python3 -c 'import json; print(repr(json.load(open("out/crosscheck.json"))["rate_flops"]))')
# The simulated side again, by hand, with the platform and rate crosscheck used.
$sw measure mlp --platform flat:lat=3e-06,bw=2e+09 --rate "$rate" --np 8,16 --params "$p" \
    --reps 1:1 --warmup 0 --no-progress --out byhand.csv >/dev/null 2>&1
$sw fit out/real.csv --at 8,16 --csv >fit.csv 2>/dev/null
python3 - <<'PY'
import csv, json, statistics
j = json.load(open("out/crosscheck.json"))
assert j["format"] == "scalewall-crosscheck" and j["version"] == 1, j
assert j["platform"] == "flat:lat=3e-06,bw=2e+09", j["platform"]
assert j["calibration"]["alpha_s"] == 3e-6 and abs(j["calibration"]["bandwidth_bytes_per_s"] / 2e9 - 1) < 1e-12
assert j["real_np"] == [1, 2, 4] and j["sim_np"] == [8, 16], j
# The rate: flops / run time of the real one-rank repetitions, median.
real = list(csv.DictReader(open("out/real.csv")))
r1 = [float(r["flops"]) / float(r["run_s"]) for r in real
      if r["n"] == "1" and r["ok"] == "1" and r["outlier"] == "0"]
assert abs(j["rate_flops"] / statistics.median(r1) - 1) < 1e-12, (j["rate_flops"], r1)
rows = list(csv.DictReader(open("out/crosscheck.csv")))
hand = {int(r["n"]): float(r["value"]) for r in csv.DictReader(open("byhand.csv"))}
fit = {int(r["n"]): r for r in csv.DictReader(open("fit.csv"))}
assert [int(r["n"]) for r in rows] == [8, 16], rows
for r, jr in zip(rows, j["rows"]):
    n = int(r["n"])
    pred, lo, hi, sim, dis = (float(r[k]) for k in
                              ("predicted", "predicted_lo", "predicted_hi", "simulated", "disagreement_pct"))
    assert sim == hand[n], (n, sim, hand[n])  # deterministic: to the last digit
    for k, fk in (("predicted", "time"), ("predicted_lo", "time_lo"), ("predicted_hi", "time_hi")):
        assert abs(float(r[k]) / float(fit[n][fk]) - 1) < 1e-9, (n, k, r[k], fit[n][fk])
    assert abs(dis - 100 * (sim - pred) / pred) < 1e-9 * abs(dis) + 1e-12, (n, dis, sim, pred)
    assert r["inside"] == ("yes" if lo <= sim <= hi else "no"), r
    assert jr["n"] == n and jr["simulated"] == sim and jr["predicted"]["value"] == pred, jr
    assert jr["inside"] == (r["inside"] == "yes"), jr
assert j["summary"].startswith("Fitted on the real N = 1,2,4"), j["summary"]
# N = 4 is oversubscribed on fewer than 4 cores: a disagreement says so.
import os
cores = os.sysconf("SC_NPROCESSORS_ONLN")
outside = any(r["inside"] == "no" for r in rows)
warned = "oversubscribed (more ranks than this machine" in j["summary"]
assert warned == (cores < 4 and outside), (cores, outside, j["summary"])
PY

# 2. cg on a fat tree, the network measured here (measure comm, 2 ranks);
# its alpha and bandwidth are those `measure --platform local --calibration`
# puts in its platform XML (flat: alpha/2 per link) for the same file.
$sw crosscheck cg --platform fattree:leaf=4,up=2 --np 1,2,4 --sim-np 8,16 \
    --params nx=16,ny=16,nz=64,iters=20 --reps 3:3 --budget 1 --out-dir ft >ft.txt 2>ft.err
$sw measure comm --platform local --calibration ft/hockney.json --np 2 --params op=barrier,iters=1 \
    --reps 1:1 --warmup 0 --no-progress --platform-out local.xml >/dev/null 2>&1
python3 - <<'PY2'
import csv, json, re
j = json.load(open("ft/crosscheck.json"))
assert j["calibration"]["measured"] is True and j["calibration"]["file"] == "ft/hockney.json", j
x = open("local.xml").read()
si = {"": 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}
def q(attr, unit):
    v, p = re.search(r' %s="([0-9.e+-]+)([a-zA-Z]?)%s"' % (attr, unit), x).groups()
    return float(v) * si[p]
a, bw = 2 * q("lat", "s"), q("bw", "Bps")
assert abs(j["calibration"]["alpha_s"] / a - 1) < 1e-9 and abs(j["calibration"]["bandwidth_bytes_per_s"] / bw - 1) < 1e-9, (j["calibration"], a, bw)
assert j["platform"] == "fattree:leaf=4,up=2,lat=%.9g,bw=%.9g" % (j["calibration"]["alpha_s"], j["calibration"]["bandwidth_bytes_per_s"]), j["platform"]
sim = list(csv.DictReader(open("ft/sim.csv")))
assert all(r["simulated"] == "1" and r["meta_platform"] == j["platform"].replace(",", ";")
           for r in sim), sim[0]
assert [int(r["n"]) for r in sim] == [8, 16]
rows = list(csv.DictReader(open("ft/crosscheck.csv")))
assert [float(r["simulated"]) for r in rows] == [float(r["value"]) for r in sim]
PY2

# 3. The platforms end to end at 2 ranks, closed forms of a one-way message
# (400 round trips: the barrier's skew before the clock, one alpha, is 0.1 %).
pp() { # platform args..., bytes -> seconds per one-way message
  local b=${*: -1}
  $sw measure comm "${@:1:$#-1}" --np 2 --params op=pingpong,bytes=$b,iters=400 --reps 1:1 \
      --warmup 0 --no-progress --force --out pp.csv >/dev/null 2>pp.err
  python3 -c 'import csv; print(next(csv.DictReader(open("pp.csv")))["value"])'
}
check() { # got want what
  python3 -c 'import sys; g, w = float(sys.argv[1]), float(sys.argv[2]); assert abs(g / w - 1) < 0.01, (sys.argv[3], g, w)' "$@"
}
for b in 8 1048576; do
  # leaf=1: every pair crosses the top, 4 links of alpha/4: alpha + n/bw
  check "$(pp --platform fattree:leaf=1,up=1,lat=4us,bw=1GBps $b)" "$(python3 -c "print(4e-6 + $b / 1e9)")" "fattree leaf=1 $b B"
  # leaf=2: ranks 0 and 1 share a leaf, 2 links: alpha/2 + n/bw
  check "$(pp --platform fattree:leaf=2,up=2,lat=4us,bw=1GBps $b)" "$(python3 -c "print(2e-6 + $b / 1e9)")" "fattree leaf=2 $b B"
  # the local profile calibrated from h.json: its ping-pong alpha + n beta
  check "$(pp --platform local --calibration h.json $b)" "$(python3 -c "print(3e-6 + $b * 5e-10)")" "local+calibration $b B"
done
grep -q 'local+calibration=h.json' pp.csv

# 4. A missing calibration (exit 4) and a refused simulation: the refusal comes
# before anything real runs (measure --dry-run's estimate), as one line.
expect 4 "nothere.json: cannot read the calibration" mlp --calibration nothere.json
expect 2 "over the 1 s budget" cg --calibration h.json --np 1,2,4 --sim-np 1024 --smpi-alg ring \
    --sim-budget 1 --params nx=8,ny=8,nz=1024,iters=5 --reps 3:3 --budget 1
grep -q 'costing the simulation at N = 1024: ' err.err
[ ! -e err/real.csv ] && [ ! -e err/comm.csv ] && [ ! -e err/crosscheck.csv ]
