/* SPDX-License-Identifier: Apache-2.0 */
/* Records the data plane sends to the agent through the "events" ring buffer. */
#ifndef NWBPF_EVENTS_H
#define NWBPF_EVENTS_H

#include "nwbpf/abi.h"

enum nwbpf_event_type {
	NWBPF_EV_MAC_NEW = 1,    /* (vni, mac) learned for the first time */
	NWBPF_EV_MAC_MOVED = 2,  /* learned (vni, mac) now behind another port/VTEP */
	NWBPF_EV_NEIGH_MISS = 3, /* VTEP's NBMA address has no "nexthops" entry (vtep, nbma) */
	NWBPF_EV_PEER_MISS = 4,  /* VTEP without a "peers" entry (vni, vtep): resolve it (NHRP) */
	NWBPF_EV_RELAYED = 5,    /* route server relayed (vni) from vtep at nbma to target */
};

struct nwbpf_event {
	__u64 ts_ns;     /* bpf_ktime_get_ns() */
	__u32 type;      /* enum nwbpf_event_type */
	__u32 vni;
	__u8 mac[6];
	__u8 kind;       /* enum nwbpf_fdb_kind of the new location */
	__u8 pad;
	__u32 ifindex;   /* LOCAL: port */
	__be32 vtep;     /* REMOTE, NEIGH_MISS, PEER_MISS: VTEP overlay address; RELAYED: the origin's */
	__be32 nbma;     /* NEIGH_MISS: the address without a next-hop entry; RELAYED: the origin's */
	__be32 target;   /* RELAYED: overlay address of the VTEP the frame was relayed to */
};
NWBPF_ASSERT_SIZE(struct nwbpf_event, 40);

#endif /* NWBPF_EVENTS_H */
