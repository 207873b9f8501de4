#!/usr/bin/env bash
# `scalewall measure --platform`: cg and mlp swept to 64 simulated ranks
# under SimGrid SMPI, held to closed forms (injected compute = flops/speed,
# alpha-beta messages), and the mlp step against `scalewall simulate` on the
# same platform (within 0.1% at 16 and 64 ranks).  Skipped (77) without the
# SMPI program: the sanitizer build does not make it (an ASan .so cannot be
# dlopen'ed by smpimain), so this test never runs under ASan.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
so=${SW_BUILD_DIR:?}/scalewall_smpi.so
[ -f "$so" ] && command -v smpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1

# cg: 32x32x64 grid, 1 rank and 64 (one plane each), 1 Gflop/s, alpha 2us.
cgp='nx=32,ny=32,nz=64,iters=20'
$sw measure cg --platform flat:lat=2us,bw=10GBps,speed=1Gf --np 1,64 --params "$cgp" \
    --reps 2:2 --warmup 0 --no-progress --out cg.csv >cg.txt 2>cg.err
grep -q 'cg on simulated flat' cg.err
[ -z "$(ls -A | grep smpitmp || true)" ] # smpirun ran elsewhere
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("cg.csv")))
assert len(rows) == 4 and all(r["simulated"] == "1" and r["ok"] == "1" for r in rows), rows
assert all(r["meta_check"] == "skipped-smpi" for r in rows)
assert all(r["meta_platform"] == "flat:lat=2us;bw=10GBps;speed=1Gf" for r in rows)
v = {int(r["n"]): float(r["value"]) for r in rows}
nx, ny, nz, it, F, a, beta = 32, 32, 64, 20, 1e9, 2e-6, 1e-10
nnz = (3 * nx - 2) * (3 * ny - 2) * (3 * nz - 2)
t1 = it * (2 * nnz + 10 * nx * ny * nz) / F
assert abs(v[1] / t1 - 1) < 1e-6, (v[1], t1)
# 64 ranks: a middle slab (1 plane, 3 neighbour planes), 2 halo exchanges
# (alpha + plane bytes beta) and 2 Rabenseifner allreduces of 8 B
# (2 lg p alpha) per iteration, plus the first dot.
comp = (2 * (3 * nx - 2) * (3 * ny - 2) * 3 + 10 * nx * ny) / F
halo = 2 * (a + nx * ny * 8 * beta)
ar = 2 * 6 * a
t64 = it * (comp + halo + 2 * ar) + ar
assert abs(v[64] / t64 - 1) < 0.01, (v[64], t64)
PY

# mlp: 3 layers of 256x256 (in = out = width), global batch 256, 2 Gflop/s.
mlpp='depth=2,width=256,in=256,out=256,batch=256,steps=2'
cat >plat.json <<'J'
{"format":"scalewall-platform","version":1,"name":"virt","units_per_node":1,
 "flops_fp32":2e9,"flops_half":2e9,"mem_bw":1.2e10,"gamma":0,
 "intra":{"alpha_s":1e-6,"bandwidth_bytes_per_s":5e9},
 "inter":{"alpha_s":1e-6,"bandwidth_bytes_per_s":5e9}}
J
$sw measure mlp --platform plat.json --np 1,16,64 --params "$mlpp" --reps 2:2 --warmup 0 \
    --no-progress --out mlp.csv >mlp.txt 2>mlp.err
# The workload's layers for simulate: first layer's backward has no input
# gradient (2 k n instead of 4 k n); mem_bw = 6 F makes SGD's 3 passes over
# 4-byte weights cost the 2 flops per weight of the workload's SAXPY.
python3 - <<'PY'
import json
L = [{"name": "fc%d" % i, "fwd_flops": 2 * 256 * 256, "bwd_flops": (2 if i == 0 else 4) * 256 * 256,
      "param_bytes": 4 * 256 * 256, "act_bytes": 4 * 256} for i in range(3)]
