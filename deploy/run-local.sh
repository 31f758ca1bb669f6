#!/usr/bin/env bash
# Installs dependencies, builds, and starts Agent World on its embedded defaults: SQLite under ./data, ZeroMQ on
# loopback, the gateway on ws://127.0.0.1:3001. Ctrl-C stops everything cleanly.
# Usage: deploy/run-local.sh     (env: WS_PORT, AW_HOST, LOG_LEVEL and the settings of the README pass through)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

./deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target aw-gateway

export AGENT_WORLD_DATA_PATH="${AGENT_WORLD_DATA_PATH:-$root/data}"
export AW_HOST="${AW_HOST:-127.0.0.1}"
export WS_PORT="${WS_PORT:-3001}"
mkdir -p "$AGENT_WORLD_DATA_PATH"

echo "Agent World: gateway on ws://$AW_HOST:$WS_PORT (data in $AGENT_WORLD_DATA_PATH). Ctrl-C stops it."
echo "Note: aw-processor (the agent runtime) is not built yet (issue #3): messages are stored durably and wait."
./build/gateway/aw-gateway &
gateway_pid=$!
trap 'kill -TERM "$gateway_pid" 2>/dev/null || true' INT TERM
wait "$gateway_pid" || true
# A second wait collects the exit status after the trap forwarded the signal.
wait "$gateway_pid" 2>/dev/null || true
