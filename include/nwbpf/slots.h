/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Direct-mapped tables. The maps a frame looks up besides the FDB (ports,
 * peers, peer_nbma, nexthops) are each an ARRAY of slots plus a HASH
 * "<name>_overflow": an entry lives in the slot its key maps to when that
 * slot is free, else in the overflow, and every entry carries its own key so
 * a reader can tell whether the slot holds the one it wants. Why: an ARRAY
 * lookup is inlined into a load, a HASH lookup costs a call, a hash and a key
 * compare, about 30 ns here (bpf/README.md), and a frame made four of them.
 * A zero key (ifindex 0, address 0.0.0.0) marks an empty slot; it is never
 * a real key. Built by clang-bpf and g++: both must place keys alike.
 */
#ifndef NWBPF_SLOTS_H
#define NWBPF_SLOTS_H

#include "nwbpf/abi.h"

#define NWBPF_PORT_SLOTS 256
#define NWBPF_ADDR_SLOT_BITS 12
#define NWBPF_ADDR_SLOTS (1u << NWBPF_ADDR_SLOT_BITS)

/* Consecutive ifindexes (what a host hands out) never collide. */
static inline __u32 nwbpf_port_slot(__u32 ifindex)
{
	return ifindex % NWBPF_PORT_SLOTS;
}

/* IPv4 address as stored (network order): a multiplicative hash, so
 * neighbouring addresses spread over the table. */
static inline __u32 nwbpf_addr_slot(__be32 addr)
{
	return (__u32)((__u32)addr * 0x9e3779b1u) >> (32 - NWBPF_ADDR_SLOT_BITS);
}

#endif
