# cli_test.sh — the common start of a CLI test, sourced right after
# `set -euo pipefail`: $sw is the binary under test, $data the test inputs,
# and the test runs in its own temporary directory $tmp, removed on exit (a
# test that must clean up more sets its own EXIT trap, removing "$tmp" too).
sw=${SCALEWALL:?}
data=${SW_SOURCE_DIR:?}/tests/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
