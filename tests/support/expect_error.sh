# expect_error.sh — sourced by CLI tests after cli_test.sh: `expect CODE
# PATTERN command...` runs the command in $tmp and fails the test unless it
# exits CODE with PATTERN on stderr, in one line unless CODE is 2 (usage
# errors may add the usage hint).  Its stdout is left in out.txt, its stderr
# in err.txt.
expect() {
    local code=$1 pat=$2
    shift 2
    set +e
    "$@" >out.txt 2>err.txt
    local rc=$?
    set -e
    [ "$rc" -eq "$code" ] || { echo "exit $rc, want $code: $*"; cat err.txt; exit 1; }
    grep -q -- "$pat" err.txt || { echo "no '$pat' in:"; cat err.txt; exit 1; }
    [ "$(wc -l <err.txt)" -eq 1 ] || [ "$code" -eq 2 ] || { cat err.txt; exit 1; }
}
