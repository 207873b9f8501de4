#!/usr/bin/env bash
# gen-man.sh — the man pages, written from the help text the binary prints,
# so a page cannot say something `scalewall CMD --help` does not.
#
#   bash scripts/gen-man.sh SCALEWALL OUTDIR [DOCDIR]
#
# Writes OUTDIR/scalewall.1 (the command list, exit codes) and one
# OUTDIR/scalewall-CMD.1 per command.  The help text's shape is kept: the
# "usage:" lines become SYNOPSIS, the lines "  OPTION   text" (two spaces in,
# two or more before the text) become tagged paragraphs, deeper-indented
# lines continue them, and other lines are paragraphs.  DOCDIR is where the
# Markdown documentation is installed (named in SEE ALSO).  CMake runs it at
# build time.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/gen-man.sh SCALEWALL OUTDIR [DOCDIR]" >&2
  exit 2
fi
sw=$1
out=$2
docdir=${3:-/usr/local/share/doc/scalewall}
# The binary runs here as a tool: an ASan build's leak report, or Open MPI's
# refusal to start as root (measure initialises MPI), must not fail the build.
export ASAN_OPTIONS=detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
version=$("$sw" --version | awk '{print $2}')
top=$("$sw" help)
# No pipe ends early here (an awk exiting while a writer still writes
# kills it with SIGPIPE, exit 141 under pipefail): texts are read whole.
cmds=$(awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } f && /^$/ { f = 0 }' <<<"$top")
[ -n "$cmds" ] || { echo "gen-man.sh: no commands in '$sw help'" >&2; exit 1; }

# roff-escapes stdin's text lines: backslashes, hyphens (so options can be
# copied from the page), and a leading dot or quote.
awk_lib='
function esc(s) {
  gsub(/\\/, "\\e", s)
  gsub(/-/, "\\-", s)
  if (s ~ /^[.'"'"']/) s = "\\&" s
  return s
}'

# The help text of one command (stdin) as a page body: SYNOPSIS, DESCRIPTION,
# OPTIONS as the text's shape says.
body() {
  awk "$awk_lib"'
    function flush_item() { initem = 0 }
    state == 0 && /^usage: / { print ".SH SYNOPSIS"; print ".nf"; sub(/^usage: /, ""); print esc($0); state = 1; next }
    state == 1 && /^ +[^ ]/ { sub(/^       /, ""); print esc($0); next }
    state == 1 { print ".fi"; print ".SH DESCRIPTION"; state = 2; para = 1 }
    state == 0 { state = 2; print ".SH DESCRIPTION" }
    /^[ \t]*$/ { if (nf) { print ".fi"; nf = 0 }; initem = 0; para = 1; next }
    /^  [^ ]/ {
      if (nf) { print ".fi"; nf = 0 }
      line = substr($0, 3)
      if (match(line, /  +/)) { tag = substr(line, 1, RSTART - 1); text = substr(line, RSTART + RLENGTH) }
      else { tag = line; text = "" }
      if (!options) { print ".SH OPTIONS"; options = 1 }
      print ".TP"; print "\\fB" esc(tag) "\\fR"
      if (text != "") print esc(text)
      initem = 1; para = 0
      next
    }
    /^   +[^ ]/ && initem { t = $0; sub(/^ +/, "", t); print esc(t); next }
    /^ +[^ ]/ {
      if (para) { print ".PP"; para = 0 }
      if (!nf) { print ".nf"; nf = 1 }
      print esc($0); next
    }
    {
      if (nf) { print ".fi"; nf = 0 }
      if (para || initem) { print ".PP"; para = 0; initem = 0 }
      print esc($0)
    }
    END { if (nf) print ".fi" }
  '
}

exit_status() {
  cat <<'EOF'
.SH EXIT STATUS
.TP
0
success
.TP
1
a failure of an external command or of MPI
.TP
2
a usage error
.TP
3
bad input data (the message names the file and row)
.TP
4
an I/O error
.TP
5
a result failed its check
.TP
6
unsupported (for example a newer file format)
.TP
7
out of memory
.TP
130
interrupted
EOF
}

# the command pages
for c in $cmds; do
  summary=$(awk -v c="$c" '$1 == c && !done { $1 = ""; sub(/^ +/, ""); print; done = 1 }' <<<"$top")
  help=$("$sw" help "$c")
  {
    echo "'\\\" -*- coding: UTF-8 -*-"
    printf '.TH SCALEWALL\\-%s 1 "" "scalewall %s" "scalewall manual"\n' "$(echo "$c" | tr a-z A-Z)" "$version"
    echo ".SH NAME"
    printf 'scalewall\\-%s \\- %s\n' "$c" "$(printf '%s' "$summary" | awk "$awk_lib"'{ print esc($0) }')"
    printf '%s\n' "$help" | body
    exit_status
    echo ".SH SEE ALSO"
    printf '\\fBscalewall\\fR(1); the documentation in %s\n' "$(printf '%s' "$docdir" | awk "$awk_lib"'{ print esc($0) }')"
  } >"$out/scalewall-$c.1.tmp"
  mv "$out/scalewall-$c.1.tmp" "$out/scalewall-$c.1"
done

# the overview page
{
  echo "'\\\" -*- coding: UTF-8 -*-"
  printf '.TH SCALEWALL 1 "" "scalewall %s" "scalewall manual"\n' "$version"
  echo ".SH NAME"
  echo "scalewall \\- how far does adding processors still pay, and what is worth buying?"
  echo ".SH SYNOPSIS"
  echo ".B scalewall"
  echo "[\\-\\-version] [\\-\\-help] [\\fIcommand\\fR [\\fIargs\\fR]]"
  echo ".SH DESCRIPTION"
  awk "$awk_lib"'
    stop { next }
    /^usage:/ || /^Commands:/ || NR == 1 { next }
    /^Exit codes:/ { stop = 1; next }
    /^  [a-z]/ { c = $1; $1 = ""; sub(/^ +/, ""); print ".TP"; print "\\fBscalewall\\-" c "\\fR(1)"; print esc($0); next }
    /^$/ { print ".PP"; next }
    { print esc($0) }' <<<"$top"
  exit_status
  echo ".SH SEE ALSO"
  first=1
  for c in $cmds; do
    [ $first = 1 ] || printf ',\n'
    printf '\\fBscalewall\\-%s\\fR(1)' "$c"
    first=0
  done
  printf '; the documentation in %s\n' "$(printf '%s' "$docdir" | awk "$awk_lib"'{ print esc($0) }')"
} >"$out/scalewall.1.tmp"
mv "$out/scalewall.1.tmp" "$out/scalewall.1"
