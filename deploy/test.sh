#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds (warnings are errors) and runs every CTest suite.
# Usage: deploy/test.sh [build-dir]     (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

./deploy/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DAW_WERROR=ON
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j1
