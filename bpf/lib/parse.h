/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds-checked header parsing shared by XDP and TC: a cursor over
 * [data, data_end) that hands out a header only when all of it is present.
 * Pointers returned are valid until the next helper that changes packet data.
 */
#ifndef NWBPF_LIB_PARSE_H
#define NWBPF_LIB_PARSE_H

#include "lib/common.h"
#include "lib/slots.h"

struct cursor {
	void *pos;
	void *end;
};

/* The length of IPv4 options as a mask: ihl * 4 - 20 is 0..40, a multiple of 4. */
#define IP_OPTS_MASK 0x3c

static __always_inline void *cursor_pull(struct cursor *c, __u32 len)
{
	void *p = c->pos;

	if (p + len > c->end)
		return NULL;
	c->pos = p + len;
	return p;
}

/* IPv4 frag_off bits (RFC 791), not in the UAPI headers. */
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct vxlanhdr {
	__be32 flags; /* flags << 24 | reserved */
	__be32 vni;   /* VNI << 8 | reserved */
};

#define VXLAN_RELAY_BE bpf_htonl(NWBPF_VXLAN_FLAG_RELAY << 24)
#define VXLAN_PROBE_BE bpf_htonl(NWBPF_VXLAN_FLAG_PROBE << 24)
#define VXLAN_PROBE_FLAGS_BE bpf_htonl((NWBPF_VXLAN_FLAG_I | NWBPF_VXLAN_FLAG_PROBE) << 24)

/* A relayed frame's header: I and RELAY flags, overlay address a.b.c.d in
 * the reserved fields (bytes 1..3 = a.b.c, byte 7 = d; nwbpf/consts.h). */
static __always_inline void vxlan_put_relayed(struct vxlanhdr *vx, __u32 vni, __be32 addr)
{
	__u32 a = bpf_ntohl(addr);

	vx->flags = bpf_htonl((__u32)(NWBPF_VXLAN_FLAG_I | NWBPF_VXLAN_FLAG_RELAY) << 24 | a >> 8);
	vx->vni = bpf_htonl(vni << 8 | (a & 0xff));
}

/* The overlay address in a relayed frame's reserved fields. */
static __always_inline __be32 vxlan_relay_addr(const struct vxlanhdr *vx)
{
	return bpf_htonl(bpf_ntohl(vx->flags) << 8 | (bpf_ntohl(vx->vni) & 0xff));
}

/* How the VLAN of an edge frame was carried. */
enum tag_kind {
	TAG_NONE = 0,
	TAG_INBAND = 1, /* 802.1Q header in the frame (XDP, or TC without offload) */
	TAG_ACCEL = 2,  /* in skb metadata: the stack untagged it before TC */
};

struct edge_frame {
	struct ethhdr *eth;
	void *l3;      /* first byte after the Ethernet header and in-band tag */
	__be16 proto;  /* EtherType of the payload */
	__u16 vid;     /* VLAN ID of the tag; meaningless with TAG_NONE */
	__u8 tag;      /* enum tag_kind */
};

/*
 * Ethernet and at most one 802.1Q tag. accel_tci >= 0: the tag came in skb
 * metadata. A second tag (802.1Q or 802.1ad) is refused: VXLAN must not
 * carry VLAN-tagged frames (RFC 7348 section 6.1), so such a frame could
 * never be delivered remotely.
 */
static __always_inline int edge_parse(void *data, void *end, int accel_tci, struct edge_frame *f)
{
	struct cursor c = { .pos = data, .end = end };
	struct vlan_tag *tag;

	f->eth = cursor_pull(&c, sizeof(struct ethhdr));
	if (!f->eth)
		return DROP(NWBPF_DROP_MALFORMED);
	f->proto = f->eth->h_proto;
	f->tag = TAG_NONE;
	f->vid = 0;
	if (accel_tci >= 0) {
		f->tag = TAG_ACCEL;
		f->vid = accel_tci & 0xfff;
	} else if (f->proto == ETH_P_8021Q_BE) {
		tag = cursor_pull(&c, sizeof(*tag));
		if (!tag)
			return DROP(NWBPF_DROP_MALFORMED);
		f->tag = TAG_INBAND;
		f->vid = bpf_ntohs(tag->tci) & 0xfff;
		f->proto = tag->encap_proto;
	}
	if (f->tag != TAG_NONE && is_vlan_proto(f->proto))
		return DROP(NWBPF_DROP_INNER_VLAN);
	f->l3 = c.pos;
	return 0;
}

struct vxlan_rx {
	struct ethhdr *inner;
	__u32 vni;
	__be32 overlay;    /* the sending VTEP's overlay address */
	__u32 outer_len;   /* bytes in front of the inner Ethernet header */
	/* NWBPF_VXLAN_FLAG_RELAY: the address in the reserved fields (the
	 * target's to a route server, the origin's from one); else 0. */
	__be32 relay_addr;
	/* The outer headers, for the route server's rewrite (lib/relay.h). */
	struct ethhdr *eth;
	struct iphdr *ip;
	struct udphdr *udp;
	struct vxlanhdr *vx;
};

