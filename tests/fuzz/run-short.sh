#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++, AW_FUZZ=ON) in BUILD_DIR and runs each for SECONDS (default 20) on a scratch
# copy of its seed corpus (tests/fuzz/corpus/<name>; the repo corpus is never written). Exits non-zero when a target
# crashes, leaks, trips a sanitizer or an invariant trap; the reproducer is left as <scratch>/<target>/crash-* and
# its path is printed.
# Usage: tests/fuzz/run-short.sh BUILD_DIR [SECONDS]
# Env: JOBS (build parallelism, default 2), CXX_FUZZ (compiler for a new build dir, default clang++),
#      FUZZ_TARGETS (space-separated subset, default all), FUZZ_SCRATCH (scratch dir, default a new mktemp dir).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build_dir=$1
seconds=${2:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${JOBS:-2}
scratch=${FUZZ_SCRATCH:-$(mktemp -d -t aw-fuzz.XXXXXX)}

# target:corpus:max_len
all_targets=(
  client_frame_fuzz:client_frame:4096
  jwt_verifier_fuzz:jwt_verifier:2048
  bus_decode_fuzz:bus_decode:8192
  openai_stream_fuzz:openai_stream:8192
  anthropic_stream_fuzz:anthropic_stream:8192
  gemini_stream_fuzz:gemini_stream:8192
  command_layer_fuzz:command_layer:8192
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
cmake -S "$root" -B "$build_dir" "${compiler_arg[@]}" -DAW_FUZZ=ON -DAW_BUILD_BENCH=OFF >/dev/null
names=()
for entry in "${selected[@]}"; do names+=("${entry%%:*}"); done
cmake --build "$build_dir" -j"$jobs" --target "${names[@]}"

# Any UBSan report other than the documented third-party one is a finding.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/fuzz/ubsan.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

failed=()
for entry in "${selected[@]}"; do
  IFS=: read -r name corpus max_len <<<"$entry"
  work="$scratch/$name"
  mkdir -p "$work/corpus"
  cp "$root/tests/fuzz/corpus/$corpus/"* "$work/corpus/"
  echo "== $name: ${seconds}s (log: $work/log)"
  if ! "$build_dir/tests/fuzz/$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
    echo "!! $name FAILED:" >&2
    tail -n 40 "$work/log" >&2
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2 || true
    failed+=("$name")
  else
    grep -E "^Done [0-9]+ runs" "$work/log" || true
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz findings in: ${failed[*]} (scratch: $scratch)" >&2
  exit 1
fi
echo "all fuzz targets clean (${seconds}s each; scratch: $scratch)"
