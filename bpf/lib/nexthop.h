/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The next hop of an NBMA address, from the agent's "nexthops" map
 * (maps/nexthop.h): egress device and outer MACs, resolved by the agent from
 * the kernel's route and neighbour tables. One map lookup replaces the fib
 * lookup, which needed IPv4 forwarding on the WAN device and was the largest
 * single cost of encapsulation.
 */
#ifndef NWBPF_LIB_NEXTHOP_H
#define NWBPF_LIB_NEXTHOP_H

#include "lib/common.h"
#include "lib/slots.h"

/* The entry for nbma, or NULL while the agent has no usable neighbour for
 * it (the caller reports the miss: event_neigh_miss). */
static __always_inline const struct nwbpf_nexthop *nexthop_get(__be32 nbma)
{
	return SLOTTED_GET(nexthops, nwbpf_addr_slot, nbma, nbma);
}

static __always_inline int nexthop_unroutable(const struct nwbpf_nexthop *nh)
{
	return nh->flags & NWBPF_NH_NO_ROUTE;
}

/* May XDP redirect to the entry's device? (the agent copies the device's
 * NWBPF_PORT_XDP_TX here, see maps/nexthop.h) */
static __always_inline int nexthop_xdp_tx(const struct nwbpf_nexthop *nh)
{
	return nh->flags & NWBPF_NH_XDP_TX;
}

#endif
