/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDP's next-hop cache: the fib's answer for an NBMA address, per CPU, reused
 * for up to NEXTHOP_CACHE_NS. bpf_fib_lookup costs about three hash lookups
 * and is the largest single cost of encapsulation; a route or neighbour
 * change reaches XDP within that time (TC always asks the fib). Private to
 * the loaded program (not pinned): a new load just starts cold. Only
 * resolved next hops are kept, so a miss still goes to TC every time.
 */
#ifndef NWBPF_LIB_NEXTHOP_H
#define NWBPF_LIB_NEXTHOP_H

#include "lib/common.h"
#include "lib/encap.h"

#define NEXTHOP_CACHE_NS 1000000000ULL

struct nexthop {
	__u64 resolved_ns; /* bpf_ktime_get_coarse_ns() of the fib lookup */
	__u8 dmac[ETH_ALEN];
	__u8 smac[ETH_ALEN];
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, struct nexthop);
} nexthop_cache SEC(".maps");

/* Fills p's MACs and egress for p->nbma. 0, or -1 when the fib does not
 * answer SUCCESS (the caller hands the frame to TC). */
static __always_inline int xdp_nexthop(struct xdp_md *ctx, const struct nwbpf_settings *s, struct encap_plan *p)
{
	__u64 now = bpf_ktime_get_coarse_ns();
	struct nexthop *nh = bpf_map_lookup_elem(&nexthop_cache, &p->nbma);
	struct nexthop fresh = { .resolved_ns = now };

	if (nh && now - nh->resolved_ns < NEXTHOP_CACHE_NS) {
		__builtin_memcpy(p->dmac, nh->dmac, ETH_ALEN);
		__builtin_memcpy(p->smac, nh->smac, ETH_ALEN);
		p->ifindex = nh->ifindex;
		return 0;
	}
	if (encap_fib(ctx, s, p) != BPF_FIB_LKUP_RET_SUCCESS)
		return -1;
	__builtin_memcpy(fresh.dmac, p->dmac, ETH_ALEN);
	__builtin_memcpy(fresh.smac, p->smac, ETH_ALEN);
	fresh.ifindex = p->ifindex;
	bpf_map_update_elem(&nexthop_cache, &p->nbma, &fresh, BPF_ANY);
	return 0;
}

#endif
