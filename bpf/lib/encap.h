/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN encapsulation shared by XDP and TC: resolve the VTEP to its NBMA
 * address (or, without a peers entry, to the route server's, marking the
 * frame relayed), then write the 50-byte outer header
 * (Ethernet/IPv4/UDP/VXLAN, RFC 7348 section 5): XDP into the frame, TC
 * into a stack buffer it stores with bpf_skb_store_bytes. The outer MACs come
 * from the agent's next-hop map (lib/nexthop.h), never from a fib lookup.
 */
#ifndef NWBPF_LIB_ENCAP_H
#define NWBPF_LIB_ENCAP_H

#include "lib/common.h"
#include "lib/events.h"
#include "lib/parse.h"
#include "lib/slots.h"

/* Ethernet header aligned like the packet's (the UAPI ethhdr is packed,
 * which would turn every store into byte stores). */
struct eth_hdr {
	__u8 dst[ETH_ALEN];
	__u8 src[ETH_ALEN];
	__be16 proto;
};

/*
 * TC builds the outer header on the stack, where the verifier insists on
 * natural alignment: two bytes of lead pad put the IPv4 header on a 4-byte
 * boundary, as in a packet. XDP writes it straight into the frame.
 */
struct vxlan_outer_buf {
	__u16 pad;
	__u8 hdr[NWBPF_VXLAN_OVERHEAD];
} __attribute__((aligned(8)));

/* Outer IPv4 length beyond the inner frame: IPv4 + UDP + VXLAN. */
#define OUTER_L3_OVERHEAD (NWBPF_VXLAN_OVERHEAD - (int)sizeof(struct eth_hdr))
#define DEFAULT_TTL 64

struct encap_plan {
	__be32 nbma;     /* outer destination */
	__be16 dport;
	/* encap_peer sets the VXLAN port for a peer behind NAT, else 0: the
	 * caller then fills in the flow's (lib/flowhash.h). */
	__be16 sport;
	__u32 vni;
	__be32 relay_vtep; /* through the route server to this VTEP; 0: direct */
};

/* The shortcut refresh wants to know a peer is in use: mark it once (a
 * read per frame, a write only the first time after the agent's rewrite). */
static __always_inline void peer_mark_used(const struct nwbpf_peer *peer)
{
	if (!(peer->flags & NWBPF_PEER_USED))
		((struct nwbpf_peer *)peer)->flags |= NWBPF_PEER_USED;
}

/* Through the route server (settings.relay_nbma) to vtep, or the drop
 * `none` without one or in kernel-tunnel mode (the kernel writes that
 * VXLAN header, with no room for the target). */
static __always_inline int encap_via_relay(const struct nwbpf_settings *s, __be32 vtep, struct encap_plan *p,
					   __u32 none)
{
	if (!s->relay_nbma || s->mode == NWBPF_MODE_KERNEL_TUNNEL)
		return DROP(none);
	p->nbma = s->relay_nbma;
	p->dport = bpf_htons(NWBPF_VXLAN_PORT);
	p->sport = 0;
	p->relay_vtep = vtep;
	return 0;
}

/*
 * Fills nbma/dport/sport/relay_vtep for vtep (p->vni set). A VTEP without
 * a peers entry (NHRP has not resolved it) is asked for (PEER_MISS event)
 * and reached through the route server (encap_via_relay; else dropped
 * peer_unresolved). A peer behind NAT (NWBPF_PEER_NAT) is sent to from
 * port 4789, what its NAT's mapping was opened to, at the port BPF learned
 * (lib/nat.h); until then through the route server like a miss, but with
 * no event (the agent has the binding; the peer's frames will teach us),
 * else dropped nat_port_unknown. With NWBPF_SET_ENCRYPT a peer without
 * an IPsec SA (NWBPF_PEER_SA) is dropped no_sa. 0 or a drop.
 */
