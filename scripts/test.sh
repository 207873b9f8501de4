#!/usr/bin/env bash
# Sets everything up and runs every test: the normal build and its tests,
# the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# Release build users run (where the install test and the README/docs blocks
# run: ctest label "release").  A failing stage does not stop the later
# ones: every stage runs, then the script fails naming the stages that failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "scripts/test.sh: setup failed"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

source scripts/lib/stages.sh   # stage, passed, not_run, stages_summary

normal_tests() { (cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600 -LE release); }
# Open MPI's own start-up allocations are not ours: tests/lsan.supp names them.
san_tests() {
  (cd build-asan &&
   ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
   LSAN_OPTIONS=suppressions=$PWD/../tests/lsan.supp:print_suppressions=0 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest --output-on-failure -j"$(nproc)" --timeout 900 -LE 'nosan|release')
}
release_tests() { (cd build-release && ctest --output-on-failure -j"$(nproc)" --timeout 600 -L release); }

stage "build (RelWithDebInfo)" bash scripts/build.sh build
if passed "build (RelWithDebInfo)"; then stage "tests" normal_tests
else not_run "tests" "build (RelWithDebInfo)"; fi

stage "build (ASan + UBSan)" bash scripts/build.sh build-asan -DSW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
if passed "build (ASan + UBSan)"; then stage "tests under sanitizers" san_tests
else not_run "tests under sanitizers" "build (ASan + UBSan)"; fi

# The build users run (-O3, warnings as errors as in every CI build), its
# install into a temporary prefix with the tour run from there, and every
# shell block of README.md and docs/*.md.
stage "build (Release)" bash scripts/build.sh build-release -DCMAKE_BUILD_TYPE=Release
if passed "build (Release)"; then stage "install and docs tests (Release)" release_tests
else not_run "install and docs tests (Release)" "build (Release)"; fi

# libFuzzer (clang, ASan + UBSan): every parser from its corpus, 15 s each,
# two at a time; crashing inputs land in build-fuzz/artifacts/ (scripts/fuzz.sh).
stage "fuzz (every parser, 15 s each)" bash scripts/fuzz.sh

stages_summary
