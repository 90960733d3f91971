# shellcheck shell=bash
# A capture of the BGP sessions (TCP 179) on a node of the seed topology,
# decoded by tshark afterwards: what a third-party dissector makes of the
# bytes our speaker and the interop peers exchanged. Sourced by tests/e2e
# after lib/e2e.sh and scripts/lib/daemon.sh.
#
#   capture_start NODE FILE          dumpcap on NODE's eth0 (its WAN side),
#                                    filter tcp port 179, into FILE (pcapng)
#   capture_stop                     SIGINT (dumpcap closes the file), wait
#   capture_check_clean FILE         decode every frame (tshark -V) and fail
#                                    on any malformed packet or expert error;
#                                    log how many frames hold UPDATEs
#   capture_expect_frames WHAT FILE FILTER
#                                    at least one frame matches the display
#                                    FILTER, else fail naming WHAT
#   capture_wait_frames SECONDS WHAT FILE FILTER
#                                    the same on the file being written,
#                                    polled: call it before capture_stop for
#                                    the last frames a test expects
#
# One capture at a time: its pid is CAPTURE_PID.

CAPTURE_PID=""

capture_start() {  # node file
  local node=$1 file=$2 rc=0 tool
  for tool in dumpcap tshark; do
    command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
  done
  # Not through topo_exec: a backgrounded function is a subshell, and the
  # signal that stops the capture must reach dumpcap itself.
  ip netns exec "$(topo_ns "$node")" dumpcap -q -i eth0 -f 'tcp port 179' -w "$file" \
    >"$file.log" 2>&1 &
  CAPTURE_PID=$!
  # dumpcap writes the file header once the filtered capture is open.
  daemon_poll "$CAPTURE_PID" 5 test -s "$file" || rc=$?
  case $rc in
    1) e2e_fail "dumpcap exited: $(cat "$file.log")" ;;
    2) e2e_fail "dumpcap did not start capturing within 5 s: $(cat "$file.log")" ;;
  esac
}

capture_stop() {
  [[ -n $CAPTURE_PID ]] || return 0
  daemon_stop "$CAPTURE_PID" INT
  CAPTURE_PID=""
}

# Both what the full decode says and the frames that say it: the text is
# what a reader of tshark's output sees, the filter names the frames.
capture_check_clean() {  # file
  local said frames
  said=$(tshark -r "$1" -V 2>&1 | grep -E 'Malformed|Expert Info \(Error' || true)
  frames=$(tshark -r "$1" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null)
  [[ -z $said && -z $frames ]] ||
    e2e_fail "tshark finds malformed packets or errors in $1:"$'\n'"$said"$'\n'"$frames"
  e2e_log "tshark: $(tshark -r "$1" -Y 'bgp.type == 2' 2>/dev/null | wc -l) frames with UPDATEs, none malformed"
}

# dumpcap writes what it has read when it is stopped, but frames still in
# the kernel's capture buffer at that moment are lost: a frame the peer
# has already acted on may not be in the file yet.
capture_has_frames() {  # file filter
  [[ -n $(tshark -r "$1" -Y "$2" 2>/dev/null) ]]
}

capture_wait_frames() {  # seconds what file filter
  e2e_wait_until "$1" "tshark: $2 in $3 (filter: $4)" capture_has_frames "$3" "$4"
}

capture_expect_frames() {  # what file filter
  local n
  n=$(tshark -r "$2" -Y "$3" 2>/dev/null | wc -l)
  ((n > 0)) || e2e_fail "tshark: no $1 in $2 (filter: $3)"
  e2e_log "tshark: $1: $n frame(s)"
}
