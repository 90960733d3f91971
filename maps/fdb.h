/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Forwarding database: (VNI, MAC) -> edge port or VTEP.
 * Two maps share these types:
 *   fdb          HASH, written by the agent's reconciler only (static entries
 *                now, EVPN later). Never evicted.
 *   fdb_learned  LRU_HASH, written by BPF learning, aged out by the agent.
 * Lookup order in BPF: fdb, then fdb_learned (control plane wins).
 *
 * fdb_gen (ARRAY of one __u64, mmapable) is the FDB generation: whoever
 * changes where a MAC is in fdb or fdb_learned (BPF learning, the agent's
 * reconciler and ageing, tests) adds 1 to it *after* the change. BPF's
 * per-CPU memos of FDB answers (bpf/lib/fdb_memo.h, bpf/lib/learn_memo.h)
 * are stamped with it and void once it moves. A writer that forgets the
 * bump leaves frames following the old answer.
 */
#ifndef NWBPF_MAPS_FDB_H
#define NWBPF_MAPS_FDB_H

#include "nwbpf/abi.h"

struct nwbpf_fdb_key {
	__u32 vni;
	__u8 mac[6];
	__u16 pad; /* always zero: part of the hash */
};
NWBPF_ASSERT_SIZE(struct nwbpf_fdb_key, 12);

struct nwbpf_fdb_entry {
	__u64 last_seen_ns; /* learned: bpf_ktime_get_ns() of the last refresh; else 0 */
	__u32 ifindex;      /* LOCAL: edge port ifindex */
	__be32 vtep;        /* REMOTE: VTEP overlay address (key of the peers map) */
	__u8 kind;          /* enum nwbpf_fdb_kind */
	__u8 origin;        /* enum nwbpf_fdb_origin */
	__u16 flags;        /* reserved, zero */
	__u32 pad;
};
NWBPF_ASSERT_SIZE(struct nwbpf_fdb_entry, 24);

#endif
