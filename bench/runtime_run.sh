#!/usr/bin/env bash
# bench/runtime_run.sh: the agent runtime's benchmarks (issue #3), in one run, with their raw baselines.
#
#   bench/runtime_run.sh <build-dir> [results.jsonl]
#
# Builds nothing: expects <build-dir>/bench/aw_runtime_bench (a Release build with -DAW_BUILD_BENCH=ON) and, for the
# HTTP context row, <build-dir>/tools/aw-fake-llm (without it that row says n/a). For each of REPS repetitions:
#   overhead --llm instant   the runtime alone per reply (target <= 100 us)
#   overhead --llm replay    plus the provider's SSE parsing of the reply, no socket (openai format)
#   overhead --llm http      plus cpprest and aw-fake-llm over loopback (a fresh aw-fake-llm per repetition)
#   stream, for each format (openai, anthropic, gemini) and read plan (per line as cpprest reads; 4096-byte reads):
#     baseline (memchr line split), parser (SseParser + decoder), runtime (a whole run's event path)
# then prints markdown tables of the medians (min-max) with the targets. Every call is bounded by `timeout`.
#
# Settings (environment): REPS=3 RUNS=2000 WARMUP=200 HTTP_RUNS=300 DELTAS=20 HISTORY=10 CHUNKS=200000
#   CHUNK_BYTES=8
set -euo pipefail

