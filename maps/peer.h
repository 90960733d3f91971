/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VTEPs. "peers" maps a VTEP's overlay address to its NBMA (underlay)
 * address; it is the data plane's NHRP cache (static entries now, NHRP later).
 * "peer_nbma" is the reverse index used on WAN ingress to accept VXLAN only
 * from known peers. An underlay VTEP (EVPN next hop outside bgp_range) has
 * overlay == nbma. Both are direct-mapped by address (nwbpf/slots.h).
 */
#ifndef NWBPF_MAPS_PEER_H
#define NWBPF_MAPS_PEER_H

#include "nwbpf/abi.h"
#include "nwbpf/slots.h"

struct nwbpf_peer {
	__be32 nbma;      /* outer destination address */
	__be16 nbma_port; /* outer UDP destination port (network order); 0 = 4789 */
	__u16 flags;      /* reserved, zero */
	__be32 overlay;   /* the key: slots are told apart by it (nwbpf/slots.h) */
};
NWBPF_ASSERT_SIZE(struct nwbpf_peer, 12);

struct nwbpf_peer_nbma_key {
	__be32 nbma;
};
NWBPF_ASSERT_SIZE(struct nwbpf_peer_nbma_key, 4);

struct nwbpf_peer_nbma {
	__be32 overlay;
	__be32 nbma;      /* the key (nwbpf/slots.h) */
};
NWBPF_ASSERT_SIZE(struct nwbpf_peer_nbma, 8);

#endif
