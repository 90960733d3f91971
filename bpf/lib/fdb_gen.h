/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FDB generation (maps/fdb.h, map fdb_gen): read before an FDB answer is
 * memoised, bumped after the FDB changes, so a memo stamped with the current
 * generation is known to hold what a lookup would return now.
 */
#ifndef NWBPF_LIB_FDB_GEN_H
#define NWBPF_LIB_FDB_GEN_H

#include "lib/common.h"

static __always_inline __u64 *fdb_gen_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&fdb_gen, &zero);
}

/* The generation now; a read that cannot fail in practice (an array of one)
 * returns 0, which memos never match (they store generation + 1). */
static __always_inline __u64 fdb_gen_read(void)
{
	__u64 *g = fdb_gen_slot();

	return g ? *(volatile __u64 *)g : 0;
}

static __always_inline void fdb_gen_bump(void)
{
	__u64 *g = fdb_gen_slot();

	if (g)
		__sync_fetch_and_add(g, 1);
}

/* Memo slot of an FDB key: a multiplicative hash of its three words. */
static __always_inline __u32 fdb_key_slot(const struct nwbpf_fdb_key *k, int bits)
{
	const __u32 *w = (const __u32 *)k;
	__u32 h = (w[0] ^ w[1] ^ (w[2] * 0x85ebca6bu)) * 0x9e3779b1u;

	return h >> (32 - bits);
}

static __always_inline int fdb_key_eq(const struct nwbpf_fdb_key *a, const struct nwbpf_fdb_key *b)
{
	const __u32 *x = (const __u32 *)a;
	const __u32 *y = (const __u32 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2];
}

#endif
