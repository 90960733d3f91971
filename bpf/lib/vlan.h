/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port VLAN model (as the Linux bridge): a port carries VLAN v when bit v of
 * member[] is set; frames of v leave it untagged when bit v of untagged[] is
 * set; untagged ingress frames belong to the PVID. VNI = VLAN ID.
 * XDP's tag push/pop (in the frame) live here too; TC uses
 * bpf_skb_vlan_push/pop, which keep the tag in skb metadata.
 */
#ifndef NWBPF_LIB_VLAN_H
#define NWBPF_LIB_VLAN_H

#include "lib/common.h"
#include "lib/parse.h"

static __always_inline int vlan_bit(const __u64 *words, __u32 vid)
{
	/* The barrier stops clang from dropping the mask after a caller's range
	 * check, which the verifier may not have tied to this register. */
	asm volatile("" : "+r"(vid));
	vid &= 0xfff;
	return (words[vid >> 6] >> (vid & 63)) & 1;
}

static __always_inline int port_has_vlan(const struct nwbpf_port *p, __u32 vid)
{
	return vid && vid <= NWBPF_VLAN_MAX && vlan_bit(p->member, vid);
}

static __always_inline int port_tags_vlan(const struct nwbpf_port *p, __u32 vid)
{
	return !vlan_bit(p->untagged, vid);
}

/* VLAN of a frame received on edge port p, or a drop. */
static __always_inline int edge_ingress_vlan(const struct nwbpf_port *p, const struct edge_frame *f)
{
	__u32 vid = f->tag == TAG_NONE ? p->pvid : f->vid;

	if (!port_has_vlan(p, vid))
		return DROP(NWBPF_DROP_VLAN_NOT_ALLOWED);
	return vid;
}

/* XDP: removes the in-band tag behind the MACs. 0 or -1. */
static __always_inline int xdp_vlan_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 macs[2 * ETH_ALEN];

	if (data + sizeof(struct ethhdr) + VLAN_HLEN > end)
		return -1;
	__builtin_memcpy(macs, data, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, VLAN_HLEN))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + sizeof(macs) > end)
		return -1;
	__builtin_memcpy(data, macs, sizeof(macs));
	return 0;
}

/*
 * XDP: the Ethernet header that starts mac_off bytes into the frame becomes
 * the frame's start, with an 802.1Q tag (PCP 0, vid) behind its MACs;
 * whatever lay in front of it is dropped. mac_off 0 pushes a tag; mac_off =
 * the outer header length decapsulates and tags with one head move (the tag
 * reuses the outer header's last 4 bytes). 0 or -1.
 */
static __always_inline int xdp_tag_at(struct xdp_md *ctx, __u32 mac_off, __u16 vid)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u8 macs[2 * ETH_ALEN];
	__be16 *tpid;

	if (mac_off > 128 || data + mac_off + sizeof(macs) > end)
		return -1;
	__builtin_memcpy(macs, data + mac_off, sizeof(macs));
	if (bpf_xdp_adjust_head(ctx, (int)mac_off - VLAN_HLEN))
		return -1;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + sizeof(macs) + VLAN_HLEN > end)
		return -1;
	__builtin_memcpy(data, macs, sizeof(macs));
	tpid = data + sizeof(macs); /* the old EtherType now follows the tag */
	tpid[0] = ETH_P_8021Q_BE;
	tpid[1] = bpf_htons(vid);
	return 0;
}

/* XDP: makes the frame's tagging what egress port out wants for vid. */
static __always_inline int xdp_vlan_egress(struct xdp_md *ctx, int tagged_now,
					   const struct nwbpf_port *out, __u16 vid)
{
	int want = port_tags_vlan(out, vid);

	if (want == tagged_now)
		return 0; /* same VLAN on both sides: the tag, if any, is right */
	return want ? xdp_tag_at(ctx, 0, vid) : xdp_vlan_pop(ctx);
}

#endif
