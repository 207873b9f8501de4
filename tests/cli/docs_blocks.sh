#!/usr/bin/env bash
# scripts/docs-test.sh, which runs every ```sh block of README.md and
# docs/*.md (ctest docs/*): on made-up pages, that a failing block fails
# with its file and line, blocks of a page share one directory in order,
# other fences are not run, the skip marker needs a reason and must sit
# just before a fence, and a block sees what a reader has (the repository
# root, scalewall on PATH, no ctest oversubscription).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
dt=("bash" "$SW_SOURCE_DIR/scripts/docs-test.sh")
run() { # run WANT PAGE: docs-test's exit status must be WANT
  local want=$1 rc=0
  shift
  "${dt[@]}" "$@" > out.txt 2>&1 || rc=$?
  [ "$rc" -eq "$want" ] || { cat out.txt; echo "docs-test $*: exit $rc, want $want"; exit 1; }
}

cat > good.md <<'MD'
# A page
```sh
echo one > state.txt
test -f tests/data/fit_sweep.csv          # the repository root
test -f ../shared/data/top500/2020-11.csv || test ! -d "$SW_SHARED_DIR/data"
```
Output is not run:
```
false
```
```json
{"not": "run"}
```
<!-- docs-test: skip (needs a Slurm cluster) -->
```sh
srun false
```
```sh
grep -q one state.txt                     # the same directory, in order
[ "$(command -v scalewall)" = "$(dirname "$SCALEWALL")/scalewall" ] || [ "$(command -v scalewall)" -ef "$SCALEWALL" ]
scalewall --version
[ -z "${OMPI_MCA_rmaps_base_oversubscribe:-}" ]
```
MD
OMPI_MCA_rmaps_base_oversubscribe=1 run 0 good.md
grep -q "good.md:2: ok" out.txt
grep -q "good.md:15: skipped (needs a Slurm cluster)" out.txt
grep -q "good.md:18: ok" out.txt
[ "$(grep -c ': ok' out.txt)" -eq 2 ] || { cat out.txt; exit 1; }

cat > bad.md <<'MD'
text
```sh
true
```
```bash
echo before
false
echo after
```
MD
run 1 bad.md
grep -q "bad.md:5: FAILED (exit 1" out.txt
grep -q "^    echo before" out.txt   # the block and its output are shown
if grep -q "^    after" out.txt; then echo "the block went on after a failure"; exit 1; fi

printf '<!-- docs-test: skip -->\n```sh\ntrue\n```\n' > noreason.md
run 2 noreason.md
grep -q "unknown docs-test marker" out.txt
printf '<!-- docs-test: skip (reason) -->\n\n```sh\ntrue\n```\n' > apart.md
run 2 apart.md
grep -q "just before a \`\`\`sh fence" out.txt
printf '<!-- docs-test: skpi (typo) -->\n```sh\ntrue\n```\n' > typo.md
run 2 typo.md
printf '```sh\ntrue\n' > open.md
run 2 open.md
grep -q "not closed" out.txt
# a block that reads its stdin (as mpirun does) gets nothing, and the
# page's later blocks still run
printf '```sh\ncat > seen.txt\n```\n```sh\ntrue\n```\n' > stdin.md
run 0 stdin.md
grep -q "stdin.md:4: ok" out.txt
# --list shows what would run, without running it
run 0 --list good.md
grep -q "good.md:15: skip (needs a Slurm cluster)" out.txt
grep -q "^    srun false" out.txt && { echo "--list printed a skipped block's body"; exit 1; }
grep -q "^    grep -q one state.txt" out.txt
# a block that hangs is stopped
printf '```sh\nsleep 30\n```\n' > slow.md
DOCS_TEST_TIMEOUT=1 run 1 slow.md
grep -q "timed out after 1 s" out.txt
echo ok
