#!/usr/bin/env bash
# bench/run.sh: measure aw-gateway against the bare websocketpp echo server, in one run, on loopback.
#
#   bench/run.sh <build-dir> [results.jsonl]
#
# Builds nothing: expects <build-dir>/bench/{aw_load,ws_echo_baseline} and <build-dir>/gateway/aw-gateway (when
# aw-gateway is missing, only the echo server is measured and the gateway column says n/a).
# For each of REPS repetitions it starts a FRESH ws_echo_baseline and a FRESH aw-gateway (SQLite in a temporary
# directory, rate limit off, bus on free loopback ports), runs against each
#   seed (gateway only) -> connect -> rtt -> throughput
# and stops them again; a fresh process per repetition keeps the RSS-per-connection figure honest (a server that
# already held 1000 connections reuses that memory). The order of the two targets alternates between repetitions.
# Finally it prints a markdown table of the medians (with min-max) next to the targets and the TypeScript
# reference numbers. Every aw_load call is bounded by `timeout`; the script stops both servers on any exit.
#
# Settings (environment): REPS=3 CONNECT_CLIENTS=1000 HOLD_MS=500 RTT_REQUESTS=10000 RTT_WARMUP=1000
#   TPUT_CLIENTS=50 TPUT_WINDOW=16 TPUT_SECONDS=5 TPUT_WARMUP_MS=1000 SEED_WORLDS=1 CLIENT_THREADS=1
#   CONNECT_CLIENT=raw (aw_load connect --client: raw = epoll + precomputed handshakes, so the connect time is the
#   server's; websocketpp = the websocketpp client used before 2026-11-26 session 4, which costs about as much CPU
#   per connection as the server) GATEWAY_BIN (default <build-dir>/gateway/aw-gateway: another build to measure)
set -euo pipefail

usage() { echo "usage: $0 <build-dir> [results.jsonl]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
BUILD=$(cd "$1" && pwd) || usage
REPS=${REPS:-3}
CONNECT_CLIENTS=${CONNECT_CLIENTS:-1000}
HOLD_MS=${HOLD_MS:-500}
RTT_REQUESTS=${RTT_REQUESTS:-10000}
RTT_WARMUP=${RTT_WARMUP:-1000}
TPUT_CLIENTS=${TPUT_CLIENTS:-50}
TPUT_WINDOW=${TPUT_WINDOW:-16}
TPUT_SECONDS=${TPUT_SECONDS:-5}
TPUT_WARMUP_MS=${TPUT_WARMUP_MS:-1000}
SEED_WORLDS=${SEED_WORLDS:-1}
CLIENT_THREADS=${CLIENT_THREADS:-1}
CONNECT_CLIENT=${CONNECT_CLIENT:-raw}
PY=/usr/bin/python3  # the system interpreter: a pyenv shim on PATH may not be usable here

LOAD=$BUILD/bench/aw_load
ECHO=$BUILD/bench/ws_echo_baseline
GATEWAY=${GATEWAY_BIN:-$BUILD/gateway/aw-gateway}
for bin in "$LOAD" "$ECHO"; do
  [[ -x $bin ]] || { echo "run.sh: missing $bin (build the bench targets first)" >&2; exit 1; }
done
HAVE_GATEWAY=1
if [[ ! -x $GATEWAY ]]; then
  echo "run.sh: $GATEWAY not built; measuring the echo baseline only" >&2
  HAVE_GATEWAY=0
fi

WORK=$(mktemp -d /tmp/aw-bench.XXXXXX)
RESULTS=${2:-$WORK/results.jsonl}
: >"$RESULTS"
SERVER_PID=""

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # Bounded wait for a clean exit (the gateway flushes for up to AW_SHUTDOWN_GRACE_MS), then force it.
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  # The databases go; the logs and the default results file stay in $WORK for inspection.
  rm -rf "$WORK/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1000 client sockets in aw_load and as many in the server.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_ports() {  # prints n currently free loopback TCP ports
  "$PY" - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
}

