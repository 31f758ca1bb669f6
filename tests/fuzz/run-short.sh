#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++, AW_FUZZ=ON) in BUILD_DIR and runs each for SECONDS (default 20) on a scratch
# copy of its seed corpus (tests/fuzz/corpus/<name>; the repo corpus is never written). Exits non-zero when a target
# crashes, leaks, trips a sanitizer or an invariant trap; the reproducer is left as <scratch>/<target>/crash-* and
# its path is printed. Inputs in tests/fuzz/regressions/<corpus>/ (committed reproducers) are replayed first.
# Usage: tests/fuzz/run-short.sh BUILD_DIR [SECONDS]
# Env: JOBS (build parallelism, default 2), PARALLEL (targets fuzzed at once, default nproc),
#      CXX_FUZZ (compiler for a new build dir, default clang++), FUZZ_TARGETS (space-separated subset, default all),
#      FUZZ_SCRATCH (scratch dir, default a new mktemp dir), FUZZ_CXX_FLAGS (optimisation flags, default -O1),
#      FUZZ_BUILD_ONLY=1 (build, then exit without fuzzing: .ci/run builds early, in the background).
# Output: one line per target; the build log and each target's libFuzzer log stay in the scratch dir.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build_dir=$1
seconds=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${JOBS:-2}
parallel=${PARALLEL:-$(nproc)}
scratch=${FUZZ_SCRATCH:-$(mktemp -d -t aw-fuzz.XXXXXX)}
mkdir -p "$scratch"

# target:corpus:max_len
all_targets=(
  client_frame_fuzz:client_frame:4096
  jwt_verifier_fuzz:jwt_verifier:2048
  bus_decode_fuzz:bus_decode:8192
  openai_stream_fuzz:openai_stream:8192
  anthropic_stream_fuzz:anthropic_stream:8192
  gemini_stream_fuzz:gemini_stream:8192
  command_layer_fuzz:command_layer:8192
  ws_connection_fuzz:ws_connection:8192
)
selected=()
for entry in "${all_targets[@]}"; do
  name=${entry%%:*}
  if [[ -z ${FUZZ_TARGETS:-} || " ${FUZZ_TARGETS} " == *" ${name} "* ]]; then selected+=("$entry"); fi
done

# The compiler is only chosen for a new build dir (changing it later would make CMake drop the cache).
compiler_arg=()
if ! command -v "${CXX_FUZZ:-clang++}" >/dev/null 2>&1; then
  echo "run-short.sh: ${CXX_FUZZ:-clang++} not found; install it with: sudo apt-get install -y clang" >&2
  exit 2
fi
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then compiler_arg=(-DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}"); fi
# -O1 without -g, libFuzzer's advice (CMake's Debug type only so that Release's forced -O2 does not apply; assert()
# stays on). Measured per file: -O1 compiles as fast as -O2, -g adds ~20%, -O0 saves ~45% (but libFuzzer advises -O1+).
cmake -S "$root" -B "$build_dir" "${compiler_arg[@]}" -DAW_FUZZ=ON -DAW_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="${FUZZ_CXX_FLAGS:--O1}" >/dev/null
names=()
for entry in "${selected[@]}"; do names+=("${entry%%:*}"); done
cmake --build "$build_dir" -j"$jobs" --target "${names[@]}" >"$scratch/build.log" 2>&1 ||
  { tail -n 60 "$scratch/build.log" >&2; echo "run-short.sh: fuzz build failed (log: $scratch/build.log)" >&2; exit 1; }
if [[ ${FUZZ_BUILD_ONLY:-0} == 1 ]]; then
  echo "fuzz targets built in $build_dir"
  exit 0
fi

# Any UBSan report other than the documented third-party one is a finding.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/fuzz/ubsan.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# Runs one target; writes the fuzzer's exit status to <scratch>/<target>/rc.
run_target() {
  local name=$1 corpus=$2 max_len=$3 work="$scratch/$1"
  mkdir -p "$work/corpus"
  cp "$root/tests/fuzz/corpus/$corpus/"* "$work/corpus/"
  # Committed reproducers (tests/fuzz/regressions/<corpus>/) are read with the seeds, never written to.
  local extra=()
  if [[ -d "$root/tests/fuzz/regressions/$corpus" ]]; then extra=("$root/tests/fuzz/regressions/$corpus"); fi
  local rc=0
  "$build_dir/tests/fuzz/$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" "$work/corpus" "${extra[@]}" >"$work/log" 2>&1 || rc=$?
  echo "$rc" >"$work/rc"
}

# libFuzzer runs one process per target: PARALLEL targets at a time (one per core) share the wall time.
running=0
for entry in "${selected[@]}"; do
  IFS=: read -r name corpus max_len <<<"$entry"
  if [[ $running -ge $parallel ]]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$name" "$corpus" "$max_len" &
  running=$((running + 1))
done
wait

failed=()
for entry in "${selected[@]}"; do
  name=${entry%%:*}
  work="$scratch/$name"
  if [[ "$(cat "$work/rc" 2>/dev/null)" != 0 ]]; then
    echo "!! $name FAILED:" >&2
    tail -n 40 "$work/log" >&2
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
    failed+=("$name")
  else
    echo "$name: clean, $(grep -oE "^Done [0-9]+ runs" "$work/log" | cut -d' ' -f2) runs in ${seconds}s"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz findings in: ${failed[*]} (scratch: $scratch)" >&2
  exit 1
fi
echo "all fuzz targets clean (${seconds}s each; scratch: $scratch)"
