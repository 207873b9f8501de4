#!/usr/bin/env bash
# docs-test.sh — runs every ```sh block of the given Markdown files, so no
# example in README.md or docs/ can rot.
#
#   bash scripts/docs-test.sh [--list] FILE.md...
#
# Each file's blocks run in order, as a reader following the page would, in
# one scratch directory that looks like the repository root: its entries are
# symlinks into the source tree (so `tests/data/...` and `data/...` resolve),
# `../shared` is the shared data folder, `build` is the directory of the
# scalewall under test, and that scalewall is first on PATH.  Files a block
# writes stay in the scratch directory.  A block runs under `bash -e -o
# pipefail`: its first failing command fails it.
#
# A block that cannot run here (it needs a cluster, a user's file, root on a
# fresh machine, or longer than the docs test may take) carries a marker on
# the line before its opening fence, with the reason in parentheses:
#
#   <!-- docs-test: skip (needs a Slurm cluster) -->
#
# The marker is an HTML comment, so readers do not see it.  An unknown
# docs-test directive, or a skip without a reason, is an error.
#
# Environment: SCALEWALL (the binary, default build/scalewall), SW_SOURCE_DIR
# (default: this script's repository), SW_SHARED_DIR (default ../shared),
# DOCS_TEST_TIMEOUT (seconds a block may take, default 300), DOCS_TEST_KEEP=1
# keeps the scratch directory.  Exit 0 when every block ran or was skipped,
# 1 when one failed, 2 on a usage error or a malformed marker.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
src=${SW_SOURCE_DIR:-$here}
shared=${SW_SHARED_DIR:-$src/../shared}
sw=${SCALEWALL:-$src/build/scalewall}
timeout_s=${DOCS_TEST_TIMEOUT:-300}
list=0
if [ "${1:-}" = "--list" ]; then list=1; shift; fi
if [ $# -eq 0 ]; then
  echo "usage: scripts/docs-test.sh [--list] FILE.md..." >&2
  exit 2
fi

# Splits FILE into DIR/NNN.sh (one a block) and prints, one a block,
# "NNN LINE run" or "NNN LINE skip REASON".  Exits 2 on a malformed marker.
extract() {
  awk -v dir="$2" -v file="$1" '
    function fail(msg) { printf "%s:%d: %s\n", file, FNR, msg > "/dev/stderr"; bad = 1; exit 2 }
    marked && !/^```(sh|bash)[ \t]*$/ { fail("a docs-test marker must be the line just before a ```sh fence") }
    /^<!-- *docs-test:/ {
      d = $0
      sub(/^<!-- *docs-test: */, "", d)
      if (d !~ /-->[ \t]*$/) fail("a docs-test marker must end with --> on its line")
      sub(/ *-->[ \t]*$/, "", d)
      if (d !~ /^skip *\(.*[^ ].*\)$/) fail("unknown docs-test marker \"" d "\" (known: skip (REASON))")
      mark = d; sub(/^skip *\(/, "", mark); sub(/\)$/, "", mark); marked = 1
      next
    }
    inblock && /^```/ { inblock = 0; close(out); next }
    inblock { print > out; next }
    /^```/ {
      lang = substr($0, 4); sub(/[ \t]+$/, "", lang)
      if (lang == "sh" || lang == "bash") {
        k++
        out = sprintf("%s/%03d.sh", dir, k)
        printf "" > out
        inblock = 1
        if (marked) printf "%03d %d skip %s\n", k, FNR, mark
        else printf "%03d %d run\n", k, FNR
        marked = 0
      } else {
        # a fence of another language (or none): output, a format, a synopsis
        while ((getline line) > 0 && line !~ /^```/) ;
      }
      next
    }
    END {
      if (bad) exit 2
      if (inblock) { printf "%s: a ```sh block is not closed\n", file > "/dev/stderr"; exit 2 }
      if (marked) { printf "%s: a docs-test marker at the end of the file\n", file > "/dev/stderr"; exit 2 }
    }
  ' "$1"
}

if [ "$list" = 0 ]; then
  [ -x "$sw" ] || { echo "docs-test: no scalewall at '$sw' (set SCALEWALL)" >&2; exit 2; }
  sw=$(cd "$(dirname "$sw")" && pwd)/$(basename "$sw")
fi
shared=$(cd "$shared" 2>/dev/null && pwd || echo "$shared")

# A reader's environment: ctest's test environment lets Open MPI oversubscribe
# every run, which would hide an example that fails verbatim on 2 cores.
unset OMPI_MCA_rmaps_base_oversubscribe
# Each block's CPU seconds are printed beside its wall time, since on a
# loaded machine the wall time says little about what the block costs CI:
# _timing_ours VAR (tests/lib/timing.sh) reads this shell's children's.
source "$here/tests/lib/timing.sh"

status=0
for md in "$@"; do
  [ -f "$md" ] || { echo "docs-test: $md: no such file" >&2; status=2; continue; }
  rel=${md#"$src"/}
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-test.XXXXXX")
  mkdir "$tmp/blocks" "$tmp/repo"
  if ! extract "$md" "$tmp/blocks" >"$tmp/index"; then
    status=2
    rm -rf "$tmp"
    continue
  fi
  if [ "$list" = 1 ]; then
    while read -r k line what reason; do
      echo "$rel:$line: $what${reason:+ ($reason)}"
      [ "$what" = run ] && sed 's/^/    /' "$tmp/blocks/$k.sh"
    done <"$tmp/index"
    rm -rf "$tmp"
    continue
  fi
  # the repository root, as seen from the scratch directory
  for e in "$src"/* "$src"/.[!.]*; do
    [ -e "$e" ] || continue
    case $(basename "$e") in build|build-*|.git) continue ;; esac
    ln -s "$e" "$tmp/repo/$(basename "$e")"
  done
  ln -s "$(dirname "$sw")" "$tmp/repo/build"
  ln -s "$shared" "$tmp/shared"
  # the blocks read /dev/null, not this list (mpirun forwards its stdin to
  # rank 0: it swallowed the page's remaining blocks)
  while read -r k line what reason; do
    if [ "$what" = skip ]; then
      echo "$rel:$line: skipped ($reason)"
      continue
    fi
    t0=$EPOCHREALTIME
    _timing_ours c0
    (cd "$tmp/repo" && PATH="$(dirname "$sw"):$PATH" \
       timeout --kill-after=10 "$timeout_s" bash -e -o pipefail "$tmp/blocks/$k.sh") \
      </dev/null >"$tmp/$k.log" 2>&1
    rc=$?
    dt=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    _timing_ours c1
    dc=$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')
    if [ "$rc" -eq 0 ]; then
      printf '%s:%d: ok (%.1f s, %.1f s of CPU)\n' "$rel" "$line" "$dt" "$dc"
    else
      [ "$rc" -eq 124 ] && why="timed out after $timeout_s s" || why="exit $rc"
      printf '%s:%d: FAILED (%s, %.1f s); the block:\n' "$rel" "$line" "$why" "$dt"
      sed 's/^/    /' "$tmp/blocks/$k.sh"
      echo "  its output (last 30 lines):"
      tail -n 30 "$tmp/$k.log" | sed 's/^/    /'
      status=1
    fi
  done <"$tmp/index"
  if [ "${DOCS_TEST_KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
done
exit $status