json.dump({"name": "wlmlp", "layers": L}, open("net.json", "w"))
PY
$sw simulate --net ./net.json --platform plat.json --n 1,16,64 --batch 256 --allreduce rabenseifner \
    --flat --overlap off --optimizer sgd --format csv --out sim.csv
python3 - <<'PY'
import csv
smpi = {int(r["n"]): float(r["run_s"]) / 2 for r in csv.DictReader(open("mlp.csv"))}
sim = {int(r["n"]): float(r["value"]) for r in csv.DictReader(open("sim.csv"))}
F = 2e9
t1 = (3 * 6 - 2) * 256 ** 3 / F + 2 * 3 * 256 * 256 / F  # GEMMs + SAXPY, one step
assert abs(smpi[1] / t1 - 1) < 1e-5, (smpi[1], t1)  # SimGrid rounds each action to 1e-9 s
# Within 0.1 %, not just the issue's 2 %: the loss allreduce (2 lg p alpha
# per run) is outside the timed part (mlp's finish hook); were it timed, it
# would add +0.22 % at 64 ranks.  SMPI is deterministic: the residue (+0.04 %)
# is SimGrid's few-ns latency offsets per message.
for n in (16, 64):
    d = smpi[n] / sim[n] - 1
    assert abs(d) < 0.001, (n, smpi[n], sim[n], d)
    print("mlp step at %d ranks: SMPI %.6g s, simulate %.6g s (%+.3f%%)" % (n, smpi[n], sim[n], 100 * d))
PY

# Refused up front with the estimate: 4096 ranks of 16 MiB gradients.
set +e
$sw measure mlp --platform flat:speed=1Gf --np 4096 --params depth=1,width=2048,in=2048,out=2048,batch=4096 \
    --no-progress >big.txt 2>big.err
rc=$?
set -e
[ "$rc" = 7 ] && grep -q 'GB of host memory' big.err
# A time budget: the same 64-rank cg above, allowed one second only... of a ring.
set +e
$sw measure cg --platform flat:speed=1Gf --np 1024 --smpi-alg ring --sim-budget 1 \
    --params nx=8,ny=8,nz=1024 --no-progress 2>bud.err
rc=$?
set -e
[ "$rc" = 2 ] && grep -q 'over the 1 s budget' bud.err
# What SMPI cannot run says why, and nothing starts.
set +e
$sw measure dense --platform flat --np 4 2>dense.err
rc=$?
set -e
[ "$rc" = 2 ] && grep -q 'ScaLAPACK is linked against Open MPI' dense.err
$sw measure --platform flat --list | grep -q 'spike  not available'

# Interrupted in the middle of a sweep (Ctrl-C reaches the simulation through
# scalewall's watchdog): the finished N = 16 rows stay, valid; nothing of the
# 1024-rank point is written and no smpimain is left behind.
$sw measure mlp --platform plat.json --np 16,1024 --reps 2:2 --warmup 0 --no-progress \
    --params depth=2,width=256,in=256,out=256,batch=1024,steps=2 --out int.csv 2>int.err &
pid=$!
for _ in $(seq 600); do
  n=$(grep -c '^mlp,' int.csv 2>/dev/null) || true
  [ "${n:-0}" -ge 2 ] && break
  sleep 0.1
done
sleep 0.5
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { echo "interrupted sweep: exit $rc"; cat int.err; exit 1; }
grep -q 'interrupted; points finished before are kept' int.err
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open("int.csv")))
assert len(rows) == 2 and all(r["n"] == "16" and r["ok"] == "1" for r in rows), rows
PY
# No smpimain of this test left: scalewall hands the ranks the absolute
# path of int.csv, so the pattern names this test's directory (a bare
# "int.csv" also matched other runs of the suite on a shared machine).
for _ in $(seq 50); do
  pgrep -f "smpimain.*$PWD/int.csv" >/dev/null || break
  sleep 0.1
done
! pgrep -f "smpimain.*$PWD/int.csv" >/dev/null
