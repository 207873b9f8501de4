#!/usr/bin/env bash
# The real binary: dispatch, help, version, the amdahl command and its errors.
set -euo pipefail
. "${SW_SOURCE_DIR:?}/tests/support/cli_test.sh"  # $sw, $data; runs in $tmp

$sw --version | grep -qE '^scalewall [0-9]+\.[0-9]+\.[0-9]+$'
$sw help | grep -q 'amdahl'
$sw help amdahl | grep -q -- '--efficiency'
$sw amdahl --help | grep -q 'Karp-Flatt'

# N = 8, S = 6: 1-alpha = 1/21 = 0.047619.
out=$($sw amdahl --n 8 --speedup 6)
echo "$out" | grep -qE 'karp_flatt +0\.047619'
echo "$out" | grep -qE 'max_gain +21$'

# JSON: Fugaku 2020-11 by efficiency; 1-alpha = 2.8226e-8 (hand computation).
json=$($sw amdahl --n 7630848 --efficiency 0.822786 --json)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert abs(d["karp_flatt"]-2.8226e-8)/2.8226e-8 < 1e-3, d' "$json"

# Errors: one line, documented exit codes.
set +e
$sw amdahl --n 1 --speedup 1 2>err.txt; rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "N=1 exit $rc"; exit 1; }
grep -q '^scalewall: N = 1: 1-alpha is undefined' err.txt
set +e
$sw amdahl --n abc --speedup 2 2>err.txt; rc=$?
$sw nosuchcmd 2>>err.txt; rc2=$?
set -e
[ "$rc" -eq 2 ] && [ "$rc2" -eq 2 ] || { echo "usage exit $rc $rc2"; exit 1; }
grep -q "'abc' is not a number" err.txt
grep -q "'nosuchcmd' is not a scalewall command" err.txt
echo "amdahl CLI: all checks passed"
