/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring-buffer events to the agent: MAC learned/moved (for EVPN type-2 and
 * `show fdb`), VTEP NBMA address without a next-hop entry (the agent
 * resolves it at once instead of at its next periodic refresh), VTEP without
 * a peers entry (the agent sends an NHRP Resolution Request) and, on a route
 * server, a relayed (origin, target) pair (the agent sends the origin an NHRP
 * Traffic Indication).
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

/*
 * PEER_MISS and RELAYED are rate-limited per VTEP and per (origin, target)
 * pair by LRU memos of when the last event went out: the traffic that
 * raises them runs at line rate until the agent acts, and the agent only
 * needs to hear of it again if it did not act. The coarse clock, not
 * jiffies: an interval in jiffies means 1..10 ms per jiffy depending on HZ,
 * which BPF cannot know; the clock's ~17 ns are paid only on these paths
 * (relayed frames), next to the memo's hash lookup. Not pinned: rate-limit
 * state may start over with a new program load.
 */
#define PEER_MISS_INTERVAL_NS 250000000ULL /* per VTEP */
#define RELAYED_INTERVAL_NS 1000000000ULL  /* per (origin, target) */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __be32); /* VTEP overlay address */
	__type(value, __u64); /* bpf_ktime_get_coarse_ns() of the last event */
} peer_miss_memo SEC(".maps");

struct relay_pair {
	__be32 origin;
	__be32 target;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct relay_pair);
	__type(value, __u64);
} relayed_memo SEC(".maps");

/* Whether an event for key is due (none in the last interval_ns), taking
 * the turn if so: of CPUs racing for one key exactly one wins (compare and
 * swap on a known key, BPF_NOEXIST on a new one). */
static __always_inline int event_due(void *memo, const void *key, __u64 interval_ns)
{
	__u64 now = bpf_ktime_get_coarse_ns();
	__u64 *last = bpf_map_lookup_elem(memo, key);
	__u64 seen;

	if (!last)
		return !bpf_map_update_elem(memo, key, &now, BPF_NOEXIST);
	seen = *last;
	if (now - seen < interval_ns)
		return 0;
	return __sync_val_compare_and_swap(last, seen, now) == seen;
}

static __always_inline void event_send(__u32 type, __u32 vni, const __u8 *mac, __u8 kind,
				       __u32 ifindex, __be32 vtep, __be32 nbma, __be32 target)
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
	ev->target = target;
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
	event_send(NWBPF_EV_NEIGH_MISS, vni, 0, NWBPF_FDB_REMOTE, 0, vtep, nbma, 0);
}

/* VTEP vtep has no peers entry: the agent resolves it (NHRP). */
static __always_inline void event_peer_miss(__u32 vni, __be32 vtep)
{
	if (event_due(&peer_miss_memo, &vtep, PEER_MISS_INTERVAL_NS))
		event_send(NWBPF_EV_PEER_MISS, vni, 0, NWBPF_FDB_REMOTE, 0, vtep, 0, 0);
}

/* Route server: relayed a frame of origin (at origin_nbma) to target. */
static __always_inline void event_relayed(__u32 vni, __be32 origin, __be32 origin_nbma, __be32 target)
{
	struct relay_pair pair = { .origin = origin, .target = target };

	if (event_due(&relayed_memo, &pair, RELAYED_INTERVAL_NS))
		event_send(NWBPF_EV_RELAYED, vni, 0, NWBPF_FDB_REMOTE, 0, origin, origin_nbma, target);
}

#endif
