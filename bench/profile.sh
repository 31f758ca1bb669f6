#!/usr/bin/env bash
# bench/profile.sh: instructions per list-worlds round trip (MODE=rtt, the default) or per WebSocket connection
# opened and closed (MODE=connect), counted by callgrind, for aw-gateway and the echo baseline. Instruction counts do
# not depend on what else the (shared, noisy) machine is doing, so they compare builds and targets where wall-clock
# numbers cannot.
#
#   bench/profile.sh <build-dir> [echo|gateway|both] [keep-dir]
#
# For each target it runs the server under `valgrind --tool=callgrind` twice, with SMALL and LARGE sequential
# round trips (aw_load rtt) or SMALL and LARGE connections (aw_load connect --client raw --hold-ms 0: all opened at
# once, then each closed by the client), and reports (Ir_large - Ir_small) / (LARGE - SMALL): start-up, seeding and
# shutdown cancel out. The callgrind file of the large run is kept in keep-dir (default: a temporary directory,
# printed) for `callgrind_annotate --inclusive=yes <file>`; the top inclusive entries of our own code are printed.
# Bounded: every aw_load call has a timeout, every server is stopped with SIGTERM (SIGKILL after 30 s).
# Settings (environment): MODE=rtt|connect, SMALL=500 LARGE=2500 (connect: SMALL=200 LARGE=1000) SEED_WORLDS=1;
# GATEWAY_BIN (default <build-dir>/gateway/aw-gateway)
# profiles another gateway binary with the same load tool, e.g. a build of an older commit.
set -euo pipefail

[[ $# -ge 1 && $# -le 3 ]] || { echo "usage: $0 <build-dir> [echo|gateway|both] [keep-dir]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
WHICH=${2:-both}
KEEP=${3:-$(mktemp -d /tmp/aw-profile.XXXXXX)}
mkdir -p "$KEEP"
MODE=${MODE:-rtt}
case $MODE in
  rtt) SMALL=${SMALL:-500} LARGE=${LARGE:-2500} ;;
  connect) SMALL=${SMALL:-200} LARGE=${LARGE:-1000} ;;
  *) echo "profile.sh: unknown MODE $MODE (rtt or connect)" >&2; exit 2 ;;
esac
SEED_WORLDS=${SEED_WORLDS:-1}
PY=/usr/bin/python3
SRC=$(cd "$(dirname "$0")/.." && pwd)
LOAD=$BUILD/bench/aw_load
GATEWAY_BIN=${GATEWAY_BIN:-$BUILD/gateway/aw-gateway}
command -v valgrind >/dev/null || { echo "profile.sh: valgrind not installed" >&2; exit 1; }

SERVER_PID=""
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_ports() {
  "$PY" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
}

# Starts $1 (echo|gateway) under callgrind writing $2; sets SERVER_PID and PORT.
start_under_callgrind() {
  local label=$1 out=$2 dir
  dir=$(mktemp -d "$KEEP/run.XXXXXX")
  if [[ $label == echo ]]; then
    valgrind --tool=callgrind --callgrind-out-file="$out" \
      "$BUILD/bench/ws_echo_baseline" --port 0 --port-file "$dir/port" >"$dir/log" 2>&1 &
  else
    read -r p1 p2 p3 p4 p5 <<<"$(free_ports 5)"
    env WS_PORT=0 AW_PORT_FILE="$dir/port" AW_HOST=127.0.0.1 AGENT_WORLD_STORAGE_TYPE=sqlite \
      AGENT_WORLD_DATA_PATH="$dir/data" LOG_LEVEL=warn AW_RATE_LIMIT_RPS=0 AW_CHAT_TITLES=off \
      AW_BUS_WORK="tcp://127.0.0.1:$p1" AW_BUS_EVENTS="tcp://127.0.0.1:$p2" AW_BUS_CTL="tcp://127.0.0.1:$p3" \
      AW_TAP_BIND="tcp://127.0.0.1:$p4" AW_ADMIN_BIND="tcp://127.0.0.1:$p5" \
      valgrind --tool=callgrind --callgrind-out-file="$out" "$GATEWAY_BIN" >"$dir/log" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 600); do  # valgrind start-up is slow: up to 60 s
    [[ -s $dir/port ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "profile.sh: $label exited; log:" >&2; tail "$dir/log" >&2; return 1; }
    sleep 0.1
  done
  [[ -s $dir/port ]] || { echo "profile.sh: $label wrote no port" >&2; return 1; }
  PORT=$(cat "$dir/port")
}

total_ir() { sed -n 's/^summary: *//p; s/^totals: *//p' "$1" | head -1; }

profile_target() {
  local label=$1 n ir_small ir_large
  for n in "$SMALL" "$LARGE"; do
    start_under_callgrind "$label" "$KEEP/callgrind.$label.$n" || return 1
    if [[ $label == gateway && $SEED_WORLDS -gt 0 ]]; then
      timeout 300 "$LOAD" --port "$PORT" seed --worlds "$SEED_WORLDS" >/dev/null
    fi
    if [[ $MODE == connect ]]; then
      timeout 600 "$LOAD" --port "$PORT" --label "$label" connect --client raw --clients "$n" --hold-ms 0 >/dev/null
    else
      timeout 600 "$LOAD" --port "$PORT" --label "$label" rtt --requests "$n" --warmup 0 >/dev/null
    fi
    stop_server
  done
  ir_small=$(total_ir "$KEEP/callgrind.$label.$SMALL")
  ir_large=$(total_ir "$KEEP/callgrind.$label.$LARGE")
  local unit=round_trip
  [[ $MODE == connect ]] && unit=connection
  echo "{\"mode\":\"callgrind-$MODE\",\"target\":\"$label\",\"ir_per_$unit\":$(( (ir_large - ir_small) / (LARGE - SMALL) )),\"file\":\"$KEEP/callgrind.$label.$LARGE\"}"
}

case $WHICH in
  echo) profile_target echo ;;
  gateway) profile_target gateway ;;
  both) profile_target echo; profile_target gateway ;;
  *) echo "profile.sh: unknown target $WHICH" >&2; exit 2 ;;
esac
if [[ $WHICH != echo && -f $KEEP/callgrind.gateway.$LARGE ]]; then
  echo "Top inclusive costs in aw-gateway (large run):" >&2
  callgrind_annotate --inclusive=yes "$KEEP/callgrind.gateway.$LARGE" 2>/dev/null |
    grep -E "$SRC/|aw::|sqlite3_step|websocketpp::connection<.*>::send\(|malloc.c:(malloc|free) " | head -25 |
    cut -c1-160 >&2
fi
