/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters and the drop funnel. Every frame path bumps a stats[]
 * entry; every drop goes through count_drop() (via xdp_drop()/tc_drop()), so
 * `nwbpf show stats` accounts for each frame. Per-CPU arrays: no atomics and
 * no shared cache lines on the fast path.
 */
#ifndef NWBPF_LIB_COUNTERS_H
#define NWBPF_LIB_COUNTERS_H

#include "lib/common.h"

static __always_inline void stat_add(__u32 idx, __u64 bytes)
{
	struct nwbpf_counter *c = bpf_map_lookup_elem(&stats, &idx);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

static __always_inline void count_drop(__u32 reason, __u64 bytes)
{
	struct nwbpf_counter *c = bpf_map_lookup_elem(&drops, &reason);

	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

static __always_inline int xdp_drop(__u32 reason, __u64 bytes)
{
	count_drop(reason, bytes);
	return XDP_DROP;
}

static __always_inline int tc_drop(__u32 reason, __u64 bytes)
{
	count_drop(reason, bytes);
	return TC_ACT_SHOT;
}

/* XDP leaves the frame (unmodified) to the TC program on the same device. */
static __always_inline int xdp_to_tc(__u64 bytes)
{
	stat_add(NWBPF_STAT_XDP_TO_TC, bytes);
	return XDP_PASS;
}

#endif
