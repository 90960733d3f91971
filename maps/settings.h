/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Node-wide data-plane settings (map "settings", ARRAY of one, key 0).
 * Kept in a pinned map rather than .rodata so an agent restart or a reload
 * changes them without reloading programs or dropping a frame.
 */
#ifndef NWBPF_MAPS_SETTINGS_H
#define NWBPF_MAPS_SETTINGS_H

#include "nwbpf/abi.h"

struct nwbpf_settings {
	__be32 local_nbma;      /* outer source address; 0 = not configured, drop */
	__u32 wan_ifindex;
	__u32 tunnel_ifindex;   /* collect_md VXLAN device (kernel-tunnel mode) */
	__u16 wan_mtu;          /* largest outer IPv4 packet allowed */
	__u8 mode;              /* enum nwbpf_mode */
	__u8 ttl;               /* outer TTL */
	__u16 udp_src_port;     /* host order; 0 = flow hash (49152-65535) */
	__u16 flags;            /* NWBPF_SET_* */
	/* Route server to send frames for a VTEP without a "peers" entry
	 * through (NHRP's NHS); 0: drop them. Was zero padding, so settings
	 * pinned by an older agent read as "no relay". */
	__be32 relay_nbma;
	/* Largest TCP MSS a SYN crossing the overlay may carry, inner IPv4
	 * and IPv6; 0: not clamped. Grew the value from 24 to 28 bytes: the
	 * loader replaces a settings map pinned by an older build (the agent
	 * writes it before attaching programs). */
	__u16 tcp_mss4;
	__u16 tcp_mss6;
};
NWBPF_ASSERT_SIZE(struct nwbpf_settings, 28);

#endif
