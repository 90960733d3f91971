/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookups in the direct-mapped tables (include/nwbpf/slots.h): the slot the
 * key maps to, taken only if its entry carries that key, else the overflow
 * HASH. The usual case is one inlined array load and a compare.
 */
#ifndef NWBPF_LIB_SLOTS_H
#define NWBPF_LIB_SLOTS_H

#include "lib/common.h"

/* Entry of `map` (ARRAY) or `map`_overflow (HASH) whose `field` is `key`
 * (an lvalue: the overflow is searched by its address), or NULL. */
#define SLOTTED_GET(map, slot_of, key, field)                                 \
	({                                                                      \
		__u32 slot_ = slot_of(key);                                     \
		typeof(map.value) e_ = bpf_map_lookup_elem(&map, &slot_);       \
		if (!e_ || e_->field != (key) || !(key))                        \
			e_ = bpf_map_lookup_elem(&map##_overflow, &(key));      \
		e_;                                                             \
	})

static __always_inline const struct nwbpf_port *port_get(__u32 ifindex)
{
	return SLOTTED_GET(ports, nwbpf_port_slot, ifindex, ifindex);
}

static __always_inline const struct nwbpf_peer *peer_get(__be32 overlay)
{
	return SLOTTED_GET(peers, nwbpf_addr_slot, overlay, overlay);
}

/* The peer whose NBMA address is nbma: VXLAN is accepted only from these. */
static __always_inline const struct nwbpf_peer_nbma *peer_by_nbma(__be32 nbma)
{
	return SLOTTED_GET(peer_nbma, nwbpf_addr_slot, nbma, nbma);
}

#endif
