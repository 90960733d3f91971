/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU memo of what learning last confirmed, so a known MAC that has not
 * moved costs one inlined array access per frame instead of a hash lookup
 * in fdb_learned (and a second one in fdb for a MAC the control plane owns).
 *
 * A memo slot (indexed by a hash of VNI and MAC) holds the answer of the
 * last full learning pass for that key: where the MAC was, and when (in
 * jiffies) the pass ran. A frame from the same place within
 * LEARN_MEMO_JIFFIES of that is a frame the full pass would ignore, so it
 * skips the pass. Everything else takes the full pass at once: a new MAC, a
 * MAC from another port or VTEP, and a memo older than LEARN_MEMO_JIFFIES
 * (the full pass then refreshes last_seen_ns when it is a second old, so an
 * entry's last_seen_ns lags by at most two seconds).
 *
 * Jiffies, not nanoseconds: bpf_jiffies64() is inlined into a load, while a
 * clock read is a helper call that costs about as much as a hash lookup.
 * 100 jiffies is at most one second for every HZ Linux offers (100..1000).
 *
 * Each memo is stamped with the FDB generation (lib/fdb_gen.h), which every
 * new or moved MAC on any CPU bumps, and so does the agent when it adds,
 * ages out or removes an entry: a MAC that moves on one CPU and back on
 * another, or whose entry the agent removed, is not hidden by a stale memo.
 */
#ifndef NWBPF_LIB_LEARN_MEMO_H
#define NWBPF_LIB_LEARN_MEMO_H

#include "lib/common.h"
#include "lib/fdb_gen.h"

#define LEARN_MEMO_BITS 10
#define LEARN_MEMO_SLOTS (1u << LEARN_MEMO_BITS)
#define LEARN_MEMO_JIFFIES 100

struct learn_memo {
	struct nwbpf_fdb_key key;
	__u32 kind;      /* 0 (no NWBPF_FDB_* value): empty slot */
	__u64 gen;       /* FDB generation when filled */
	__u64 jiffies;   /* when the full pass ran */
	__u32 ifindex;   /* where the MAC was: as in nwbpf_fdb_entry */
	__be32 vtep;
};
_Static_assert(sizeof(struct learn_memo) == 40, "learn_memo size");

/* Not pinned: a new program load starts with an empty memo. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LEARN_MEMO_SLOTS);
	__type(key, __u32);
	__type(value, struct learn_memo);
} learn_memo SEC(".maps");

/* Does memo m say the full pass would do nothing for this frame now? */
static __always_inline int learn_memo_hit(const struct learn_memo *m, const struct nwbpf_fdb_key *k, __u64 gen,
					  __u8 kind, __u32 ifindex, __be32 vtep, __u64 jiffies)
{
	return fdb_key_eq(&m->key, k) && m->gen == gen && m->kind == kind && m->ifindex == ifindex &&
	       m->vtep == vtep && jiffies - m->jiffies < LEARN_MEMO_JIFFIES;
}

static __always_inline void learn_memo_fill(struct learn_memo *m, const struct nwbpf_fdb_key *k, __u64 gen,
					    __u8 kind, __u32 ifindex, __be32 vtep, __u64 jiffies)
{
	m->key = *k;
	m->gen = gen;
	m->jiffies = jiffies;
	m->ifindex = ifindex;
	m->vtep = vtep;
	m->kind = kind;
}

#endif
