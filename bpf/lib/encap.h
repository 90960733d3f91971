/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN encapsulation shared by XDP and TC: resolve the VTEP to its NBMA
 * address and next hop, then build the 50-byte outer header
 * (Ethernet/IPv4/UDP/VXLAN, RFC 7348 section 5) on the stack; the caller
 * copies it in front of the inner frame with its hook's helpers.
 */
#ifndef NWBPF_LIB_ENCAP_H
#define NWBPF_LIB_ENCAP_H

#include "lib/common.h"
#include "lib/parse.h"

struct vxlan_outer {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	struct vxlanhdr vx;
} __attribute__((packed));
_Static_assert(sizeof(struct vxlan_outer) == NWBPF_VXLAN_OVERHEAD, "outer header is 50 bytes");

/* Outer IPv4 length beyond the inner frame: IPv4 + UDP + VXLAN. */
#define OUTER_L3_OVERHEAD (NWBPF_VXLAN_OVERHEAD - (int)sizeof(struct ethhdr))
#define DEFAULT_TTL 64

struct encap_plan {
	__u8 dmac[ETH_ALEN];
	__u8 smac[ETH_ALEN];
	__be32 nbma;     /* outer destination */
	__be32 nexthop;  /* from the fib: nbma or its gateway */
	__be16 dport;
	__be16 sport;
	__u32 ifindex;   /* egress device from the fib */
	__u32 vni;
};

/* Fills nbma/dport for vtep. 0 or a drop. */
static __always_inline int encap_peer(const struct nwbpf_settings *s, __be32 vtep, struct encap_plan *p)
{
	const struct nwbpf_peer *peer = bpf_map_lookup_elem(&peers, &vtep);

	if (!peer)
		return DROP(NWBPF_DROP_PEER_UNRESOLVED);
	if (!s->local_nbma)
		return DROP(NWBPF_DROP_NO_ROUTE);
	p->nbma = peer->nbma;
	p->dport = peer->nbma_port ? peer->nbma_port : bpf_htons(NWBPF_VXLAN_PORT);
	return 0;
}

/* Frame too big for the WAN once encapsulated? wan_mtu 0: not limited. */
static __always_inline int encap_too_big(const struct nwbpf_settings *s, __u32 inner_len)
{
	return s->wan_mtu && inner_len + OUTER_L3_OVERHEAD > s->wan_mtu;
}

/*
 * Route lookup towards p->nbma out of the WAN device. Returns the
 * BPF_FIB_LKUP_RET_* code; on SUCCESS the MACs, egress and next hop are in
 * p, on NO_NEIGH the egress and next hop. The kernel answers FWD_DISABLED
 * unless IPv4 forwarding is on for the WAN device (even for an output
 * lookup): the agent sets net.ipv4.conf.<wan>.forwarding=1.
 */
static __always_inline long encap_fib(void *ctx, const struct nwbpf_settings *s, struct encap_plan *p)
{
	struct bpf_fib_lookup fib = {
		.family = 2 /* AF_INET */,
		.l4_protocol = IPPROTO_UDP,
		.sport = p->sport,
		.dport = p->dport,
		.ipv4_src = s->local_nbma,
		.ipv4_dst = p->nbma,
		.ifindex = s->wan_ifindex,
	};
	long rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), BPF_FIB_LOOKUP_OUTPUT);

	if (rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		__builtin_memcpy(p->dmac, fib.dmac, ETH_ALEN);
		__builtin_memcpy(p->smac, fib.smac, ETH_ALEN);
		p->ifindex = fib.ifindex ? fib.ifindex : s->wan_ifindex;
		p->nexthop = fib.ipv4_dst;
	}
	return rc;
}

static __always_inline __sum16 ipv4_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;

	for (int i = 0; i < (int)sizeof(*ip) / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

/*
 * Outer header for an inner frame of inner_len bytes (untagged). UDP
 * checksum 0 (RFC 7348 section 5). IP ID: 0 when DF is set (the datagram is
 * atomic, RFC 6864), otherwise random so fragments of different datagrams
 * do not collide.
 */
static __always_inline void encap_build(struct vxlan_outer *o, const struct nwbpf_settings *s,
					const struct encap_plan *p, __u32 inner_len)
{
	int df = s->flags & NWBPF_SET_DF;
	struct iphdr ip = {
		.version = 4,
		.ihl = 5,
		.tot_len = bpf_htons(inner_len + OUTER_L3_OVERHEAD),
		.id = df ? 0 : (__be16)bpf_get_prandom_u32(),
		.frag_off = df ? bpf_htons(0x4000) : 0,
		.ttl = s->ttl ? s->ttl : DEFAULT_TTL,
		.protocol = IPPROTO_UDP,
		.saddr = s->local_nbma,
		.daddr = p->nbma,
	};

	ip.check = ipv4_csum(&ip); /* built aligned, then copied into place */
	__builtin_memcpy(o->eth.h_dest, p->dmac, ETH_ALEN);
	__builtin_memcpy(o->eth.h_source, p->smac, ETH_ALEN);
	o->eth.h_proto = ETH_P_IP_BE;
	o->ip = ip;
	o->udp.source = p->sport;
	o->udp.dest = p->dport;
	o->udp.len = bpf_htons(inner_len + OUTER_L3_OVERHEAD - sizeof(struct iphdr));
	o->udp.check = 0;
	o->vx.flags = NWBPF_VXLAN_FLAG_I;
	o->vx.reserved1[0] = 0;
	o->vx.reserved1[1] = 0;
	o->vx.reserved1[2] = 0;
	o->vx.vni = bpf_htonl(p->vni << 8);
}

#endif
