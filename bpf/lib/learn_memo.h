/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU memo of what learning last confirmed, so a known MAC that has not
 * moved costs one inlined array access per frame instead of a hash lookup
 * in fdb_learned (and a second one in fdb for a MAC the control plane owns).
 *
 * A memo slot (indexed by a hash of VNI and MAC) holds the answer of the
 * last full learning pass for that key: where the MAC was, and the
 * last_seen_ns then in fdb_learned (or the time the fdb check was made).
 * A frame from the same place within NWBPF_LEARN_REFRESH_NS of that stamp
 * is exactly the frame the full pass would ignore, so it skips the pass.
 * Everything else takes the full pass at once: a new MAC, a MAC from
 * another port or VTEP, and the once-per-second refresh.
 *
 * learn_gen is bumped by every new or moved MAC on any CPU and stamped into
 * each memo, so a MAC that moves on one CPU and back on another is not
 * hidden by a stale memo. Changes made by others (the agent ageing or
 * flushing an entry, the reconciler adding or removing an fdb entry, LRU
 * eviction) are seen at the next refresh, within 1 s.
 */
#ifndef NWBPF_LIB_LEARN_MEMO_H
#define NWBPF_LIB_LEARN_MEMO_H

#include "lib/common.h"

#define LEARN_MEMO_BITS 10
#define LEARN_MEMO_SLOTS (1u << LEARN_MEMO_BITS)

struct learn_memo {
	struct nwbpf_fdb_key key;
	__u32 gen;       /* learn_gen when filled */
	__u64 stamp_ns;  /* last_seen_ns the full pass saw or wrote */
	__u32 ifindex;   /* where the MAC was: as in nwbpf_fdb_entry */
	__be32 vtep;
	__u32 kind;      /* 0 (no NWBPF_FDB_* value): empty slot */
	__u32 pad;
};
_Static_assert(sizeof(struct learn_memo) == 40, "learn_memo size");

/* Not pinned: a new program load starts with an empty memo. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LEARN_MEMO_SLOTS);
	__type(key, __u32);
	__type(value, struct learn_memo);
} learn_memo SEC(".maps");

/* Not pinned, shared by all CPUs; written only when a MAC is new or moves. */
__u32 learn_gen;

static __always_inline __u32 learn_gen_read(void)
{
	return *(volatile __u32 *)&learn_gen;
}

static __always_inline void learn_gen_bump(void)
{
	__sync_fetch_and_add(&learn_gen, 1);
}

static __always_inline __u32 learn_memo_slot(const struct nwbpf_fdb_key *k)
{
	const __u32 *w = (const __u32 *)k;
	__u32 h = (w[0] ^ w[1] ^ (w[2] * 0x85ebca6bu)) * 0x9e3779b1u;

	return h >> (32 - LEARN_MEMO_BITS);
}

/* Does memo m say the full pass would do nothing for this frame now? */
static __always_inline int learn_memo_hit(const struct learn_memo *m, const struct nwbpf_fdb_key *k, __u32 gen,
					  __u8 kind, __u32 ifindex, __be32 vtep, __u64 now)
{
	const __u32 *a = (const __u32 *)&m->key;
	const __u32 *b = (const __u32 *)k;

	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && m->gen == gen && m->kind == kind &&
	       m->ifindex == ifindex && m->vtep == vtep && now - m->stamp_ns < NWBPF_LEARN_REFRESH_NS;
}

static __always_inline void learn_memo_fill(struct learn_memo *m, const struct nwbpf_fdb_key *k, __u32 gen,
					    __u8 kind, __u32 ifindex, __be32 vtep, __u64 stamp)
{
	m->key = *k;
	m->gen = gen;
	m->stamp_ns = stamp;
	m->ifindex = ifindex;
	m->vtep = vtep;
	m->kind = kind;
}

#endif
