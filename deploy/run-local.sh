#!/usr/bin/env bash
# Installs dependencies, builds (Release, into ./build) and runs Agent World on this machine: the gateway on
# ws://127.0.0.1:3001 and two processors, ZeroMQ on loopback, SQLite under ./data. Without an LLM provider key
# and without a local Ollama it says so and also starts aw-fake-llm (demo mode), so agents answer anyway.
# Ctrl-C stops everything cleanly (processors, gateway, fake LLM; exit 0).
# Usage: deploy/run-local.sh    (env: AW_PROCESSORS, WS_PORT, AW_HOST, provider keys, ... see deploy/awstack and
#                                docs/operations.md; AW_BUILD_JOBS: parallel compile jobs, default nproc)
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DAW_BUILD_BENCH=OFF >/dev/null
targets=(aw-gateway aw-processor aw-fake-llm)
# aw-cli and awctl (issue #5) are built too once they exist.
known_targets="$(cmake --build build --target help)"
for t in aw-cli awctl; do
  if grep -qx "\.\.\. $t" <<<"$known_targets"; then targets+=("$t"); fi
done
cmake --build build -j"${AW_BUILD_JOBS:-$(nproc)}" --target "${targets[@]}"

export AW_BUILD_DIR="$PWD/build"
exec ./deploy/awstack run
