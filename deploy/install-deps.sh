#!/usr/bin/env bash
# Installs every Debian package that building, testing and running Agent World C++ needs.
# Idempotent and non-interactive; safe to run again. Needs root (or sudo).
# Usage: deploy/install-deps.sh [--build-only] [--with-fuzz]
#   --build-only: no tools (the Docker build stage uses it); --with-fuzz: also clang++ and its libFuzzer/sanitizer
#   runtimes for tests/fuzz (.ci/run's fuzz stage uses it).
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git
  libwebsocketpp-dev libasio-dev zlib1g-dev libssl-dev
  libzmq3-dev cppzmq-dev rapidjson-dev
  libsqlite3-dev sqlite3
  libcpprest-dev libboost-test-dev
  libcli11-dev
  clang-format clang-tidy
)
# Tools: zmq and WebSocket clients for tests and operators, YAML for the compose topology test, docker-compose to
# validate docker-compose.yml (Compose v1; installed without Recommends, so no Docker engine comes with it).
tool_packages=(python3-zmq python3-websockets python3-yaml curl docker-compose)
# Fuzzing: clang-14 itself already comes with clang-tidy; `clang` adds the clang++ name and libclang-rt-14-dev
# (only a Recommends of clang) the libFuzzer and sanitizer runtimes. ~6 MiB to download.
fuzz_packages=(clang libclang-rt-14-dev)

wanted=("${build_packages[@]}")
with_tools=1
for arg in "$@"; do
  case "$arg" in
    --build-only) with_tools=0 ;;
    --with-fuzz) wanted+=("${fuzz_packages[@]}") ;;
    *) echo "usage: deploy/install-deps.sh [--build-only] [--with-fuzz]" >&2; exit 2 ;;
  esac
done
if [ "$with_tools" -eq 1 ]; then wanted+=("${tool_packages[@]}"); fi

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
