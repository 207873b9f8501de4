#!/usr/bin/env bash
# gen-completion.sh — bash completion for scalewall, written from the help
# text the binary prints, so it knows exactly the commands and options the
# binary does.
#
#   bash scripts/gen-completion.sh SCALEWALL OUTFILE
#
# Completes the command, each command's options, the values an option's
# help spells as a|b|c (--scaling strong|weak), the simulate profiles for
# --platform, the built-in workloads after `measure` and `crosscheck`, and
# the commands after `help`; anything else (files) falls back to bash's
# default completion.  CMake runs it at build time.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: scripts/gen-completion.sh SCALEWALL OUTFILE" >&2
  exit 2
fi
sw=$1
out=$2
export ASAN_OPTIONS=detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$(dirname "$out")"
top=$("$sw" help)
# No pipe ends early here: an awk that exits while a writer still writes
# kills the writer with SIGPIPE (exit 141 under pipefail, a failed build on
# a loaded machine); each text is captured first and read whole.
cmds=$(awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { f = 0 }' <<<"$top")
[ -n "$cmds" ] || { echo "gen-completion.sh: no commands in '$sw help'" >&2; exit 1; }
list=$("$sw" measure --list 2>/dev/null || true)
workloads=$(awk '/^[a-z]/ { printf "%s ", $1 }' <<<"$list")
# simulate's profiles, from its --platform line: "local (default), 100gbe, ..."
simhelp=$("$sw" help simulate)
profiles=$(awk '$1 == "--platform" && !done {
    for (i = 3; i <= NF && $i != "or"; i++) { w = $i; gsub(/[,(]|default\)/, "", w); if (w ~ /^[a-z0-9]+$/) printf "%s ", w }
    done = 1 }' <<<"$simhelp")

{
  echo "# bash completion for scalewall, generated from its help text by"
  echo "# scripts/gen-completion.sh; installed to share/bash-completion/completions."
  printf '_scalewall_cmds="%s"\n' "$(echo $cmds)"
  printf '_scalewall_workloads="%s"\n' "${workloads% }"
  printf '_scalewall_profiles="%s"\n' "${profiles% }"
  for c in $cmds; do
    help=$("$sw" help "$c")
    # every --long option the text names (outside `quoted other commands`),
    # the short ones of option lines
    # ("  -o, --model PATH   text"), and --help
    opts=$({ printf '%s\n' "$help" | sed 's/`[^`]*`//g' | { grep -oE -- '(^|[^a-zA-Z0-9-])--[a-zA-Z][a-zA-Z0-9-]*' || true; } |
               sed -E 's/^[^-]*//'
             printf '%s\n' "$help" | awk '/^ +-[a-zA-Z]/ {
               tag = $0; sub(/^ +/, "", tag); if (match(tag, /  /)) tag = substr(tag, 1, RSTART - 1)
               n = split(tag, w, /[ ,|]+/)
               for (i = 1; i <= n; i++) if (w[i] ~ /^-[a-zA-Z]$/) print w[i] }'
             echo --help; } | sort -u | tr '\n' ' ')
    printf '_scalewall_opts_%s="%s"\n' "$c" "${opts% }"
    # values spelled a|b|c right after an option
    printf '%s\n' "$help" | { grep -oE -- '--[a-z][a-z0-9-]* [a-z0-9]+(\|[a-z0-9]+)+' || true; } | sort -u |
      while read -r opt vals; do
        printf '_scalewall_vals_%s_%s="%s"\n' "$c" "$(echo "${opt#--}" | tr - _)" "${vals//|/ }"
      done
  done
  cat <<'EOF'

_scalewall() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd v w i
  COMPREPLY=()
  [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$_scalewall_cmds --help --version" -- "$cur"))
    return 0
  fi
  cmd=${COMP_WORDS[1]}
  case $cmd in *[!a-z0-9]*) return 0 ;; esac
  # after `--` comes the user's own command: bash's default completion
  for ((i = 2; i < COMP_CWORD; i++)); do
    [ "${COMP_WORDS[i]}" = "--" ] && return 0
  done
  if [[ $prev == --* ]]; then
    v=_scalewall_vals_${cmd}_${prev#--}
    v=${v//-/_}
    if [ -n "${!v:-}" ]; then
      COMPREPLY=($(compgen -W "${!v}" -- "$cur"))
      return 0
    fi
    if [ "$prev" = "--platform" ] && [ "$cmd" = simulate -o "$cmd" = depth ]; then
      COMPREPLY=($(compgen -W "$_scalewall_profiles" -- "$cur"))
      [ ${#COMPREPLY[@]} -gt 0 ] && return 0
    fi
  fi
  if [[ $cur == -* ]]; then
    v=_scalewall_opts_$cmd
    COMPREPLY=($(compgen -W "${!v:-}" -- "$cur"))
    return 0
  fi
  case $cmd in
    help)
      [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "$_scalewall_cmds" -- "$cur")) ;;
    measure|crosscheck)
      for ((i = 2; i < COMP_CWORD; i++)); do
        for w in $_scalewall_workloads; do [ "${COMP_WORDS[i]}" = "$w" ] && return 0; done
      done
      [[ $prev == -* ]] || COMPREPLY=($(compgen -W "$_scalewall_workloads" -- "$cur")) ;;
  esac
  return 0
}
complete -o bashdefault -o default -F _scalewall scalewall
EOF
} >"$out.tmp"
mv "$out.tmp" "$out"
