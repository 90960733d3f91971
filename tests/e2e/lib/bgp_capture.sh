# shellcheck shell=bash
# Captures on nodes of the seed topology, decoded by tshark afterwards: what
# a third-party dissector makes of the bytes our speakers exchanged (BGP by
# default; NHRP's GRE with a filter). Sourced by tests/e2e and
# scripts/bench.d after lib/e2e.sh and scripts/lib/daemon.sh.
#
#   capture_start NODE FILE [FILTER [IFACE]]
#                                    dumpcap on NODE's IFACE (default eth0,
#                                    its WAN side), capture FILTER (default
#                                    tcp port 179), into FILE (pcapng)
#   capture_stop                     SIGINT every capture (dumpcap closes
#                                    its file), wait
#   capture_check_clean FILE [WHAT FILTER]
#                                    decode every frame (tshark -V) and fail
#                                    on any malformed packet or expert error;
#                                    log how many frames match the display
#                                    FILTER (default: frames with UPDATEs)
#   capture_expect_frames WHAT FILE FILTER
#                                    at least one frame matches the display
#                                    FILTER, else fail naming WHAT
#   capture_wait_frames SECONDS WHAT FILE FILTER
#                                    the same on the file being written,
#                                    polled: call it before capture_stop for
#                                    the last frames a test expects
#
# Several captures may run at once: their pids are CAPTURE_PIDS.

CAPTURE_PIDS=()

capture_start() {  # node file [filter [iface]]
  local node=$1 file=$2 filter=${3:-tcp port 179} iface=${4:-eth0} rc=0 tool pid
  for tool in dumpcap tshark; do
    command -v "$tool" >/dev/null || e2e_fail "'$tool' not found: run scripts/install-deps"
  done
  # Not through topo_exec: a backgrounded function is a subshell, and the
  # signal that stops the capture must reach dumpcap itself.
  ip netns exec "$(topo_ns "$node")" dumpcap -q -i "$iface" -f "$filter" -w "$file" \
    >"$file.log" 2>&1 &
  pid=$!
  CAPTURE_PIDS+=("$pid")
  # dumpcap writes the file header once the filtered capture is open.
  daemon_poll "$pid" 5 test -s "$file" || rc=$?
  case $rc in
    1) e2e_fail "dumpcap exited: $(cat "$file.log")" ;;
    2) e2e_fail "dumpcap did not start capturing within 5 s: $(cat "$file.log")" ;;
  esac
}

capture_stop() {
  local pid
  for pid in "${CAPTURE_PIDS[@]}"; do daemon_stop "$pid" INT; done
  CAPTURE_PIDS=()
}

# Both what the full decode says and the frames that say it: the text is
# what a reader of tshark's output sees, the filter names the frames.
capture_check_clean() {  # file [what filter]
  local what=${2:-frames with UPDATEs} filter=${3:-bgp.type == 2} said frames
  said=$(tshark -r "$1" -V 2>&1 | grep -E 'Malformed|Expert Info \(Error' || true)
  frames=$(tshark -r "$1" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null)
  [[ -z $said && -z $frames ]] ||
    e2e_fail "tshark finds malformed packets or errors in $1:"$'\n'"$said"$'\n'"$frames"
  e2e_log "tshark: $(tshark -r "$1" -Y "$filter" 2>/dev/null | wc -l) $what, none malformed"
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
