#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs scalewall's main job
# (the quick tour) on its embedded default.  Extra arguments go to scalewall.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build >/dev/null
exec ./build/scalewall "$@"
