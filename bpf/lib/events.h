/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring-buffer events to the agent: MAC learned/moved (for EVPN type-2 and
 * `show fdb`) and VTEP NBMA address without a next-hop entry (the agent
 * resolves it at once instead of at its next periodic refresh).
 * A full ring loses the event, never the frame; event_lost counts it.
 */
#ifndef NWBPF_LIB_EVENTS_H
#define NWBPF_LIB_EVENTS_H

#include "lib/common.h"
#include "lib/counters.h"

/* At most one NEIGH_MISS per slot (hash of the address) per interval: a BUM
 * storm towards an unresolved VTEP must not fill the ring. The frame itself
 * is counted (neigh_miss) by the path that handles it, once: in XDP mode XDP
 * sends the event and TC, which gets the frame next, counts it. */
#define NEIGH_MISS_SLOTS 64
#define NEIGH_MISS_INTERVAL_NS 100000000ULL

/* Not pinned: rate-limit state may start over with a new program load. */
__u64 neigh_miss_sent_ns[NEIGH_MISS_SLOTS];

static __always_inline void event_send(__u32 type, __u32 vni, const __u8 *mac, __u8 kind,
				       __u32 ifindex, __be32 vtep, __be32 nbma)
{
	struct nwbpf_event *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);

	if (!ev) {
		stat_add(NWBPF_STAT_EVENT_LOST, 0);
		return;
	}
	ev->ts_ns = bpf_ktime_get_ns();
	ev->type = type;
	ev->vni = vni;
	if (mac)
		__builtin_memcpy(ev->mac, mac, ETH_ALEN);
	else
		__builtin_memset(ev->mac, 0, ETH_ALEN);
	ev->kind = kind;
	ev->pad = 0;
	ev->ifindex = ifindex;
	ev->vtep = vtep;
	ev->nbma = nbma;
	ev->pad2 = 0;
	bpf_ringbuf_submit(ev, 0);
}

static __always_inline void event_neigh_miss(__u32 vni, __be32 vtep, __be32 nbma)
{
	__u32 slot = (bpf_ntohl(nbma) * 2654435761u) >> 26; /* 6 bits: 64 slots */
	__u64 now = bpf_ktime_get_ns();
	__u64 *last;

	if (slot >= NEIGH_MISS_SLOTS)
		return;
	last = &neigh_miss_sent_ns[slot];
	if (*last && now - *last < NEIGH_MISS_INTERVAL_NS)
		return;
	*last = now;
	event_send(NWBPF_EV_NEIGH_MISS, vni, 0, NWBPF_FDB_REMOTE, 0, vtep, nbma);
}

#endif
