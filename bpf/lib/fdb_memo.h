/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU memo of FDB lookups, so a frame to a known MAC costs one inlined
 * array access instead of a hash lookup in fdb (about 25 ns under perf in
 * xdp_edge) and, for a learned MAC, a second one in fdb_learned.
 *
 * A slot (indexed by a hash of VNI and MAC) holds a copy of the entry the
 * last lookup of that key found and the FDB generation read before that
 * lookup. The generation moves after every change to either map (maps/fdb.h),
 * so a slot whose stamp is the current generation holds exactly what a
 * lookup would return now; any other slot is refilled by a full lookup.
 * Misses are not remembered: they flood, which costs far more than a lookup.
 *
 * 4096 slots: 1,000 MACs in use at once collide in about a fifth of the
 * slots (direct-mapped), and those take the full lookup.
 */
#ifndef NWBPF_LIB_FDB_MEMO_H
#define NWBPF_LIB_FDB_MEMO_H

#include "lib/common.h"
#include "lib/fdb_gen.h"

#define FDB_MEMO_BITS 12
#define FDB_MEMO_SLOTS (1u << FDB_MEMO_BITS)

struct fdb_memo {
	struct nwbpf_fdb_key key;
	__u32 pad;
	__u64 stamp; /* FDB generation + 1 when filled; 0: empty */
	struct nwbpf_fdb_entry entry;
};
_Static_assert(sizeof(struct fdb_memo) == 48, "fdb_memo size");

/* Cleared before load only by the benchmark (nwbpf-progcost), to measure
 * the hash lookups the memo saves; read-only, so the verifier removes the
 * test from the program when it is set. */
const volatile __u8 fdb_memo_enabled = 1;

/* Not pinned: a new program load starts with an empty memo. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FDB_MEMO_SLOTS);
	__type(key, __u32);
	__type(value, struct fdb_memo);
} fdb_memo SEC(".maps");

/* The fdb entry of k, else the fdb_learned one, else NULL. The pointer is
 * valid until the program returns; callers only read it. */
static __always_inline const struct nwbpf_fdb_entry *fdb_memo_lookup(const struct nwbpf_fdb_key *k)
{
	/* Read before the lookup: a change after it moves the generation. */
	__u64 stamp = fdb_gen_read() + 1;
	__u32 slot = fdb_key_slot(k, FDB_MEMO_BITS);
	struct fdb_memo *m = bpf_map_lookup_elem(&fdb_memo, &slot);
	const struct nwbpf_fdb_entry *e;

	if (!fdb_memo_enabled)
		m = NULL;
	if (m && m->stamp == stamp && fdb_key_eq(&m->key, k))
		return &m->entry;
	e = bpf_map_lookup_elem(&fdb, k);
	if (!e)
		e = bpf_map_lookup_elem(&fdb_learned, k);
	if (!e || !m)
		return e;
	m->key = *k;
	m->stamp = stamp;
	m->entry = *e;
	return &m->entry;
}

#endif
