/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FDB lookup and data-plane learning. The control-plane map `fdb` always
 * wins: lookups try it first, and learning never writes a key it holds.
 * Learning costs one lookup per frame when nothing changed; last_seen is
 * rewritten at most once per NWBPF_LEARN_REFRESH_NS so a busy MAC does not
 * bounce its cache line between CPUs.
 */
#ifndef NWBPF_LIB_FDB_H
#define NWBPF_LIB_FDB_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/events.h"

static __always_inline struct nwbpf_fdb_key fdb_key(__u32 vni, const __u8 *mac)
{
	struct nwbpf_fdb_key k = { .vni = vni, .pad = 0 };

	__builtin_memcpy(k.mac, mac, ETH_ALEN);
	return k;
}

static __always_inline const struct nwbpf_fdb_entry *fdb_lookup(__u32 vni, const __u8 *mac)
{
	struct nwbpf_fdb_key k = fdb_key(vni, mac);
	const struct nwbpf_fdb_entry *e = bpf_map_lookup_elem(&fdb, &k);

	return e ? e : bpf_map_lookup_elem(&fdb_learned, &k);
}

/* Records that (vni, mac) sits behind edge port ifindex (LOCAL) or VTEP vtep
 * (REMOTE). Sends MAC_NEW / MAC_MOVED; refreshes last_seen otherwise. */
static __always_inline void fdb_learn(__u32 vni, const __u8 *mac, __u8 kind, __u32 ifindex, __be32 vtep)
{
	struct nwbpf_fdb_key k = fdb_key(vni, mac);
	struct nwbpf_fdb_entry *e = bpf_map_lookup_elem(&fdb_learned, &k);
	/* Coarse clock: CLOCK_MONOTONIC at tick resolution, cheaper per frame. */
	__u64 now = bpf_ktime_get_coarse_ns();
	struct nwbpf_fdb_entry ne = {
		.last_seen_ns = now,
		.ifindex = ifindex,
		.vtep = vtep,
		.kind = kind,
		.origin = NWBPF_ORIGIN_LEARNED,
	};
	int same = 0;
	long err;

	if (e) {
		same = e->kind == kind && e->ifindex == ifindex && e->vtep == vtep;
		if (same && now - e->last_seen_ns < NWBPF_LEARN_REFRESH_NS)
			return;
	}
	if (bpf_map_lookup_elem(&fdb, &k))
		return;
	if (same) {
		e->last_seen_ns = now;
		return;
	}
	/* NOEXIST for a new key: of two CPUs learning it at once, one reports. */
	err = bpf_map_update_elem(&fdb_learned, &k, &ne, e ? BPF_ANY : BPF_NOEXIST);
	if (err) {
		if (!e && err == -17 /* EEXIST */)
			return;
		stat_add(NWBPF_STAT_LEARN_FAIL, 0);
		return;
	}
	stat_add(e ? NWBPF_STAT_LEARN_MOVE : NWBPF_STAT_LEARN_NEW, 0);
	event_send(e ? NWBPF_EV_MAC_MOVED : NWBPF_EV_MAC_NEW, vni, mac, kind, ifindex, vtep, 0);
}

#endif
