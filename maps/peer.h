/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VTEPs. "peers" maps a VTEP's overlay address to its NBMA (underlay)
 * address; it is the data plane's NHRP cache: [[peer]]s, NHRP bindings
 * (shortcuts, the NHSes; a route server's registrations) and EVPN VTEPs
 * outside the overlay range. A VTEP without an entry is reached through the
 * route server (settings.relay_nbma).
 * "peer_nbma" is the reverse index used on WAN ingress to accept VXLAN only
 * from known peers. An underlay VTEP (EVPN next hop outside bgp_range) has
 * overlay == nbma. Both are direct-mapped by address (nwbpf/slots.h).
 */
#ifndef NWBPF_MAPS_PEER_H
#define NWBPF_MAPS_PEER_H

#include "nwbpf/abi.h"
#include "nwbpf/slots.h"

/* peer.flags: a frame was encapsulated to this peer since the agent last
 * wrote the entry (BPF sets it once: a read per frame, one write). The
 * agent's shortcut refresh reads it; the reconciler ignores it. The two
 * bytes were one zero __u16 before, so older pins read as epoch 0, unused. */
#define NWBPF_PEER_USED (1u << 0)
/* peer.flags, set by the agent: the peer is behind a NAT (NHRP told us its
 * NAT'd address). Frames to it leave from UDP port 4789 to nbma_port, which
 * BPF learns from the peer's own frames (the port its NAT picked for us);
 * 0 = not learned yet: they go through the route server meanwhile
 * (bpf/README.md, "NAT traversal"). */
#define NWBPF_PEER_NAT (1u << 1)
/* peer.flags, set by the agent: an IPsec CHILD_SA with the peer's NBMA
 * address is installed (charon's child-updown). With NWBPF_SET_ENCRYPT a
 * peer without it gets no frame and none of its frames is taken. */
#define NWBPF_PEER_SA (1u << 2)

struct nwbpf_peer {
	__be32 nbma;      /* outer destination address */
	/* Outer UDP destination port (network order); 0 = 4789. With
	 * NWBPF_PEER_NAT: written by BPF, 0 = not learned yet. */
	__be16 nbma_port;
	__u8 flags;       /* NWBPF_PEER_USED (BPF's), NWBPF_PEER_NAT and _SA (the agent's) */
	__u8 epoch;       /* the agent's: a new epoch rewrites the entry, clearing USED */
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
