#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Entrypoint of the Agent World image (deploy/Dockerfile): the first argument chooses the program.
#   gateway [args]     aw-gateway (WebSocket + HTTP on WS_PORT, the bus endpoints, SQLite under /data)
#   processor [args]   aw-processor (the bus worker). Demo mode: when no LLM provider is configured
#                      (deploy/lib/llm-env.sh) and AW_DEMO_LLM_URL names an aw-fake-llm that answers /health
#                      within AW_DEMO_WAIT_MS (default 10000), every provider is pointed at it.
#   fake-llm [args]    aw-fake-llm (docs/fake-llm.md)
#   healthcheck        deploy/healthcheck.sh (GET /readyz on the gateway)
#   anything else      run as given (aw-cli, awctl, bash, ...)
# Binaries are looked up on PATH. The test tests/deploy/compose_topology_test.py runs this script outside Docker
# with the commands and environment of docker-compose.yml.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/http-probe.sh
. "$here/lib/http-probe.sh"
# shellcheck source=lib/llm-env.sh
. "$here/lib/llm-env.sh"

log() {  # One JSON line on stderr, like the programs' own logs (docs/operations.md).
  printf '{"time":"%s","level":"%s","category":"deploy.entrypoint","message":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "$1" "$2" >&2
}

# Resolves the demo LLM for a processor (see the header). Never fails the start: without a provider the processor
# still runs, and a run then fails with "No configuration found for <provider> provider."
choose_llm() {
  if aw_llm_configured; then return 0; fi
  if [ -n "${OLLAMA_BASE_URL:-}" ]; then return 0; fi
  local url="${AW_DEMO_LLM_URL:-}"
  if [ -z "$url" ]; then
    log warn "no LLM provider configured (set a key from .env.example) and AW_DEMO_LLM_URL is empty"
    return 0
  fi
  local host="${url#http://}"
  host="${host%%[:/]*}"
  # Without the demo profile the fake's service name does not resolve: give up at once instead of waiting.
  if ! getent hosts "$host" >/dev/null 2>&1; then
    log warn "no LLM provider configured and the demo LLM host '$host' is unknown (profile demo not enabled?)"
    return 0
  fi
  local deadline=$((SECONDS + (${AW_DEMO_WAIT_MS:-10000} + 999) / 1000))
  while :; do
    if [ "$(aw_http_status "${url%/}/health" 1)" = "200" ]; then
      aw_use_fake_llm "$url"
      log info "demo mode: no LLM provider configured, every provider points at the fake LLM at $url"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log warn "no LLM provider configured and the demo LLM at $url did not answer /health"
      return 0
    fi
    sleep 0.2  # polling an HTTP endpoint of another process: there is no event to wait on
  done
}

command="${1:-}"
[ "$#" -gt 0 ] && shift
case "$command" in
  gateway) exec aw-gateway "$@" ;;
  processor)
    choose_llm
    exec aw-processor "$@"
    ;;
  fake-llm) exec aw-fake-llm "$@" ;;
  healthcheck) exec "$here/healthcheck.sh" "$@" ;;
  "")
    echo "usage: docker-entrypoint.sh gateway|processor|fake-llm|healthcheck|<command> [args]" >&2
    exit 2
    ;;
  *) exec "$command" "$@" ;;
esac
