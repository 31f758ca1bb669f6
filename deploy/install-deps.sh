#!/usr/bin/env bash
# Installs every Debian package that building, testing and running Agent World C++ needs.
# Idempotent and non-interactive; safe to run again. Needs root (or sudo).
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git
  libwebsocketpp-dev libasio-dev zlib1g-dev libssl-dev
  libzmq3-dev cppzmq-dev rapidjson-dev
  libsqlite3-dev sqlite3
  libcpprest-dev libboost-test-dev
  libjwt-dev libcli11-dev
  clang-format clang-tidy
)
tool_packages=(python3-zmq python3-websockets curl)

missing=()
for p in "${build_packages[@]}" "${tool_packages[@]}"; do
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
