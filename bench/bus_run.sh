#!/usr/bin/env bash
# bench/bus_run.sh: the bus latency benchmark (issue #4, bench/): message -> final `sse end` -> `completed`
# through the real aw-gateway, N real aw-processors and an instant aw-fake-llm, on loopback, next to the raw
# limits measured in the same run.
#
#   bench/bus_run.sh <build-dir> [results.jsonl]
#
# Builds nothing: expects <build-dir>/bench/{aw_bus_latency,aw_fanout,zmq_hop_baseline,aw_load,ws_echo_baseline},
# <build-dir>/gateway/aw-gateway, <build-dir>/processor/aw-processor and <build-dir>/tools/aw-fake-llm.
# Order: zmq_hop_baseline (raw PUSH->PULL->PUB->SUB), ws_echo_baseline + aw_load rtt (raw WebSocket RTT), then
# one gateway (SQLite in a temporary directory) and, for each count in PROCESSORS, that many processors:
# throughput (TPUT_WORLDS worlds in parallel) at every count, sequential latency (1 world) at the first and the
# last. Then the fan-out: aw_fanout with FANOUT_CLIENTS subscribers of one world against ws_echo_baseline
# --broadcast (raw limit, FANOUT_CHUNKS frames) and against the gateway (one message the fake LLM answers in
# FANOUT_CHUNKS one-character chunks). Prints a markdown table at the end. Every program is bounded by `timeout`;
# the script stops all it started on any exit. The open-file limit is raised (ulimit -n) for the 1000+ sockets.
#
# Settings (environment): LAT_MESSAGES=500 LAT_WARMUP=50 TPUT_WORLDS=30 TPUT_MESSAGES=1500 TPUT_WARMUP=150
#   ZMQ_REQUESTS=10000 ECHO_REQUESTS=10000
#   FAKE_CHUNK_DELAY_MS=0 (aw-fake-llm --chunk-delay-ms: 0 = the instant LLM; 50 = the issue's "50 ms LLM" runs)
#   PROCESSORS="1 3" (ascending processor counts to measure the throughput at; e.g. "1 2 4")
#   GATEWAY_BIN=<path> (another aw-gateway binary, e.g. an older build for a before/after comparison in one run)
#   PROCESSOR_BIN=<path> (the same for aw-processor)
#   FANOUT_CLIENTS=1000 (0 skips the fan-out) FANOUT_CHUNKS=500 FANOUT_THREADS=1 (aw_fanout client threads)
set -euo pipefail

