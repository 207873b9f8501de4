# stages.sh — sourced by scripts/test.sh: run stages, keep going past a
# failed one, and end with one line naming every stage that failed
# (tests/cli/test_stages.sh holds it to that).
#
#   stage NAME COMMAND...     run one stage; a failure is remembered, not fatal
#   passed NAME               whether stage NAME passed (a build's tests need it)
#   not_run NAME WHY          record a stage that could not run (counts as failed)
#   stages_summary            print the verdict; status 0 when every stage passed

stages_failed=()

stage() {
  local name=$1 t0=$SECONDS
  shift
  echo "== $name"
  if "$@"; then
    echo "== $name: ok ($((SECONDS - t0)) s)"
  else
    echo "== $name: FAILED ($((SECONDS - t0)) s)"
    stages_failed+=("$name")
  fi
}

passed() {
  local f
  for f in "${stages_failed[@]}"; do [ "$f" = "$1" ] && return 1; done
  return 0
}

not_run() {
  echo "== $1: not run ($2 failed)"
  stages_failed+=("$1 (not run)")
}

stages_summary() {
  if [ ${#stages_failed[@]} -gt 0 ]; then
    local list
    list=$(printf '%s; ' "${stages_failed[@]}")
    echo "scripts/test.sh: FAILED: ${list%; }"
    return 1
  fi
  echo "scripts/test.sh: every stage passed"
}
