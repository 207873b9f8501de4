#!/usr/bin/env bash
# scripts/test.sh runs every stage even when one fails, and ends naming the
# failed ones (issue 11: a failing first pass stopped it before the
# sanitizer pass).  Its stage runner, scripts/lib/stages.sh, with stand-in
# stages.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/run.sh" <<'SH'
set -uo pipefail
source "$1/scripts/lib/stages.sh"
stage "build A" true
if passed "build A"; then stage "tests A" false; else not_run "tests A" "build A"; fi
stage "build B" false
if passed "build B"; then stage "tests B" true; else not_run "tests B" "build B"; fi
stage "last" touch "$2/last-ran"
stages_summary
SH
rc=0
bash "$tmp/run.sh" "$SW_SOURCE_DIR" "$tmp" > "$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ "$rc" -eq 1 ] || { echo "exit $rc, want 1"; exit 1; }
test -e "$tmp/last-ran" || { echo "a stage after a failure did not run"; exit 1; }
grep -qx "== tests A: FAILED ([0-9]* s)" "$tmp/out"
grep -qx "== tests B: not run (build B failed)" "$tmp/out"
grep -qx "scripts/test.sh: FAILED: tests A; build B; tests B (not run)" "$tmp/out"
# all passing: status 0
cat > "$tmp/ok.sh" <<'SH'
source "$1/scripts/lib/stages.sh"
stage one true
stage two true
stages_summary
SH
bash "$tmp/ok.sh" "$SW_SOURCE_DIR" | grep -qx "scripts/test.sh: every stage passed"
# scripts/test.sh uses it, and its stages are the ones CI needs
grep -q '^source scripts/lib/stages.sh' "$SW_SOURCE_DIR/scripts/test.sh"
for s in "tests under sanitizers" "build (Release)"; do
  grep -q "stage \"$s\"" "$SW_SOURCE_DIR/scripts/test.sh" || { echo "no stage '$s'"; exit 1; }
done
if grep -q '^set -e' "$SW_SOURCE_DIR/scripts/test.sh"; then echo "test.sh stops at the first failure"; exit 1; fi
echo ok
