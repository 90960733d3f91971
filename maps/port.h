/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Devices the data plane serves, and the local member ports of each VLAN
 * for BUM (map "vlan_ports").
 *
 * Ports are direct-mapped by ifindex (nwbpf/slots.h): slot
 * nwbpf_port_slot(ifindex) of the ARRAY "ports", else the HASH
 * "ports_overflow".
 * VNI = VLAN ID (Nante-WAN's rule), so no VLAN<->VNI map exists.
 */
#ifndef NWBPF_MAPS_PORT_H
#define NWBPF_MAPS_PORT_H

#include "nwbpf/abi.h"
#include "nwbpf/consts.h"
#include "nwbpf/slots.h"

struct nwbpf_port {
	__u8 role;   /* enum nwbpf_port_role */
	__u8 flags;  /* NWBPF_PORT_XDP_TX */
	__u16 pvid;  /* VLAN of untagged ingress frames; 0: untagged frames dropped */
	__u32 ifindex; /* the port's own ifindex; 0: an empty slot */
	/* Bit v set: VLAN v is allowed on the port (ingress and egress). */
	__u64 member[NWBPF_VLAN_WORDS];
	/* Bit v set: frames of VLAN v leave this port untagged. */
	__u64 untagged[NWBPF_VLAN_WORDS];
};
NWBPF_ASSERT_SIZE(struct nwbpf_port, 8 + 2 * 8 * NWBPF_VLAN_WORDS);

/* Local edge ports of one VLAN, for BUM replication (key: __u32 VLAN ID). */
struct nwbpf_vlan_ports {
	__u32 count;
	__u32 ifindex[NWBPF_MAX_VLAN_PORTS];
};
NWBPF_ASSERT_SIZE(struct nwbpf_vlan_ports, 4 + 4 * NWBPF_MAX_VLAN_PORTS);

#endif
