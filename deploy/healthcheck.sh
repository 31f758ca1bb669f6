#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The gateway's health check (the Docker HEALTHCHECK and docker-compose's healthcheck): succeeds when
# GET http://127.0.0.1:${WS_PORT:-3001}/readyz answers 200, i.e. the database is open and migrated and the gateway
# is not shutting down (ws-protocol.md §1). Plain bash, no curl in the image.
# Usage: deploy/healthcheck.sh [URL]     (env: WS_PORT; AW_HEALTHCHECK_TIMEOUT_S, default 3)
set -euo pipefail
# shellcheck source=lib/http-probe.sh
. "$(dirname "$0")/lib/http-probe.sh"

url="${1:-http://127.0.0.1:${WS_PORT:-3001}/readyz}"
status="$(aw_http_status "$url" "${AW_HEALTHCHECK_TIMEOUT_S:-3}")"
if [ "$status" = "200" ]; then
  exit 0
fi
echo "healthcheck: GET $url answered $status (want 200)" >&2
exit 1
