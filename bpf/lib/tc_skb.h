/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb operations of the TC paths: header pull, VXLAN push/pop, and the
 * tunnel key of kernel-tunnel mode. TC writes through helpers
 * (bpf_skb_store_bytes) rather than packet pointers because BUM replication
 * rewrites the skb after bpf_clone_redirect, when its data is shared with
 * the clones and must be copied before writing.
 */
#ifndef NWBPF_LIB_TC_SKB_H
#define NWBPF_LIB_TC_SKB_H

#include "lib/common.h"
#include "lib/encap.h"

/* Enough for Ethernet + tag + IPv4 with options / IPv6 + UDP + VXLAN + inner Ethernet. */
#define TC_HDR_PULL 128

/* Makes the first TC_HDR_PULL bytes (or the whole frame) linear, so
 * packet pointers reach the headers. */
static __always_inline void tc_pull_headers(struct __sk_buff *skb)
{
	__u32 want = skb->len < TC_HDR_PULL ? skb->len : TC_HDR_PULL;

	if ((long)skb->data_end - (long)skb->data < (long)want)
		bpf_skb_pull_data(skb, want);
}

/*
 * Opens NWBPF_VXLAN_OVERHEAD bytes in front of an untagged frame, leaving
 * the inner Ethernet header behind them; the caller stores the outer header.
 * IP/IPv6 payloads use bpf_skb_adjust_room with the encap flags so GSO
 * skbs are segmented as VXLAN (inner MSS shrinks by the overhead);
 * adjust_room refuses other EtherTypes (ARP...), which are never GSO and take
 * bpf_skb_change_head. 0 or -1.
 */
static __always_inline int tc_encap_room(struct __sk_buff *skb, __be16 inner_proto)
{
	const __u64 flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |
			    BPF_F_ADJ_ROOM_ENCAP_L2_ETH | BPF_F_ADJ_ROOM_ENCAP_L2(ETH_HLEN);
	struct ethhdr inner;

	if (inner_proto != ETH_P_IP_BE && inner_proto != ETH_P_IPV6_BE)
		return bpf_skb_change_head(skb, NWBPF_VXLAN_OVERHEAD, 0) ? -1 : 0;
	/* The room opens behind the MAC header: move that header behind it. */
	if (bpf_skb_load_bytes(skb, 0, &inner, sizeof(inner)))
		return -1;
	if (bpf_skb_adjust_room(skb, NWBPF_VXLAN_OVERHEAD, BPF_ADJ_ROOM_MAC, flags))
		return -1;
	return bpf_skb_store_bytes(skb, NWBPF_VXLAN_OVERHEAD, &inner, sizeof(inner), 0) ? -1 : 0;
}

/* Writes the outer header for plan p over the first NWBPF_VXLAN_OVERHEAD
 * bytes; MACs from nh, or zero (NULL) for bpf_redirect_neigh to fill. */
static __always_inline int tc_store_outer(struct __sk_buff *skb, const struct nwbpf_settings *s,
					  const struct encap_plan *p, const struct nwbpf_nexthop *nh,
					  __u32 inner_len)
{
	struct vxlan_outer_buf b;

	encap_write(b.hdr, s, p, nh, inner_len);
	return bpf_skb_store_bytes(skb, 0, b.hdr, sizeof(b.hdr), 0) ? -1 : 0;
}

/*
 * Removes outer_len bytes of outer headers in front of the inner Ethernet
 * header. adjust_room(MAC) cuts behind the first 14 bytes, so it cuts the
 * outer IP/UDP/VXLAN and the inner MAC header, and the inner MAC header is
 * then written over the outer one. The skb keeps protocol IPv4 (BPF cannot
 * set it); the egress device is Ethernet and the receiver re-derives it.
 * 0 or -1.
 */
static __always_inline int tc_decap(struct __sk_buff *skb, __u32 outer_len)
{
	struct ethhdr inner;

	if (outer_len > TC_HDR_PULL || bpf_skb_load_bytes(skb, outer_len, &inner, sizeof(inner)))
		return -1;
	if (bpf_skb_adjust_room(skb, -(__s32)outer_len, BPF_ADJ_ROOM_MAC, 0))
		return -1;
	return bpf_skb_store_bytes(skb, 0, &inner, sizeof(inner), 0) ? -1 : 0;
}

/* Kernel-tunnel mode: tunnel metadata for the collect_md VXLAN device. */
static __always_inline int tc_set_tunnel(struct __sk_buff *skb, const struct nwbpf_settings *s, __be32 nbma,
					 __u32 vni)
{
	struct bpf_tunnel_key key = {
		.tunnel_id = vni,
		.remote_ipv4 = bpf_ntohl(nbma),
		.tunnel_ttl = s->ttl ? s->ttl : DEFAULT_TTL,
		.local_ipv4 = bpf_ntohl(s->local_nbma),
	};
	__u64 flags = BPF_F_ZERO_CSUM_TX;

	if (s->flags & NWBPF_SET_DF)
		flags |= BPF_F_DONT_FRAGMENT;
	return bpf_skb_set_tunnel_key(skb, &key, sizeof(key), flags) ? -1 : 0;
}

#endif
