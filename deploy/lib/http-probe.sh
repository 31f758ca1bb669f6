# shellcheck shell=bash
# HTTP probe in plain bash (no curl needed, so the slim runtime image stays small). Sourced by
# deploy/healthcheck.sh, deploy/docker-entrypoint.sh, deploy/awstack and deploy/run-local.sh.
#
#   aw_http_status URL [TIMEOUT_S]   prints the HTTP status code of `GET URL` (000 when there is no answer
#                                    within TIMEOUT_S seconds, default 2); http:// only, host name or IPv4.

aw_http_status() {
  local url="$1" timeout_s="${2:-2}"
  local rest="${url#http://}"
  if [ "$rest" = "$url" ]; then
    echo 000
    return 0
  fi
  local hostport="${rest%%/*}" path="/${rest#*/}"
  [ "$hostport" = "$rest" ] && path="/"
  local host="${hostport%%:*}" port="80"
  if [ "$hostport" != "$host" ]; then port="${hostport##*:}"; fi
  # A child bash owns the socket, so `timeout` bounds connect and read together.
  local status
  # shellcheck disable=SC2016  # the script is expanded by the child bash, from its arguments
  status=$(timeout "$timeout_s" bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$1" >&3
    IFS=" " read -r _ code _ <&3 && printf "%s" "$code"
  ' aw_http_status "$host" "$port" "$path" 2>/dev/null) || status=""
  case "$status" in
    [1-5][0-9][0-9]) echo "$status" ;;
    *) echo 000 ;;
  esac
}
