#!/usr/bin/env bash
# The SMPI memory estimate (sw_smpi_host_bytes, what `measure --platform`
# refuses runs by) against the peak RSS the kernel measured for the run
# (getrusage of the child: smpirun and the smpimain it waits for), at three
# sizes the estimate was not fitted to: a deep network of small layers (where
# the old estimate, which left the replicated weights out, was ~5x low), mid
# layers with recursive doubling, and one large bucketed layer.  Within 30%,
# and `measure` reports the same peak (within 5%: its watchdog's samples add
# smpirun's own RSS).  Skipped (77) without the SMPI program, as in the
# sanitizer build (an ASan .so cannot be dlopen'ed by smpimain); peak RSS does
# not depend on the machine's load.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp
so=${SW_BUILD_DIR:?}/scalewall_smpi.so
[ -f "$so" ] && command -v smpirun >/dev/null || exit 77
export OMP_NUM_THREADS=1

run() { # NP PARAMS [options]: prints "estimate_GB measured_GB reported_GB"
    local np=$1 params=$2
    shift 2
    local args=(measure mlp --platform flat:speed=2Gf --np "$np" --params "$params"
                --reps 1:1 --warmup 0 --no-progress "$@")
    local dry est kb rep
    dry=$("$sw" "${args[@]}" --dry-run 2>&1)
    est=$(sed -n 's/.*N = *'"$np"' .*~\([0-9.e+-]*\) GB of host.*/\1/p' <<<"$dry")
    [ -n "$est" ] || { echo "no estimate in: $dry" >&2; return 1; }
    kb=$(python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open("run.err", "w"))
sys.exit(r.returncode) if r.returncode else print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
' "$sw" "${args[@]}" --out "r$np.csv") || { cat run.err >&2; return 1; }
    rep=$(sed -n 's/.*simulation took [0-9.]* s and \([0-9.e+-]*\) GB.*/\1/p' run.err)
    echo "$est $(python3 -c "print($kb * 1024 / 1e9)") ${rep:-none}"
}

check() { # WHAT ESTIMATE MEASURED REPORTED
    python3 - "$@" <<'PY'
import sys
what, est, meas, rep = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
r = meas / est
print(f"{what}: estimate {est:.3g} GB, peak RSS {meas:.3g} GB (measured/estimate {r:.3f}), "
      f"measure reported {rep} GB")
assert 1 / 1.3 <= r <= 1.3, f"{what}: estimate off by more than 30%"
assert rep != "none" and abs(float(rep) / meas - 1) < 0.05, f"{what}: measure reported {rep}"
PY
}

# 61 layers of up to 96 x 96: 4.4 MB of weights and gradients a rank, Rabenseifner.
check "deep, 32 ranks" $(run 32 depth=60,width=96,in=48,out=8,batch=128,steps=1)
# 5 layers of 384^2, recursive doubling (2 messages of temporaries in place).
check "mid, 48 ranks" $(run 48 depth=4,width=384,in=384,out=384,batch=96,steps=1 --smpi-alg rdb)
# Two layers, the first 768 x 1536 (4.7 MB), in buckets of 2 MiB.
check "wide, 24 ranks" $(run 24 depth=1,width=1536,in=768,out=16,batch=48,steps=1,bucket=2048)
