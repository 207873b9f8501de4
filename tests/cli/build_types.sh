#!/usr/bin/env bash
# Issue 11: a plain `cmake -DCMAKE_BUILD_TYPE=Release` build failed, since
# -Werror was unconditional and GCC 12 at -O3 warns where -O2 does not.
# Warnings are errors only under SW_WERROR (ON in scripts/build.sh, hence in
# CI, whose Release stage builds at -O3 with it); a user's plain configure of
# any build type leaves it off.  This configures (no build) a plain
# Release tree, reads the compile flags CMake wrote, then turns SW_WERROR on
# in the same tree (the flag logic does not depend on the build type; CI
# builds Release and RelWithDebInfo with it, the sanitizer pass Debug).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=$tmp/b/CMakeFiles/scalewall_lib.dir/flags.make
cmake -S "$SW_SOURCE_DIR" -B "$tmp/b" -DCMAKE_BUILD_TYPE=Release > "$tmp/log" 2>&1 ||
  { cat "$tmp/log"; echo "a plain Release configure failed"; exit 1; }
grep -q '^SW_WERROR:BOOL=OFF$' "$tmp/b/CMakeCache.txt" || { echo "SW_WERROR is not OFF by default"; exit 1; }
if grep -q -- '-Werror' "$flags"; then echo "-Werror without SW_WERROR"; exit 1; fi
grep -q -- '-Wall' "$flags" || { echo "the warnings are not shown"; exit 1; }
grep -q -- '-O3' "$flags" || { echo "Release is not -O3"; exit 1; }
# the developer/CI build turns it on
grep -q -- '-DSW_WERROR=ON' "$SW_SOURCE_DIR/scripts/build.sh" || { echo "scripts/build.sh lost SW_WERROR=ON"; exit 1; }
cmake "$tmp/b" -DSW_WERROR=ON > "$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
grep -q -- '-Werror' "$flags" || { echo "SW_WERROR=ON has no -Werror"; exit 1; }
echo ok