usage() { echo "usage: $0 <build-dir> [results.jsonl]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
BUILD=$(cd "$1" && pwd) || usage
LAT_MESSAGES=${LAT_MESSAGES:-500}
LAT_WARMUP=${LAT_WARMUP:-50}
TPUT_WORLDS=${TPUT_WORLDS:-30}
TPUT_MESSAGES=${TPUT_MESSAGES:-1500}
TPUT_WARMUP=${TPUT_WARMUP:-150}
ZMQ_REQUESTS=${ZMQ_REQUESTS:-10000}
ECHO_REQUESTS=${ECHO_REQUESTS:-10000}
FAKE_CHUNK_DELAY_MS=${FAKE_CHUNK_DELAY_MS:-0}
PROCESSORS=${PROCESSORS:-1 3}
FANOUT_CLIENTS=${FANOUT_CLIENTS:-1000}
FANOUT_CHUNKS=${FANOUT_CHUNKS:-500}
FANOUT_THREADS=${FANOUT_THREADS:-1}
PY=/usr/bin/python3

LAT=$BUILD/bench/aw_bus_latency
FANOUT=$BUILD/bench/aw_fanout
ZMQ=$BUILD/bench/zmq_hop_baseline
LOAD=$BUILD/bench/aw_load
ECHO=$BUILD/bench/ws_echo_baseline
GATEWAY=${GATEWAY_BIN:-$BUILD/gateway/aw-gateway}
PROCESSOR=${PROCESSOR_BIN:-$BUILD/processor/aw-processor}
FAKE=$BUILD/tools/aw-fake-llm
for bin in "$LAT" "$FANOUT" "$ZMQ" "$LOAD" "$ECHO" "$GATEWAY" "$PROCESSOR" "$FAKE"; do
  [[ -x $bin ]] || { echo "bus_run.sh: missing $bin (build it first)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/aw-bus-bench.XXXXXX)
RESULTS=${2:-$WORK/results.jsonl}
: >"$RESULTS"
PIDS=()
PROC_PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK/data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

wait_port_file() {  # $1 = file, $2 = pid; waits up to 15 s
  for _ in $(seq 150); do
    if [[ -s $1 ]]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

wait_processors() {  # $1 = count; waits up to 15 s for /readyz to report that many processors
  "$PY" - "$PORT" "$1" <<'PY'
import json, sys, time, urllib.request
port, want = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 15
while time.time() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            if json.load(r).get("processors", 0) >= want:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
}

gw_cpu_ticks() {  # user + system CPU time of the gateway so far, in clock ticks (/proc/<pid>/stat fields 14, 15)
  awk '{print $14 + $15}' "/proc/$GW_PID/stat"
}

proc_cpu_ticks() {  # the same, summed over the running processors
  local sum=0 pid
  for pid in "${PROC_PIDS[@]}"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$sum"
}

record_cpu() {  # $1 = tag, $2 = gateway ticks before, $3 = processor ticks before, $4 = messages (warm-up included)
  local after proc_after tck
  after=$(gw_cpu_ticks)
  proc_after=$(proc_cpu_ticks)
  tck=$(getconf CLK_TCK)
  echo "{\"mode\":\"gateway-cpu\",\"tag\":\"$1\",\"messages\":$4,\"cpu_ms\":$(( (after - $2) * 1000 / tck )),\"processors_cpu_ms\":$(( (proc_after - $3) * 1000 / tck ))}" |
    tee -a "$RESULTS" >&2
}

record() {  # runs a program printing one JSON line; appends it to $RESULTS
  local line
  line=$(timeout 300 "$@" 2>>"$WORK/bench.err") || echo "bus_run.sh: $(basename "$1") failed (see $WORK/bench.err)" >&2
  [[ -n $line ]] && echo "$line" | tee -a "$RESULTS" >&2
  return 0
}

# Every server and client of the fan-out holds FANOUT_CLIENTS sockets (children inherit the limit).
ulimit -n $((FANOUT_CLIENTS + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bus_run.sh: results in $RESULTS, load average $LOAD_AT_START, LLM chunk delay $FAKE_CHUNK_DELAY_MS ms" >&2

# Raw limits.
record "$ZMQ" --requests "$ZMQ_REQUESTS" --warmup 1000
"$ECHO" --port 0 --port-file "$WORK/echo.port" >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
PIDS+=("$ECHO_PID")
PORT=$(wait_port_file "$WORK/echo.port" "$ECHO_PID") || { echo "bus_run.sh: echo server did not start" >&2; exit 1; }
record "$LOAD" --port "$PORT" --label echo rtt --requests "$ECHO_REQUESTS" --warmup 1000
kill -TERM "$ECHO_PID"; wait "$ECHO_PID" 2>/dev/null || true
if (( FANOUT_CLIENTS > 0 )); then
  rm -f "$WORK/echo.port"
  "$ECHO" --broadcast --port 0 --port-file "$WORK/echo.port" >"$WORK/echo-broadcast.log" 2>&1 &
  ECHO_PID=$!
  PIDS+=("$ECHO_PID")
  PORT=$(wait_port_file "$WORK/echo.port" "$ECHO_PID") || { echo "bus_run.sh: echo --broadcast did not start" >&2; exit 1; }
  record "$FANOUT" --port "$PORT" --echo --label echo --clients "$FANOUT_CLIENTS" --events "$FANOUT_CHUNKS" \
    --threads "$FANOUT_THREADS"
  kill -TERM "$ECHO_PID"; wait "$ECHO_PID" 2>/dev/null || true
fi

# The instant LLM (no chunk delay unless FAKE_CHUNK_DELAY_MS), a short fixed reply of one chunk; the fan-out
# message gets FANOUT_CHUNKS one-character chunks without delay.
"$PY" - "$FANOUT_CHUNKS" >"$WORK/fake-script.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps({"rules": [{"match": {"contains": "fanout-burst"}, "reply": "x" * max(n, 1), "chunk_size": 1,
                             "delay_ms_per_chunk": 0}]}))
PY
"$FAKE" --port 0 --port-file "$WORK/fake.port" --script "$WORK/fake-script.json" --default-reply "ok" \
  --chunk-delay-ms "$FAKE_CHUNK_DELAY_MS" >"$WORK/fake.log" 2>&1 &
PIDS+=("$!")
FAKE_PORT=$(wait_port_file "$WORK/fake.port" "$!") || { echo "bus_run.sh: aw-fake-llm did not start" >&2; exit 1; }

mkdir -p "$WORK/data"
read -r p_work p_events p_ctl p_tap p_admin <<<"$(free_ports 5)"
BUS_ENV=(AW_BUS_WORK="tcp://127.0.0.1:$p_work" AW_BUS_EVENTS="tcp://127.0.0.1:$p_events"
  AW_BUS_CTL="tcp://127.0.0.1:$p_ctl")
env WS_PORT=0 AW_PORT_FILE="$WORK/gateway.port" AW_HOST=127.0.0.1 \
  AGENT_WORLD_STORAGE_TYPE=sqlite AGENT_WORLD_DATA_PATH="$WORK/data" LOG_LEVEL=warn \
  AW_RATE_LIMIT_RPS=0 AW_CHAT_TITLES=off "${BUS_ENV[@]}" \
  AW_TAP_BIND="tcp://127.0.0.1:$p_tap" AW_ADMIN_BIND="tcp://127.0.0.1:$p_admin" \
  "$GATEWAY" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")
