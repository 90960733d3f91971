/* SPDX-License-Identifier: Apache-2.0 */
/* Protocol numbers and data-plane limits shared by BPF and the agent. */
#ifndef NWBPF_CONSTS_H
#define NWBPF_CONSTS_H

#include "nwbpf/abi.h"

#define NWBPF_VXLAN_PORT 4789        /* RFC 7348 section 5 (IANA) */
#define NWBPF_VXLAN_FLAG_I 0x08      /* RFC 7348: I flag, VNI is valid */
/* Ours, in a bit RFC 7348 reserves (senders zero it, receivers ignore it):
 * the frame travels through a route server. The reserved fields then carry
 * an overlay address a.b.c.d: header bytes 1..3 = a, b, c and byte 7 = d.
 * From a CE to the route server it is the target VTEP's; from the route
 * server on, the origin VTEP's (bpf/README.md, "Route-server relay"). */
#define NWBPF_VXLAN_FLAG_RELAY 0x01
/* Ours too: a NAT probe. A CE behind a NAT sends it (from port 4789) to
 * open and keep its NAT's mappings and to teach its peers the port that
 * NAT picked. Exactly the 8-byte header: flags I|PROBE, every other bit 0
 * (VNI 0), no inner frame (UDP length 16). Its receiver consumes it
 * (bpf/README.md, "NAT traversal"). */
#define NWBPF_VXLAN_FLAG_PROBE 0x02
#define NWBPF_VXLAN_PROBE_UDP_LEN 16 /* UDP 8 + VXLAN 8 */
/* Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 (no outer options, untagged). */
#define NWBPF_VXLAN_OVERHEAD 50
#define NWBPF_ETH_ALEN 6
#define NWBPF_VLAN_MAX 4094          /* 802.1Q: 0 and 4095 are reserved */
#define NWBPF_VLAN_WORDS 64          /* 4096 bits as 64 x u64 */

/* Ingress replication limits (per VNI / per VLAN); sized for the 100-VTEP
 * BUM benchmark with headroom. Changing them changes map value sizes. */
#define NWBPF_MAX_FLOOD_VTEPS 128
#define NWBPF_MAX_VLAN_PORTS 64

/* Egress modes (settings.mode). */
enum nwbpf_mode {
	NWBPF_MODE_XDP = 1,           /* XDP where the redirect target delivers, TC otherwise */
	NWBPF_MODE_TC = 2,            /* TC programs only */
	NWBPF_MODE_KERNEL_TUNNEL = 3, /* TC + collect_md VXLAN device (XFRM applies) */
};

/* settings.flags */
#define NWBPF_SET_DF (1u << 0)           /* set DF on outer IPv4 */
#define NWBPF_SET_LEARN_REMOTE (1u << 1) /* learn inner source MACs from VXLAN */
#define NWBPF_SET_RELAY (1u << 2)        /* route server: relay NWBPF_VXLAN_FLAG_RELAY frames */
/* The overlay is encrypted (IPsec, kernel-tunnel mode only): frames go to,
 * and are taken from, only peers whose entry carries NWBPF_PEER_SA. The
 * kernel's XFRM policies are the second line (bpf/README.md, "Encryption"). */
#define NWBPF_SET_ENCRYPT (1u << 3)

/* port.role */
enum nwbpf_port_role {
	NWBPF_PORT_EDGE = 1,
	NWBPF_PORT_WAN = 2,
	NWBPF_PORT_TUNNEL = 3, /* the collect_md VXLAN device of kernel-tunnel mode */
};

/* port.flags */
#define NWBPF_PORT_XDP_TX (1u << 0) /* an XDP redirect into this device is delivered */

/* fdb_entry.kind */
enum nwbpf_fdb_kind {
	NWBPF_FDB_LOCAL = 1,  /* behind an edge port: ifindex */
	NWBPF_FDB_REMOTE = 2, /* behind a VTEP: vtep (overlay address) */
};

/* fdb_entry.origin */
enum nwbpf_fdb_origin {
	NWBPF_ORIGIN_LEARNED = 1, /* data plane, aged by the agent */
	NWBPF_ORIGIN_STATIC = 2,  /* config file */
	NWBPF_ORIGIN_EVPN = 3,    /* BGP EVPN type-2 */
};

/* How often BPF refreshes a learned entry's last_seen (ns). Refreshing on every
 * frame would bounce the entry's cache line between CPUs for no gain. */
#define NWBPF_LEARN_REFRESH_NS 1000000000ULL

#endif /* NWBPF_CONSTS_H */
