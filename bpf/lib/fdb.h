/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FDB lookup and data-plane learning. The control-plane map `fdb` always
 * wins: lookups try it first, and learning never writes a key it holds.
 * Lookups go through a per-CPU memo (lib/fdb_memo.h). A known MAC that has
 * not moved costs one per-CPU memo access per frame to learn
 * (lib/learn_memo.h); the full pass below runs for new and moved MACs and
 * once per NWBPF_LEARN_REFRESH_NS per MAC, which is also the most often
 * last_seen is rewritten, so a busy MAC does not bounce its cache line
 * between CPUs.
 */
#ifndef NWBPF_LIB_FDB_H
#define NWBPF_LIB_FDB_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/events.h"
#include "lib/fdb_memo.h"
#include "lib/learn_memo.h"

/*
 * The key of (vni, mac), mac pointing into the frame (2-byte aligned, as
 * every MAC of an Ethernet header is). Built from 16-bit loads as three
 * 32-bit words: built byte by byte, every word the memo hash and the map's
 * hash read back stalls on a store-to-load forward that cannot succeed (it
 * was the hottest instruction of xdp_edge under perf).
 */
static __always_inline struct nwbpf_fdb_key fdb_key(__u32 vni, const __u8 *mac)
{
	const __u16 *m = (const __u16 *)mac;
	union {
		struct nwbpf_fdb_key k;
		__u32 w[3];
	} u;

	u.w[0] = vni;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u.w[1] = m[0] | (__u32)m[1] << 16;
#else
	u.w[1] = (__u32)m[0] << 16 | m[1];
#endif
	u.w[2] = m[2]; /* mac[4..5], pad 0 */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	u.w[2] <<= 16;
#endif
	return u.k;
}

static __always_inline const struct nwbpf_fdb_entry *fdb_lookup(__u32 vni, const __u8 *mac)
{
	struct nwbpf_fdb_key k = fdb_key(vni, mac);

	return fdb_memo_lookup(&k);
}

/* The full learning pass. Returns whether the memo may remember the key
 * (not when the update failed). */
static __always_inline int fdb_learn_full(const struct nwbpf_fdb_key *k, __u8 kind, __u32 ifindex,
					    __be32 vtep, __u64 now)
{
	struct nwbpf_fdb_entry *e = bpf_map_lookup_elem(&fdb_learned, k);
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
			return 1;
	}
	if (bpf_map_lookup_elem(&fdb, k))
		return 1;
	if (same) {
		e->last_seen_ns = now;
		return 1;
	}
	/* NOEXIST for a new key: of two CPUs learning it at once, one reports. */
	err = bpf_map_update_elem(&fdb_learned, k, &ne, e ? BPF_ANY : BPF_NOEXIST);
	if (err) {
		if (!e && err == -17 /* EEXIST */)
			return 0;
		stat_add(NWBPF_STAT_LEARN_FAIL, 0);
		return 0;
	}
	fdb_gen_bump();
	stat_add(e ? NWBPF_STAT_LEARN_MOVE : NWBPF_STAT_LEARN_NEW, 0);
	event_send(e ? NWBPF_EV_MAC_MOVED : NWBPF_EV_MAC_NEW, k->vni, k->mac, kind, ifindex, vtep, 0, 0);
	return 1;
}

/* Records that (vni, mac) sits behind edge port ifindex (LOCAL) or VTEP vtep
 * (REMOTE). Sends MAC_NEW / MAC_MOVED; refreshes last_seen otherwise. */
static __always_inline void fdb_learn(__u32 vni, const __u8 *mac, __u8 kind, __u32 ifindex, __be32 vtep)
{
	struct nwbpf_fdb_key k = fdb_key(vni, mac);
	__u64 jiffies = bpf_jiffies64();
	__u32 slot = fdb_key_slot(&k, LEARN_MEMO_BITS);
	struct learn_memo *m = bpf_map_lookup_elem(&learn_memo, &slot);
	/* Read before the full pass: a change after it invalidates the memo. */
	__u64 gen = fdb_gen_read();

	if (m && learn_memo_hit(m, &k, gen, kind, ifindex, vtep, jiffies))
		return;
	/* Coarse clock: CLOCK_MONOTONIC at tick resolution, what last_seen_ns
	 * needs, at a fraction of a full clock read. */
	if (fdb_learn_full(&k, kind, ifindex, vtep, bpf_ktime_get_coarse_ns()) && m)
		learn_memo_fill(m, &k, gen, kind, ifindex, vtep, jiffies);
}

#endif
