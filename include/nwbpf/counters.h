/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-CPU counters (map "stats") and drop reasons (map "drops"), each an index
 * into a PERCPU_ARRAY of struct nwbpf_counter. The X-macro lists are the only
 * definition: BPF uses the enums, the CLI the names and help text.
 */
#ifndef NWBPF_COUNTERS_H
#define NWBPF_COUNTERS_H

#include "nwbpf/abi.h"

struct nwbpf_counter {
	__u64 packets;
	__u64 bytes;
};
NWBPF_ASSERT_SIZE(struct nwbpf_counter, 16);

/* X(ENUM_SUFFIX, "name", "what it counts") */
#define NWBPF_STAT_LIST(X)                                                          \
	X(EDGE_RX, "edge_rx", "frames received on edge ports")                      \
	X(WAN_RX, "wan_rx", "frames received on the WAN device")                    \
	X(TUNNEL_RX, "tunnel_rx", "frames received from the kernel VXLAN device")   \
	X(WAN_PASS, "wan_pass", "WAN frames that are not VXLAN, passed to the host") \
	X(FWD_LOCAL, "fwd_local", "unicast edge -> edge port")                      \
	X(ENCAP, "encap", "unicast edge -> VTEP (encapsulated)")                    \
	X(DECAP, "decap", "unicast VTEP -> edge port (decapsulated)")               \
	X(TUNNEL_TX, "tunnel_tx", "unicast handed to the kernel VXLAN device")      \
	X(BUM_LOCAL, "bum_local", "BUM copies to local edge ports")                 \
	X(BUM_REMOTE, "bum_remote", "BUM copies to VTEPs")                          \
	X(XDP_TO_TC, "xdp_to_tc", "frames XDP handed to TC (target not XDP-capable)") \
	X(LEARN_NEW, "learn_new", "MACs learned")                                   \
	X(LEARN_MOVE, "learn_move", "learned MACs that moved")                      \
	X(LEARN_FAIL, "learn_fail", "MACs not learned (table full)")                \
	X(EVENT_LOST, "event_lost", "ring buffer events lost (buffer full)")        \
	X(NEIGH_MISS, "neigh_miss", "VTEP next hop not resolved yet")               \
	X(RELAY_OUT, "relay_out", "frames sent through the route server: VTEP not resolved, or its NAT port not learned") \
	X(RELAY, "relay", "VXLAN frames relayed from one peer to another (route server)") \
	X(NAT_PROBE_RX, "nat_probe_rx", "NAT probes received from peers (consumed)") \
	X(NAT_PORT_LEARN, "nat_port_learn", "ports of peers behind NAT learned or changed") \
	X(MSS_CLAMPED, "mss_clamped", "TCP SYNs crossing the overlay whose MSS was lowered") \
	X(MSS_UNPARSED, "mss_unparsed", "TCP SYNs with malformed options, IPv6 frames with extension headers: MSS not examined") \
	X(ACL_UNPARSED, "acl_unparsed", "IPv4 frames into the overlay with a truncated or malformed header: judged by the ip-filter's default")

#define NWBPF_DROP_LIST(X)                                                          \
	X(MALFORMED, "malformed", "truncated or malformed headers")                 \
	X(PORT_UNKNOWN, "port_unknown", "frame on a device not configured")         \
	X(VLAN_NOT_ALLOWED, "vlan_not_allowed", "VLAN not configured on the port")  \
	X(BAD_SRC_MAC, "bad_src_mac", "multicast or zero source MAC")               \
	X(HAIRPIN, "hairpin", "destination is the ingress port")                    \
	X(UNKNOWN_PEER, "unknown_peer", "VXLAN from a source that is not a peer")   \
	X(VXLAN_FLAGS, "vxlan_flags", "VXLAN header without the I flag")            \
	X(OUTER_FRAGMENT, "outer_fragment", "fragmented outer IPv4 carrying VXLAN") \
	X(VNI_NOT_LOCAL, "vni_not_local", "VNI with no local port")                 \
	X(INNER_VLAN, "inner_vlan", "VLAN-tagged inner frame (RFC 7348 section 6.1)") \
	X(SPLIT_HORIZON, "split_horizon", "VTEP -> VTEP forwarding refused")        \
	X(PEER_UNRESOLVED, "peer_unresolved", "VTEP without a known NBMA address") \
	X(NO_ROUTE, "no_route", "no route to the VTEP's NBMA address")              \
	X(MTU_EXCEEDED, "mtu_exceeded", "too big for the WAN MTU after encapsulation") \
	X(HELPER_FAILED, "helper_failed", "a BPF helper failed (adjust, redirect)") \
	X(RELAY_UNRESOLVED, "relay_unresolved", "frame to relay to a VTEP not registered here") \
	X(RELAY_TTL, "relay_ttl", "frame to relay whose outer TTL ran out")        \
	X(RELAY_LOOP, "relay_loop", "frame to relay back to the peer it came from") \
	X(NAT_PORT_UNKNOWN, "nat_port_unknown", "peer behind NAT whose port is not learned yet, no relay to use") \
	X(ACL_DENY, "acl_deny", "denied by the VLAN's ebconfig filter (edge -> overlay)") \
	X(NO_SA, "no_sa", "encrypted overlay: no IPsec SA up with the peer, so nothing is sent to it or taken from it")

#define NWBPF_X_ENUM_STAT(e, n, h) NWBPF_STAT_##e,
#define NWBPF_X_ENUM_DROP(e, n, h) NWBPF_DROP_##e,
enum nwbpf_stat { NWBPF_STAT_LIST(NWBPF_X_ENUM_STAT) NWBPF_STAT_MAX };
enum nwbpf_drop { NWBPF_DROP_LIST(NWBPF_X_ENUM_DROP) NWBPF_DROP_MAX };
#undef NWBPF_X_ENUM_STAT
#undef NWBPF_X_ENUM_DROP

#endif /* NWBPF_COUNTERS_H */
