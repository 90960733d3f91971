# shellcheck shell=bash
# Start-up and shutdown of a daemon run in the background by the calling
# shell (its pid in $!), for the interop peers (frr_rr.sh, gobgp.sh) and the
# captures of the tests. Every wait is bounded.
#
#   daemon_poll PID TIMEOUT COMMAND...   run COMMAND (output dropped) every
#                                        0.1 s until it succeeds: returns 0,
#                                        1 if PID exited first, 2 after
#                                        TIMEOUT seconds
#   daemon_stop PID [SIGNAL]             SIGNAL (default TERM), SIGKILL if it
#                                        is still there after 5 s, then reap it
#   daemon_fail TAG NAME LOG MESSAGE     print "[TAG] FAIL: NAME: MESSAGE" and
#                                        the last lines of LOG, exit 1

daemon_poll() {
  local pid=$1 timeout=$2 i
  shift 2
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 2
}

daemon_stop() {
  local pid=$1 sig=${2:-TERM} i
  kill -"$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

daemon_fail() {
  printf '[%s] FAIL: %s: %s\n' "$1" "$2" "$4" >&2
  if [[ -f $3 ]]; then
    printf '[%s] last lines of %s:\n' "$1" "$3" >&2
    tail -n 20 "$3" >&2
  fi
  exit 1
}
