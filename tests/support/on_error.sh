# on_error.sh — read by every bash a CLI test starts (ctest sets BASH_ENV to
# this file).  A test written with `set -e` that stops at a failing `grep -q`
# or `[ ... ]` used to fail without a word in ctest's output (CI showed only
# "Failed"); now the line and the command that stopped it are printed.
# Only when errexit is on: a command that fails inside `set +e` or a
# condition is the test's own business and says nothing.
trap '__sw_rc=$?; [[ $- == *e* ]] && echo "${BASH_SOURCE[0]:-$0}:$LINENO: stopped by: $BASH_COMMAND (exit $__sw_rc)" >&2' ERR