usage() { echo "usage: $0 <build-dir> [results.jsonl]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
BUILD=$(cd "$1" && pwd) || usage
REPS=${REPS:-3}
RUNS=${RUNS:-2000}
WARMUP=${WARMUP:-200}
HTTP_RUNS=${HTTP_RUNS:-300}
DELTAS=${DELTAS:-20}
HISTORY=${HISTORY:-10}
CHUNKS=${CHUNKS:-200000}
CHUNK_BYTES=${CHUNK_BYTES:-8}
PY=/usr/bin/python3  # the system interpreter: a pyenv shim on PATH may not be usable here

BENCH=$BUILD/bench/aw_runtime_bench
FAKE=$BUILD/tools/aw-fake-llm
[[ -x $BENCH ]] || { echo "runtime_run.sh: missing $BENCH (build the bench targets first)" >&2; exit 1; }
HAVE_FAKE=1
[[ -x $FAKE ]] || { echo "runtime_run.sh: $FAKE not built; no HTTP row" >&2; HAVE_FAKE=0; }

WORK=$(mktemp -d /tmp/aw-rtbench.XXXXXX)
RESULTS=${2:-$WORK/results.jsonl}
: >"$RESULTS"
FAKE_PID=""

stop_fake() {
  [[ -n $FAKE_PID ]] || return 0
  kill -TERM "$FAKE_PID" 2>/dev/null || true
  wait "$FAKE_PID" 2>/dev/null || true
  FAKE_PID=""
}
trap stop_fake EXIT
trap 'exit 130' INT TERM

start_fake() {  # sets FAKE_PORT; the reply is the default "Echo: <last user text>"
  local port_file=$WORK/fake.port
  rm -f "$port_file"
  "$FAKE" --port 0 --port-file "$port_file" >"$WORK/fake.log" 2>&1 &
  FAKE_PID=$!
  for _ in $(seq 150); do
    if [[ -s $port_file ]]; then FAKE_PORT=$(cat "$port_file"); return 0; fi
    kill -0 "$FAKE_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "runtime_run.sh: aw-fake-llm did not start" >&2
  cat "$WORK/fake.log" >&2
  return 1
}

bench() {  # $1 = rep, rest = aw_runtime_bench arguments; appends each JSON line tagged with rep
  local rep=$1; shift
  local out
  if out=$(timeout 300 "$BENCH" "$@" 2>"$WORK/bench.err"); then :; else
    echo "runtime_run.sh: aw_runtime_bench $* failed: $(cat "$WORK/bench.err")" >&2
  fi
  [[ -n $out ]] && echo "$out" | sed "s/^{/{\"rep\":$rep,/" | tee -a "$RESULTS" >&2
  return 0
}

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "runtime_run.sh: $REPS repetitions, results in $RESULTS, load average $LOAD_AT_START" >&2
for rep in $(seq "$REPS"); do
  common=(--runs "$RUNS" --warmup "$WARMUP" --deltas "$DELTAS" --history "$HISTORY" --chunk-bytes "$CHUNK_BYTES")
  bench "$rep" overhead --llm instant "${common[@]}"
  bench "$rep" overhead --llm replay --format openai "${common[@]}"
  if [[ $HAVE_FAKE == 1 ]] && start_fake; then
    bench "$rep" overhead --llm http --format openai --runs "$HTTP_RUNS" --warmup 20 --history "$HISTORY" \
      --base-url "http://127.0.0.1:$FAKE_PORT"
    stop_fake
  fi
  for format in openai anthropic gemini; do
    for read in 0 4096; do
      bench "$rep" stream --format "$format" --chunks "$CHUNKS" --chunk-bytes "$CHUNK_BYTES" --read-bytes "$read" \
        --reps 1
    done
  done
done

"$PY" - "$RESULTS" "$REPS" "$(nproc)" "$LOAD_AT_START / $(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
path, reps, cores, load = sys.argv[1:5]
rows = [json.loads(l) for l in open(path) if l.strip()]

def cell(vs, fmt):
    if not vs:
        return "n/a"
    med = statistics.median(vs)
    if len(vs) == 1:
        return fmt.format(med)
    return (fmt + " ({}–{})").format(med, fmt.format(min(vs)), fmt.format(max(vs)))

print(f"Medians of {reps} runs (min–max in brackets); {cores} cores, load average (1/5/15 min) {load} at start / end.\n")
print("| per reply (one agent) | deltas | events | wall p50 | wall p99 | run-thread CPU p50 | CPU p99 | process CPU mean |")
print("|---|---|---|---|---|---|---|---|")
labels = {"instant": "runtime alone (instant LlmClient)", "replay": "+ OpenAI SSE parsing (no socket)",
          "http": "+ cpprest + aw-fake-llm over loopback"}
for llm in ("instant", "replay", "http"):
    rs = [r for r in rows if r.get("mode") == "overhead" and r.get("llm") == llm]
    v = lambda k: [r[k] for r in rs if r.get(k) is not None]
    print(f"| {labels[llm]} | {cell(v('deltas_per_reply'), '{:.0f}')} | {cell(v('events_per_reply'), '{:.0f}')} | "
          f"{cell(v('wall_p50_us'), '{:.1f} µs')} | {cell(v('wall_p99_us'), '{:.1f} µs')} | "
          f"{cell(v('cpu_p50_us'), '{:.1f} µs')} | {cell(v('cpu_p99_us'), '{:.1f} µs')} | "
          f"{cell(v('process_cpu_mean_us'), '{:.1f} µs')} |")
inst = [r["wall_p50_us"] for r in rows if r.get("mode") == "overhead" and r.get("llm") == "instant"]
if inst:
    med = statistics.median(inst)
    print(f"\nTarget ≤ 100 µs per reply (runtime alone, wall p50): {med:.1f} µs, {'met' if med <= 100 else '**missed**'}.\n")

print("Streaming: chunks/s per CPU-second of the measuring thread (one core's work; the wall-clock rate in brackets,"
      " which the machine's load lowers).\n")
print("| stream | read | baseline: memchr lines | parser (SSE + decoder) | runtime (parser + run + bus encoding) | runtime MB/s | target ≥ 50k chunks/s |")
print("|---|---|---|---|---|---|---|")
for fmt in ("openai", "anthropic", "gemini"):
    for read in ("line", "4096"):
        def v(stage, key, scale=1.0):
            return [r[key] * scale for r in rows if r.get("mode") == "stream" and r.get("format") == fmt
                    and r.get("read") == read and r.get("stage") == stage and r.get(key) is not None]
        rt = v("runtime", "cpu_chunks_per_s")
        verdict = "not measured" if not rt else ("met" if statistics.median(rt) >= 50000 else "**missed**")
        both = lambda stage: f"{cell(v(stage, 'cpu_chunks_per_s', 1e-3), '{:.0f}k')} [{cell(v(stage, 'chunks_per_s', 1e-3), '{:.0f}k')}]"
        print(f"| {fmt} | {read} | {cell(v('baseline', 'cpu_mb_per_s'), '{:.0f} MB/s')} | {both('parser')} | "
              f"{both('runtime')} | {cell(v('runtime', 'cpu_mb_per_s'), '{:.1f}')} | {verdict} |")
PY