/* A NAT probe (NWBPF_VXLAN_FLAG_PROBE): FWD_PROBE when it is exactly the
 * 8-byte header with flags I|PROBE and nothing else, else malformed (a
 * sender using our flag speaks our protocol: anything more, a VNI or the
 * RELAY flag, is a broken probe, not a frame to deliver). */
static __always_inline int vxlan_probe_check(const struct udphdr *udp, const struct vxlanhdr *vx)
{
	if (vx->flags != VXLAN_PROBE_FLAGS_BE || vx->vni || udp->len != bpf_htons(NWBPF_VXLAN_PROBE_UDP_LEN))
		return DROP(NWBPF_DROP_MALFORMED);
	return FWD_PROBE;
}

/*
 * Outer Ethernet/IPv4/UDP/VXLAN of a WAN frame. Returns FWD_PASS for
 * anything that is not VXLAN addressed to us (the host stack owns it), 0 with
 * rx filled for acceptable VXLAN, FWD_PROBE for a peer's NAT probe (rx
 * filled but for inner, vni, outer_len and relay_addr), or a drop. A frame
 * counts as VXLAN to us once it is IPv4 to settings.local_nbma, UDP, and to
 * port 4789; only then are its remaining headers held to be well formed.
 */
static __always_inline int vxlan_parse(void *data, void *end, __u32 frame_len,
				       const struct nwbpf_settings *s, struct vxlan_rx *rx)
{
	struct cursor c = { .pos = data, .end = end };
	const struct nwbpf_peer_nbma *peer;
	struct vxlanhdr *vx;
	struct ethhdr *eth;
	struct udphdr *udp;
	struct iphdr *ip;
	__u32 ihl_len, ip_len, tot_len;

	eth = cursor_pull(&c, sizeof(*eth));
	if (!eth)
		return DROP(NWBPF_DROP_MALFORMED);
	if (eth->h_proto != ETH_P_IP_BE)
		return FWD_PASS;
	ip = cursor_pull(&c, sizeof(*ip));
	if (!ip || ip->version != 4 || ip->ihl < 5)
		return FWD_PASS;
	ihl_len = ip->ihl * 4;
	/* Options: 0..40 bytes, a multiple of 4. The mask changes no valid
	 * length; it bounds the pull for the 6.1 verifier, which lost the
	 * ihl >= 5 test above and saw a 4 GB pointer range (no range at all). */
	if (!cursor_pull(&c, (ihl_len - sizeof(*ip)) & IP_OPTS_MASK))
		return FWD_PASS;
	if (ip->daddr != s->local_nbma || !s->local_nbma || ip->protocol != IPPROTO_UDP)
		return FWD_PASS;
	/* A non-first fragment has no UDP header to identify; the stack
	 * cannot reassemble it either, as the first fragment is dropped. */
	if (ip->frag_off & bpf_htons(IP_OFFSET))
		return FWD_PASS;
	udp = cursor_pull(&c, sizeof(*udp));
	if (!udp || udp->dest != bpf_htons(NWBPF_VXLAN_PORT))
		return FWD_PASS;

	peer = peer_by_nbma(ip->saddr);
	if (!peer)
		return DROP(NWBPF_DROP_UNKNOWN_PEER);
	if (ip->frag_off & bpf_htons(IP_MF))
		return DROP(NWBPF_DROP_OUTER_FRAGMENT);
	/* VXLAN frames carrying a frame are >= 64 bytes, so Ethernet never pads
	 * them: any length mismatch is a truncated or broken packet. A NAT
	 * probe (50 bytes) is padded to the Ethernet minimum (60) on a real
	 * link; in a frame that short no inner Ethernet header fits, so only a
	 * probe can pass. frame_len, not end: TC makes only the headers
	 * linear, the payload may lie in fragments. */
	ip_len = frame_len - (__u32)((void *)ip - data);
	tot_len = bpf_ntohs(ip->tot_len);
	if ((tot_len != ip_len && !(frame_len <= ETH_ZLEN && tot_len < ip_len)) ||
	    bpf_ntohs(udp->len) != tot_len - ihl_len)
		return DROP(NWBPF_DROP_MALFORMED);
	vx = cursor_pull(&c, sizeof(*vx));
	if (!vx)
		return DROP(NWBPF_DROP_MALFORMED);
	if (!(vx->flags & bpf_htonl(NWBPF_VXLAN_FLAG_I << 24)))
		return DROP(NWBPF_DROP_VXLAN_FLAGS);
	rx->overlay = peer->overlay;
	rx->eth = eth;
	rx->ip = ip;
	rx->udp = udp;
	rx->vx = vx;
	if (unlikely(vx->flags & VXLAN_PROBE_BE))
		return vxlan_probe_check(udp, vx);
	rx->relay_addr = 0;
	if (vx->flags & VXLAN_RELAY_BE) {
		rx->relay_addr = vxlan_relay_addr(vx);
		if (!rx->relay_addr) /* 0.0.0.0 names no VTEP */
			return DROP(NWBPF_DROP_MALFORMED);
	}
	rx->inner = cursor_pull(&c, sizeof(struct ethhdr));
	if (!rx->inner)
		return DROP(NWBPF_DROP_MALFORMED);
	rx->vni = bpf_ntohl(vx->vni) >> 8;
	rx->outer_len = (void *)rx->inner - data;
	return 0;
}

#endif
