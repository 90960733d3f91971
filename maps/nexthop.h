/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Underlay next hops (map "nexthops", key: __be32 NBMA address of a peer,
 * direct-mapped: nwbpf/slots.h).
 * The agent resolves each peer's NBMA address through the kernel's route
 * (via the WAN device) and neighbour tables and writes the result here;
 * encapsulation reads the outer MACs and egress device from it instead of
 * doing a fib lookup per frame. No entry: the next hop has no usable
 * neighbour (yet); XDP hands the frame to TC, TC lets the kernel resolve it
 * (bpf_redirect_neigh) or skips the BUM copy, and both tell the agent
 * (NEIGH_MISS event).
 */
#ifndef NWBPF_MAPS_NEXTHOP_H
#define NWBPF_MAPS_NEXTHOP_H

#include "nwbpf/abi.h"
#include "nwbpf/slots.h"

/* nexthop.flags */
/* No route to the address via the WAN device (or it is one of ours): drop,
 * counted as no_route, rather than hand it to a kernel path that would
 * take it for on-link. */
#define NWBPF_NH_NO_ROUTE (1u << 0)
/* The egress device takes redirected XDP frames (its ports entry has
 * NWBPF_PORT_XDP_TX): XDP encapsulates only then, else it leaves the frame
 * to TC. Kept here so encapsulation needs no second `ports` lookup. */
#define NWBPF_NH_XDP_TX (1u << 1)

struct nwbpf_nexthop {
	/* Outer Ethernet destination then source, in wire order, so both are
	 * copied into the frame at once. */
	__u8 dmac[6];    /* the NBMA address's MAC, or its gateway's */
	__u8 smac[6];    /* the egress device's MAC */
	__u32 ifindex;   /* egress device (the WAN device) */
	__u16 flags;     /* NWBPF_NH_* */
	__u16 pad;       /* zero */
	__be32 nbma;     /* the key: slots are told apart by it (nwbpf/slots.h) */
};
NWBPF_ASSERT_SIZE(struct nwbpf_nexthop, 24);

#endif
