#!/usr/bin/env bash
# Fault injection (issue 11, build item 3; docs/reliability.md): a full
# disk (a 64 KiB tmpfs this test mounts), a read-only file system (root
# ignores chmod, so a read-only mount stands for an unwritable folder) and
# Ctrl-C during `report`.  Each must leave nothing partial, keep every
# finished point, and say which file and why in one line.
# Mounting needs root (CI runs as root); elsewhere the test is skipped.
# (kill -9 of one rank in a 2-rank sweep and Ctrl-C of a sweep are in
# measure_resume.sh; Ctrl-C under --timeout in measure_safety.sh.)
set -euo pipefail
sw=${SCALEWALL:?}
tmp=$(mktemp -d)
mkdir "$tmp/full" "$tmp/ro"
cleanup() {
  umount "$tmp/full" 2>/dev/null || true
  umount "$tmp/ro" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
if ! mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null ||
   ! mount -t tmpfs -o ro,size=64k tmpfs "$tmp/ro" 2>/dev/null; then
  echo "faults: cannot mount a tmpfs here (needs root): skipped"
  exit 77
fi
cd "$tmp"
fail() { echo "faults: $*"; exit 1; }
rows() { python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$1"; }
# expect CODE TEXT CMD...: that exit code and TEXT in the one error line
expect() {
  local code=$1 want=$2; shift 2
  set +e
  "$sw" "$@" >out.txt 2>err.txt; local rc=$?
  set -e
  [ "$rc" -eq "$code" ] || { cat err.txt; fail "$* exited $rc, want $code"; }
  grep -q -- "$want" err.txt || { cat err.txt; fail "$*: no '$want'"; }
}
nothing_partial() { # no temporary file anywhere under the folder
  local left; left=$(find "$1" -name '*.tmp.*')
  [ -z "$left" ] || fail "left behind: $left"
}

"$sw" simulate --n 1:64 --format csv --out sim.csv
"$sw" fit sim.csv -o model.json >/dev/null 2>&1

# --- a full disk ---------------------------------------------------------
cp sim.csv full/old.csv
head -c 56k /dev/zero >full/filler 2>/dev/null || true # what is left: a few KiB
expect 4 "full/old.csv: write failed: No space left on device" \
  simulate --batch 2000000 --n 1:1e6 --format csv --out full/old.csv
cmp -s sim.csv full/old.csv || fail "full/old.csv changed"
nothing_partial full
# A report: nothing of it, and the folder it created is gone again.
expect 4 "No space left on device" report --results sim.csv --model model.json --no-top500 \
  --out full/rep
[ ! -e full/rep ] || fail "report left full/rep: $(ls full/rep)"
# A sweep: the rows finished before the disk filled are kept, the error
# names the file, and --resume completes the sweep once there is room.
# Room for the header and a few rows (~700 bytes each): 4 KiB.
rm full/filler
head -c $(( $(df --output=avail -B1 full | tail -1) - 4096 )) /dev/zero >full/filler 2>/dev/null || true
expect 4 "full/r.csv: write failed: No space left on device" \
  measure --np 1:64 --reps 3:3 --out full/r.csv -- true
kept=$(rows full/r.csv) # parses: at most the torn last row is cut on resume
rm full/filler
"$sw" measure --np 1:64 --reps 3:3 --out full/r.csv --resume -- true >/dev/null 2>err.txt ||
  { cat err.txt; fail "resume after a full disk"; }
[ "$(rows full/r.csv)" -eq 21 ] || fail "r.csv: $(rows full/r.csv) rows after resume, want 21"
echo "faults: full disk: $kept rows kept, the sweep completed on resume"
nothing_partial full

# --- a read-only file system ----------------------------------------------
expect 4 "ro/x.csv: cannot create: Read-only file system" simulate --n 1:4 --out ro/x.csv
expect 4 "ro/r.csv: cannot open: Read-only file system" measure --np 1 --reps 1 --out ro/r.csv -- true
expect 4 "cannot be created: Read-only file system" report --results sim.csv --no-top500 --out ro/rep
expect 4 "ro/m.json: cannot create: Read-only file system" fit sim.csv -o ro/m.json
[ -z "$(ls -A ro)" ] || fail "ro: $(ls -A ro)"

# --- Ctrl-C during report: a whole report or none ---------------------------
# Interrupted at several points of its run: report.html with every figure it
# names, or no report file at all; never a temporary file.
for delay in 0.02 0.05 0.1 0.2 0.3 0.5 0.8; do
  rm -rf irep
  set -m
  "$sw" report --results sim.csv --model model.json --breakdown sim.csv --out irep >/dev/null 2>&1 &
  pid=$!
  set +m
  sleep "$delay"
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" || true
  [ -d irep ] || continue
  nothing_partial irep
  if [ -e irep/report.html ]; then
    for f in $(grep -o 'fig-[a-z0-9-]*\.csv' irep/report.html | sort -u); do
      [ -e "irep/$f" ] && [ -e "irep/${f%.csv}.png" ] || fail "report.html names a missing $f"
    done
  else
    [ -z "$(ls irep)" ] || fail "an interrupted report left $(ls irep) without report.html"
  fi
done
echo "faults: ok"