wait_port_file() {  # $1 = file, $2 = pid; waits up to 15 s for the server to publish its port
  for _ in $(seq 150); do
    if [[ -s $1 ]]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

start_echo() {
  local port_file=$WORK/echo.port
  rm -f "$port_file"
  "$ECHO" --port 0 --port-file "$port_file" >"$WORK/echo.log" 2>&1 &
  SERVER_PID=$!
  PORT=$(wait_port_file "$port_file" "$SERVER_PID") || { echo "run.sh: echo server did not start" >&2; cat "$WORK/echo.log" >&2; return 1; }
}

start_gateway() {
  local port_file=$WORK/gateway.port rep=$1
  rm -f "$port_file"
  local data=$WORK/data/gateway-$rep
  mkdir -p "$data"
  read -r p_work p_events p_ctl p_tap p_admin <<<"$(free_ports 5)"
  env WS_PORT=0 AW_PORT_FILE="$port_file" AW_HOST=127.0.0.1 \
    AGENT_WORLD_STORAGE_TYPE=sqlite AGENT_WORLD_DATA_PATH="$data" LOG_LEVEL=warn \
    AW_RATE_LIMIT_RPS=0 AW_CHAT_TITLES=off \
    AW_BUS_WORK="tcp://127.0.0.1:$p_work" AW_BUS_EVENTS="tcp://127.0.0.1:$p_events" \
    AW_BUS_CTL="tcp://127.0.0.1:$p_ctl" AW_TAP_BIND="tcp://127.0.0.1:$p_tap" \
    AW_ADMIN_BIND="tcp://127.0.0.1:$p_admin" \
    "$GATEWAY" >"$WORK/gateway-$rep.log" 2>&1 &
  SERVER_PID=$!
  PORT=$(wait_port_file "$port_file" "$SERVER_PID") || {
    echo "run.sh: aw-gateway did not start; its log:" >&2; tail -20 "$WORK/gateway-$rep.log" >&2; return 1; }
}

load() {  # $1 = label, $2 = rep, rest = mode and options; appends the JSON line, tagged with rep
  local label=$1 rep=$2; shift 2
  local line
  line=$(timeout 180 "$LOAD" --port "$PORT" --label "$label" --pid "$SERVER_PID" "$@" 2>"$WORK/load.err") || {
    echo "run.sh: aw_load $label $* failed: $(cat "$WORK/load.err")" >&2; }
  if [[ -n $line ]]; then
    echo "$line" | sed "s/^{/{\"rep\":$rep,/" | tee -a "$RESULTS" >&2
  fi
}

measure() {  # $1 = label (echo|gateway), $2 = rep
  local label=$1 rep=$2
  if [[ $label == echo ]]; then start_echo || return 0; else start_gateway "$rep" || return 0; fi
  if [[ $label == gateway && $SEED_WORLDS -gt 0 ]]; then load "$label" "$rep" seed --worlds "$SEED_WORLDS"; fi
  load "$label" "$rep" connect --clients "$CONNECT_CLIENTS" --hold-ms "$HOLD_MS" --client "$CONNECT_CLIENT" \
    --threads "$CLIENT_THREADS"
  load "$label" "$rep" rtt --requests "$RTT_REQUESTS" --warmup "$RTT_WARMUP"
  load "$label" "$rep" throughput --clients "$TPUT_CLIENTS" --window "$TPUT_WINDOW" --seconds "$TPUT_SECONDS" \
    --warmup-ms "$TPUT_WARMUP_MS" --threads "$CLIENT_THREADS"
  stop_server
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run.sh: $REPS repetitions, results in $RESULTS, load average $LOAD_AT_START" >&2
for rep in $(seq "$REPS"); do
  order="echo gateway"
  (( rep % 2 == 0 )) && order="gateway echo"
  for label in $order; do
    [[ $label == gateway && $HAVE_GATEWAY == 0 ]] && continue
    measure "$label" "$rep"
  done
done

"$PY" - "$RESULTS" "$REPS" "$(nproc)" "$LOAD_AT_START / $(cut -d' ' -f1-3 /proc/loadavg)" "$CONNECT_CLIENTS" "$TPUT_CLIENTS" <<'PY'
import json, statistics, sys
path, reps, cores, load, clients, tput_clients = sys.argv[1:7]
rows = [json.loads(l) for l in open(path) if l.strip()]

def values(target, mode, key, scale=1.0):
    out = []
    for r in rows:
        if r.get("target") != target or r.get("mode") != mode or r.get(key) is None:
            continue
        if mode == "connect" and (not r.get("completed") or r.get("failed")):
            continue
        if mode == "rtt" and not r.get("completed"):
            continue
        out.append(r[key] * scale)
    return out

def cell(vs, fmt):
    if not vs:
        return "n/a"
    med = statistics.median(vs)
    if len(vs) == 1:
        return fmt.format(med)
    return (fmt + " ({}–{})").format(med, fmt.format(min(vs)), fmt.format(max(vs)))

def verdict(vs, limit, higher_is_better=False):
    if not vs:
        return "not measured"
    med = statistics.median(vs)
    ok = med >= limit if higher_is_better else med <= limit
    return "met" if ok else "**missed**"

metrics = [
    # label, mode, key, scale, format, target text, target value, higher is better, TypeScript reference
    (f"{clients} connects, total", "connect", "total_ms", 1.0, "{:.0f} ms", "≤ 150 ms", 150, False, "744 ms"),
    ("RSS per idle connection", "connect", "rss_per_conn_bytes", 1 / 1024, "{:.1f} KiB", "≤ 2 KB", 2, False, "10 KB"),
    ("list-worlds RTT p50", "rtt", "p50_us", 1.0, "{:.0f} µs", "≤ 50 µs", 50, False, "180 µs"),
    ("list-worlds RTT p90", "rtt", "p90_us", 1.0, "{:.0f} µs", "–", None, False, "–"),
    ("list-worlds RTT p99", "rtt", "p99_us", 1.0, "{:.0f} µs", "≤ 300 µs", 300, False, "2.56 ms"),
    ("list-worlds RTT max", "rtt", "max_us", 1.0, "{:.0f} µs", "–", None, False, "–"),
    (f"throughput, {tput_clients} clients", "throughput", "answers_per_s", 1 / 1000, "{:.1f}k/s", "≥ 150k/s", 150, True, "19.6k/s"),
]
print(f"Medians of {reps} runs (min–max in brackets); {cores} cores, load average (1/5/15 min) {load} at start / end.\n")
print("| metric | target | TypeScript reference | ws_echo_baseline | aw-gateway | aw-gateway vs target |")
print("|---|---|---|---|---|---|")
for label, mode, key, scale, fmt, ttext, tval, hib, ts in metrics:
    echo = values("echo", mode, key, scale)
    gw = values("gateway", mode, key, scale)
    v = verdict(gw, tval, hib) if tval is not None else "–"
    print(f"| {label} | {ttext} | {ts} | {cell(echo, fmt)} | {cell(gw, fmt)} | {v} |")
bad = [r for r in rows if r.get("failed") or r.get("failures") or r.get("error_frames") or r.get("completed") is False]
if bad:
    print(f"\n{len(bad)} result line(s) report failures or incomplete runs; see {path}.")
PY