static __always_inline int encap_peer(const struct nwbpf_settings *s, __be32 vtep, struct encap_plan *p)
{
	const struct nwbpf_peer *peer = peer_get(vtep);

	if (!s->local_nbma)
		return DROP(NWBPF_DROP_NO_ROUTE);
	if (unlikely(!peer)) {
		event_peer_miss(p->vni, vtep);
		return encap_via_relay(s, vtep, p, NWBPF_DROP_PEER_UNRESOLVED);
	}
	peer_mark_used(peer);
	/* Fail closed: without an SA the kernel would send it in plaintext
	 * (or its trap policy would drop it, uncounted). */
	if ((s->flags & NWBPF_SET_ENCRYPT) && !(peer->flags & NWBPF_PEER_SA))
		return DROP(NWBPF_DROP_NO_SA);
	p->nbma = peer->nbma;
	p->dport = peer->nbma_port ? peer->nbma_port : bpf_htons(NWBPF_VXLAN_PORT);
	p->sport = 0;
	p->relay_vtep = 0;
	if (likely(!(peer->flags & NWBPF_PEER_NAT)))
		return 0;
	if (!peer->nbma_port)
		return encap_via_relay(s, vtep, p, NWBPF_DROP_NAT_PORT_UNKNOWN);
	p->sport = bpf_htons(NWBPF_VXLAN_PORT);
	return 0;
}

/* Frame too big for the WAN once encapsulated? wan_mtu 0: not limited. */
static __always_inline int encap_too_big(const struct nwbpf_settings *s, __u32 inner_len)
{
	return s->wan_mtu && inner_len + OUTER_L3_OVERHEAD > s->wan_mtu;
}

/*
 * Writes the 50-byte outer header for an inner frame of inner_len bytes
 * (untagged) at o, with the MACs of next hop nh; NULL leaves them zero for
 * bpf_redirect_neigh to fill. UDP checksum 0 (RFC 7348 section 5). IP ID: 0 when DF is
 * set (the datagram is atomic, RFC 6864), otherwise random so fragments of
 * different datagrams do not collide. The IPv4 checksum is summed from the
 * values rather than read back from memory. A relayed frame's VXLAN header
 * carries the target VTEP (nwbpf/consts.h, NWBPF_VXLAN_FLAG_RELAY).
 */
static __always_inline void encap_write(void *o, const struct nwbpf_settings *s, const struct encap_plan *p,
					const struct nwbpf_nexthop *nh, __u32 inner_len)
{
	struct eth_hdr *eth = o;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct vxlanhdr *vx = (void *)(udp + 1);
	int df = s->flags & NWBPF_SET_DF;
	__u32 tot_len = inner_len + OUTER_L3_OVERHEAD;
	__u32 id = df ? 0 : bpf_get_prandom_u32() & 0xffff;
	__u32 frag = df ? 0x4000 : 0;
	__u32 ttl = s->ttl ? s->ttl : DEFAULT_TTL;
	__u32 sa = bpf_ntohl(s->local_nbma);
	__u32 da = bpf_ntohl(p->nbma);
	__u32 sum = 0x4500 + tot_len + id + frag + (ttl << 8 | IPPROTO_UDP) + (sa >> 16) + (sa & 0xffff) +
		    (da >> 16) + (da & 0xffff);

	sum = (sum & 0xffff) + (sum >> 16);
	sum += sum >> 16;
	if (nh)
		__builtin_memcpy(eth, nh->dmac, 2 * ETH_ALEN); /* dmac, smac */
	else
		__builtin_memset(eth, 0, 2 * ETH_ALEN);
	eth->proto = ETH_P_IP_BE;
	*(__be16 *)ip = bpf_htons(0x4500); /* version 4, IHL 5, TOS 0 */
	ip->tot_len = bpf_htons(tot_len);
	ip->id = bpf_htons(id);
	ip->frag_off = bpf_htons(frag);
	ip->ttl = ttl;
	ip->protocol = IPPROTO_UDP;
	ip->check = bpf_htons(~sum & 0xffff);
	ip->saddr = s->local_nbma;
	ip->daddr = p->nbma;
	udp->source = p->sport;
	udp->dest = p->dport;
	udp->len = bpf_htons(tot_len - sizeof(struct iphdr));
	udp->check = 0;
	if (p->relay_vtep) {
		vxlan_put_relayed(vx, p->vni, p->relay_vtep);
		return;
	}
	vx->flags = bpf_htonl(NWBPF_VXLAN_FLAG_I << 24);
	vx->vni = bpf_htonl(p->vni << 8);
}

#endif