PORT=$(wait_port_file "$WORK/gateway.port" "$GW_PID") || {
  echo "bus_run.sh: aw-gateway did not start:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }

start_processor() {  # $1 = index
  env -i PATH="$PATH" HOME="$WORK" LOG_LEVEL=warn "${BUS_ENV[@]}" \
    OPENAI_COMPATIBLE_BASE_URL="http://127.0.0.1:$FAKE_PORT/v1" \
    "$PROCESSOR" >"$WORK/processor-$1.log" 2>&1 &
  PIDS+=("$!")
  PROC_PIDS+=("$!")
}

sequential() {  # $1 = label: the sequential latency run (1 world) and its CPU per message
  local ticks proc_ticks
  ticks=$(gw_cpu_ticks)
  proc_ticks=$(proc_cpu_ticks)
  record "$LAT" --port "$PORT" --tag "$1, sequential" --worlds 1 --messages "$LAT_MESSAGES" --warmup "$LAT_WARMUP"
  record_cpu "$1, sequential" "$ticks" "$proc_ticks" $((LAT_MESSAGES + LAT_WARMUP))
}

# For each processor count (ascending): add processors up to it, wait until the gateway counts them, measure the
# throughput; the sequential latency is measured at the first and the last count.
running=0
first=${PROCESSORS%% *}
last=${PROCESSORS##* }
for n in $PROCESSORS; do
  while (( running < n )); do running=$((running + 1)); start_processor "$running"; done
  wait_processors "$n" || { echo "bus_run.sh: $n processors did not register" >&2; exit 1; }
  label="$n processor$([[ $n == 1 ]] || echo s)"
  if [[ $n == "$first" ]]; then
    sequential "$label"
  fi
  ticks=$(gw_cpu_ticks)
  proc_ticks=$(proc_cpu_ticks)
  record "$LAT" --port "$PORT" --tag "$label, $TPUT_WORLDS worlds" --worlds "$TPUT_WORLDS" \
    --messages "$TPUT_MESSAGES" --warmup "$TPUT_WARMUP"
  record_cpu "$label, $TPUT_WORLDS worlds" "$ticks" "$proc_ticks" $((TPUT_MESSAGES + TPUT_WARMUP))
  if [[ $n == "$last" && $n != "$first" ]]; then
    sequential "$label"
  fi
done

if (( FANOUT_CLIENTS > 0 )); then
  record "$FANOUT" --port "$PORT" --label gateway --clients "$FANOUT_CLIENTS" --threads "$FANOUT_THREADS"
fi

"$PY" - "$RESULTS" "$(nproc)" "$LOAD_AT_START / $(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
path, cores, load = sys.argv[1:4]
rows = [json.loads(l) for l in open(path) if l.strip()]
def ms(v): return "n/a" if v is None else f"{v / 1000:.2f}"
print(f"{cores} cores, load average (1/5/15 min) {load} at start / end.\n")
print("| run | p50 ms | p90 ms | p99 ms | max ms | msgs/s | ok |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    if r.get("mode") == "zmq-hop":
        print(f"| raw zmq PUSH→PULL→PUB→SUB round trip | {ms(r['p50_us'])} | {ms(r['p90_us'])} | {ms(r['p99_us'])} | {ms(r['max_us'])} | – | {r['completed']} |")
    elif r.get("mode") == "rtt":
        print(f"| raw websocketpp echo RTT (ws_echo_baseline) | {ms(r['p50_us'])} | {ms(r['p90_us'])} | {ms(r['p99_us'])} | {ms(r['max_us'])} | – | {r['completed']} |")
    elif r.get("mode") == "bus-latency":
        for k, name in (("end", "send → sse end"), ("status", "send → completed")):
            rate = f"{r['msgs_per_s']:.0f}" if k == "status" else "–"
            print(f"| {name}, {r['tag']} | {ms(r[k + '_p50_us'])} | {ms(r[k + '_p90_us'])} | {ms(r[k + '_p99_us'])} | {ms(r[k + '_max_us'])} | {rate} | {r['completed']} |")
cpu = [r for r in rows if r.get("mode") == "gateway-cpu"]
if cpu:
    print("\n| CPU (user + system) | messages | gateway ms per message | processors ms per message |")
    print("|---|---|---|---|")
    for r in cpu:
        n = max(r['messages'], 1)
        proc = f"{r['processors_cpu_ms'] / n:.2f}" if 'processors_cpu_ms' in r else "n/a"
        print(f"| {r['tag']} | {r['messages']} | {r['cpu_ms'] / n:.2f} | {proc} |")
fan = [r for r in rows if r.get("mode") == "fanout"]
if fan:
    print("\n| fan-out | subscribers | deliveries | chunks per subscriber | first → last delivery ms | deliveries/s | ok |")
    print("|---|---|---|---|---|---|---|")
    for r in fan:
        span = r["last_delivery_ms"] - r["first_delivery_ms"]
        print(f"| {r['target']} | {r['clients']} | {r['deliveries']} | {r['chunks_per_client']:.0f} | {span:.1f} | {r['deliveries_per_s'] / 1000:.0f}k | {r['completed']} |")
PY
