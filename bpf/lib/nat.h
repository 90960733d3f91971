/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT traversal, receive side: learning the port a peer's NAT picked.
 * A NAT forwards inbound UDP only as an answer to a mapping its inside
 * opened, from the address and port that mapping went to: for a CE behind
 * one (peers entry with NWBPF_PEER_NAT, set by the agent from NHRP), that is
 * the NAT'd address and port its frames reach us from, which differ per
 * receiver when the NAT picks ports per destination. So the port is learned
 * here, from the peer's own frames (data or NAT probes), and encapsulation
 * sends to it from port 4789 (lib/encap.h, lib/relay.h).
 */
#ifndef NWBPF_LIB_NAT_H
#define NWBPF_LIB_NAT_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/parse.h"
#include "lib/slots.h"

/*
 * After vxlan_parse accepted rx (a frame or a probe) from a known peer:
 * a peer behind NAT whose frame comes from the NBMA address we have for it
 * (not, say, from an address it left) has its nbma_port set to the frame's
 * source port when that differs. BPF writes the agent's entry in place, as
 * peer_mark_used does; the agent leaves a learned port alone. Cost: one
 * direct-mapped peers lookup per received frame, a write only on a change.
 */
static __always_inline void nat_learn(const struct vxlan_rx *rx, __u32 len)
{
	const struct nwbpf_peer *peer = peer_get(rx->overlay);

	if (!peer || likely(!(peer->flags & NWBPF_PEER_NAT)) || peer->nbma != rx->ip->saddr ||
	    peer->nbma_port == rx->udp->source)
		return;
	((struct nwbpf_peer *)peer)->nbma_port = rx->udp->source;
	stat_add(NWBPF_STAT_NAT_PORT_LEARN, len);
}

#endif
