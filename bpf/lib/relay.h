/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route-server relay (settings NWBPF_SET_RELAY), shared by XDP and TC. A CE
 * with no NHRP entry for a VTEP sends the frame here, VXLAN to our NBMA
 * address with NWBPF_VXLAN_FLAG_RELAY and the target VTEP in the reserved
 * fields (lib/encap.h). We look the target up in our peers (the NHS's
 * registration cache) and rewrite the outer headers in place towards it:
 * MACs from its next hop, our NBMA address as source, its NBMA address and
 * port as destination, TTL - 1, and the reserved fields now naming the
 * origin, so the target learns the inner source behind the origin VTEP
 * rather than behind us. The frame is neither decapsulated nor re-encapsulated:
 * its length is unchanged, and the UDP source port (the origin's flow hash)
 * is kept, except towards a target behind NAT: from port 4789 to the port
 * learned from its frames (lib/nat.h), the only pair its NAT lets in.
 */
#ifndef NWBPF_LIB_RELAY_H
#define NWBPF_LIB_RELAY_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/encap.h"
#include "lib/events.h"
#include "lib/nexthop.h"
#include "lib/parse.h"
#include "lib/slots.h"

struct relay_plan {
	const struct nwbpf_peer *peer;  /* the target's entry */
	const struct nwbpf_nexthop *nh; /* its next hop; NULL: none yet */
};

/* Is rx for us to relay? A relayed frame reaching a node that does not
 * relay came from a route server and names its origin: that is the VTEP
 * behind which its inner source lives (the outer source is the route
 * server). Never relayed twice. */
static __always_inline int relay_wanted(const struct nwbpf_settings *s, struct vxlan_rx *rx)
{
	if (likely(!rx->relay_addr))
		return 0;
	if (s->flags & NWBPF_SET_RELAY)
		return 1;
	rx->overlay = rx->relay_addr;
	return 0;
}

/* Where rx goes: 0 with p filled, or a drop. Touches nothing. */
static __always_inline int relay_plan(const struct vxlan_rx *rx, struct relay_plan *p)
{
	p->peer = peer_get(rx->relay_addr);
	if (!p->peer)
		return DROP(NWBPF_DROP_RELAY_UNRESOLVED);
	if (p->peer->nbma == rx->ip->saddr) /* the origin itself */
		return DROP(NWBPF_DROP_RELAY_LOOP);
	if (rx->ip->ttl <= 1)
		return DROP(NWBPF_DROP_RELAY_TTL);
	/* Its probes teach us the port within moments of its registration. */
	if ((p->peer->flags & NWBPF_PEER_NAT) && !p->peer->nbma_port)
		return DROP(NWBPF_DROP_NAT_PORT_UNKNOWN);
	p->nh = nexthop_get(p->peer->nbma);
	if (p->nh && nexthop_unroutable(p->nh))
		return DROP(NWBPF_DROP_NO_ROUTE);
	return 0;
}

/* One's complement sum update for a 16-bit word changing from old to new
 * (RFC 1624 eqn. 3); words as loaded, the sum is byte-order independent. */
static __always_inline __u32 csum_update16(__u32 sum, __u16 old, __u16 new)
{
	return sum + (__u16)~old + new;
}

static __always_inline __u32 csum_update32(__u32 sum, __u32 old, __u32 new)
{
	sum = csum_update16(sum, old >> 16, new >> 16);
	return csum_update16(sum, old & 0xffff, new & 0xffff);
}

/*
 * Rewrites rx's outer headers for plan p (checked by relay_plan), through
 * the packet pointers vxlan_parse left in rx: XDP's frame, or TC's linear
 * head, which the verifier's prologue has made private (nothing has been
 * cloned yet at this point). Sends the RELAYED event and counts.
 */
static __always_inline void relay_write(const struct nwbpf_settings *s, struct vxlan_rx *rx,
					const struct relay_plan *p, __u32 len)
{
	struct iphdr *ip = rx->ip;
	__be32 origin_nbma = ip->saddr;
	__u16 *ttl_proto = (__u16 *)&ip->ttl;
	__u16 old_ttl_proto = *ttl_proto;
	__u32 sum = (__u16)~ip->check;

	if (p->nh)
		__builtin_memcpy(rx->eth, p->nh->dmac, 2 * ETH_ALEN); /* dmac, smac */
	else
		__builtin_memset(rx->eth, 0, 2 * ETH_ALEN); /* bpf_redirect_neigh fills them */
	ip->ttl--;
	sum = csum_update16(sum, old_ttl_proto, *ttl_proto);
	sum = csum_update32(sum, ip->saddr, s->local_nbma);
	sum = csum_update32(sum, ip->daddr, p->peer->nbma);
	sum = (sum & 0xffff) + (sum >> 16);
	sum += sum >> 16;
	ip->check = ~sum & 0xffff;
	ip->saddr = s->local_nbma;
	ip->daddr = p->peer->nbma;
	rx->udp->dest = p->peer->nbma_port ? p->peer->nbma_port : bpf_htons(NWBPF_VXLAN_PORT);
	if (p->peer->flags & NWBPF_PEER_NAT)
		rx->udp->source = bpf_htons(NWBPF_VXLAN_PORT);
	rx->udp->check = 0; /* its pseudo-header changed; 0 is allowed (RFC 7348 section 5) */
	vxlan_put_relayed(rx->vx, rx->vni, rx->overlay);
	stat_add(NWBPF_STAT_RELAY, len);
	event_relayed(rx->vni, rx->overlay, origin_nbma, rx->relay_addr);
}

#endif
