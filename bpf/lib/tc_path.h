/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TC paths: everything, for every mode. In XDP mode TC gets what XDP handed
 * over (BUM, targets without XDP, NBMA addresses without a next-hop entry); XDP has already
 * counted those frames as received, so TC counts *_rx and wan_pass only in
 * the other modes.
 */
#ifndef NWBPF_LIB_TC_PATH_H
#define NWBPF_LIB_TC_PATH_H

#include "lib/acl.h"
#include "lib/common.h"
#include "lib/counters.h"
#include "lib/encap.h"
#include "lib/events.h"
#include "lib/flowhash.h"
#include "lib/forward.h"
#include "lib/mss.h"
#include "lib/nat.h"
#include "lib/nexthop.h"
#include "lib/parse.h"
#include "lib/relay.h"
#include "lib/tc_flood.h"
#include "lib/tc_skb.h"
#include "lib/vlan.h"

static __always_inline int tc_counts_rx(const struct nwbpf_settings *s)
{
	return s->mode != NWBPF_MODE_XDP;
}

static __always_inline int tc_to_local(struct __sk_buff *skb, int tagged_now, const struct fwd_target *t,
				       __u32 vid, __u32 stat, __u32 len)
{
	int want = port_tags_vlan(t->out, vid);

	if (want != tagged_now &&
	    (want ? bpf_skb_vlan_push(skb, ETH_P_8021Q_BE, vid) : bpf_skb_vlan_pop(skb)))
		return tc_drop(NWBPF_DROP_HELPER_FAILED, len);
	stat_add(stat, len);
	return bpf_redirect(t->out_ifindex, 0);
}

/* Edge frame to one VTEP: plaintext VXLAN, or the kernel's VXLAN device. */
static __always_inline int tc_to_remote(struct __sk_buff *skb, const struct nwbpf_settings *s,
					const struct edge_frame *f, __u32 vid, __be32 vtep, __be16 sport,
					__u32 len)
{
	__u32 inner_len = len - (f->tag == TAG_INBAND ? VLAN_HLEN : 0);
	struct encap_plan p = { .vni = vid };
	const struct nwbpf_nexthop *nh;
	__be16 inner_proto = f->proto;
	int ret;

	ret = encap_peer(s, vtep, &p);
	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	if (!p.sport)
		p.sport = sport;
	/* GSO skbs are segmented to fit after adjust_room lowers their MSS. */
	if (!skb->gso_size && encap_too_big(s, inner_len))
		return tc_drop(NWBPF_DROP_MTU_EXCEEDED, len);
	if (s->mode == NWBPF_MODE_KERNEL_TUNNEL) {
		if (!s->tunnel_ifindex)
			return tc_drop(NWBPF_DROP_NO_ROUTE, len); /* fail closed */
		if ((f->tag != TAG_NONE && bpf_skb_vlan_pop(skb)) || tc_set_tunnel(skb, s, p.nbma, vid))
			return tc_drop(NWBPF_DROP_HELPER_FAILED, len);
		stat_add(NWBPF_STAT_TUNNEL_TX, len);
		return bpf_redirect(s->tunnel_ifindex, 0);
	}
	nh = nexthop_get(p.nbma);
	if (nh && nexthop_unroutable(nh))
		return tc_drop(NWBPF_DROP_NO_ROUTE, len);
	if (!nh) {
		stat_add(NWBPF_STAT_NEIGH_MISS, len);
		event_neigh_miss(vid, vtep, p.nbma);
		/* bpf_redirect_neigh routes by the outer IPv4 header, which only
		 * adjust_room (IP payloads) marks as the network header; an ARP
		 * reply waits for the agent's next-hop entry. */
		if (inner_proto != ETH_P_IP_BE && inner_proto != ETH_P_IPV6_BE)
			return tc_drop(NWBPF_DROP_NO_ROUTE, len);
	}
	if ((f->tag != TAG_NONE && bpf_skb_vlan_pop(skb)) || tc_encap_room(skb, inner_proto) ||
	    tc_store_outer(skb, s, &p, nh, inner_len))
		return tc_drop(NWBPF_DROP_HELPER_FAILED, len);
	stat_add(NWBPF_STAT_ENCAP, len);
	if (p.relay_vtep)
		stat_add(NWBPF_STAT_RELAY_OUT, len);
	if (nh)
		return bpf_redirect(nh->ifindex, 0);
	/* The kernel routes the outer packet out of the WAN device (an output
	 * route lookup: no IPv4 forwarding needed), resolves the next hop,
	 * fills in the MACs and queues the packet until ARP answers. */
	return bpf_redirect_neigh(s->wan_ifindex, NULL, 0, 0);
}

static __always_inline int tc_edge_run(struct __sk_buff *skb)
{
	const struct nwbpf_settings *s = settings_get();
	__u32 in_ifindex = skb->ifindex;
	__u32 len = skb->len;
	const struct nwbpf_port *port;
	struct fwd_target t = {};
	struct edge_frame f;
	void *data, *end;
	__be16 sport;
	int ret, vid, acl;

	if (!s)
		return TC_ACT_OK;
	if (tc_counts_rx(s))
		stat_add(NWBPF_STAT_EDGE_RX, len);
	port = port_get(in_ifindex);
	if (!port || port->role != NWBPF_PORT_EDGE)
		return tc_drop(NWBPF_DROP_PORT_UNKNOWN, len);
	tc_pull_headers(skb);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	ret = edge_parse(data, end, skb->vlan_present ? (int)skb->vlan_tci : -1, &f);
	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	vid = edge_ingress_vlan(port, &f);
	if (IS_DROP(vid))
		return tc_drop(DROP_REASON(vid), len);
	ret = edge_forward(f.eth, vid, in_ifindex, &t);
	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	if (ret == FWD_PASS)
		return TC_ACT_OK;
	if (ret == FWD_LOCAL)
		return tc_to_local(skb, f.tag != TAG_NONE, &t, vid, NWBPF_STAT_FWD_LOCAL, len);
	/* ebconfig filters what enters the overlay: the frame to a VTEP, or
	 * the remote copies of BUM (local copies go out whatever it says). */
	acl = acl_check(vid, &f, end, len);
	if (ret == FWD_REMOTE && IS_DROP(acl))
		return tc_drop(DROP_REASON(acl), len);
	sport = flow_sport(s, &f, end);
	/* Last use of the packet pointers: the clamp may pull. BUM copies to
	 * local ports are clamped as well (clamped before replication). */
	tc_mss_clamp(skb, f.l3 - data, f.proto, s, len);
	if (ret == FWD_REMOTE)
		return tc_to_remote(skb, s, &f, vid, t.vtep, sport, len);

	struct flood_ctx fc = {
		.skb = skb,
		.s = s,
		.p = { .vni = vid },
		.sport = sport,
		.skip_ifindex = in_ifindex,
		.vni = vid,
		.inner_len = len - (f.tag == TAG_INBAND ? VLAN_HLEN : 0),
		.len = len,
	};
	__be16 inner_proto = f.proto;

	if (f.tag != TAG_NONE && bpf_skb_vlan_pop(skb))
		return tc_drop(NWBPF_DROP_HELPER_FAILED, len);
	flood_local(&fc);
	if (IS_DROP(acl))
		count_drop(DROP_REASON(acl), len);
	else
		flood_remote(&fc, inner_proto);
	return TC_ACT_STOLEN; /* consumed: every copy has left */
}

/* Inner frame from a VTEP, still behind outer_len bytes of outer headers
 * (0: the kernel's VXLAN device removed them): to the VLAN's local ports. */
static __always_inline int tc_overlay_deliver(struct __sk_buff *skb, const struct nwbpf_settings *s,
					      const struct ethhdr *inner, __u32 vni, __be32 overlay,
					      __u32 outer_len, __u32 len)
{
	struct fwd_target t = {};
	int ret;

	ret = overlay_forward(inner, vni, &t);
	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	if (ret != FWD_LOCAL && !vlan_ports_get(vni))
		return tc_drop(NWBPF_DROP_VNI_NOT_LOCAL, len);
	overlay_learn(s, vni, inner->h_source, overlay);
	/* Last use of inner: the clamp may pull. */
	tc_mss_clamp(skb, outer_len + sizeof(*inner), inner->h_proto, s, len);
	if (outer_len && tc_decap(skb, outer_len))
		return tc_drop(NWBPF_DROP_HELPER_FAILED, len);
	if (ret == FWD_LOCAL)
		return tc_to_local(skb, 0, &t, vni, NWBPF_STAT_DECAP, len);

	struct flood_ctx fc = { .skb = skb, .s = s, .vni = vni, .len = len };

	flood_local(&fc);
	return TC_ACT_STOLEN;
}

/* Route server: rx to its target; without a next-hop entry the kernel
 * resolves the neighbour (the outer IPv4 header is the skb's network
 * header already, as received). */
static __always_inline int tc_relay(const struct nwbpf_settings *s, struct vxlan_rx *rx, __u32 len)
{
	struct relay_plan p;
	int ret = relay_plan(rx, &p);

	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	if (!p.nh) {
		stat_add(NWBPF_STAT_NEIGH_MISS, len);
		event_neigh_miss(rx->vni, rx->relay_addr, p.peer->nbma);
	}
	relay_write(s, rx, &p, len);
	if (p.nh)
		return bpf_redirect(p.nh->ifindex, 0);
	return bpf_redirect_neigh(s->wan_ifindex, NULL, 0, 0);
}

static __always_inline int tc_wan_run(struct __sk_buff *skb)
{
	const struct nwbpf_settings *s = settings_get();
	__u32 len = skb->len;
	struct vxlan_rx rx;
	int ret;

	if (!s)
		return TC_ACT_OK;
	if (tc_counts_rx(s))
		stat_add(NWBPF_STAT_WAN_RX, len);
	/* Kernel-tunnel mode: the VXLAN device decapsulates (after XFRM). */
	if (s->mode == NWBPF_MODE_KERNEL_TUNNEL || skb->vlan_present)
		goto pass;
	tc_pull_headers(skb);
	ret = vxlan_parse((void *)(long)skb->data, (void *)(long)skb->data_end, skb->len, s, &rx);
	if (IS_DROP(ret))
		return tc_drop(DROP_REASON(ret), len);
	if (ret == FWD_PASS)
		goto pass;
	/* Before the frame path, as in xdp_wan_run (lib/xdp_path.h). */
	if (ret == FWD_PROBE) {
		stat_add(NWBPF_STAT_NAT_PROBE_RX, len);
		nat_learn(&rx, len);
		return TC_ACT_SHOT; /* consumed, not a drop */
	}
	nat_learn(&rx, len);
	if (relay_wanted(s, &rx))
		return tc_relay(s, &rx, len);
	return tc_overlay_deliver(skb, s, rx.inner, rx.vni, rx.overlay, rx.outer_len, len);
pass:
	if (tc_counts_rx(s))
		stat_add(NWBPF_STAT_WAN_PASS, len);
	return TC_ACT_OK;
}

/* An IPsec SA is up with the VTEP (encrypted overlay). The kernel checks
 * its inbound policy only where charon installed one: a peer with no SA
 * has none, so its plaintext VXLAN would reach the device. */
static __always_inline int peer_has_sa(__be32 overlay)
{
	const struct nwbpf_peer *peer = peer_get(overlay);

	return peer && (peer->flags & NWBPF_PEER_SA);
}

/* Ingress of the collect_md VXLAN device: the kernel decapsulated; the
 * tunnel key says which VTEP (outer source) and VNI. */
static __always_inline int tc_tunnel_run(struct __sk_buff *skb)
{
	const struct nwbpf_settings *s = settings_get();
	const struct nwbpf_peer_nbma *peer;
	struct bpf_tunnel_key key = {};
	__u32 len = skb->len;
	struct ethhdr *eth;
	void *end;
	__be32 nbma;

	if (!s)
		return TC_ACT_OK;
	stat_add(NWBPF_STAT_TUNNEL_RX, len);
	if (bpf_skb_get_tunnel_key(skb, &key, sizeof(key), 0))
		return tc_drop(NWBPF_DROP_MALFORMED, len);
	nbma = bpf_htonl(key.remote_ipv4);
	peer = peer_by_nbma(nbma);
	if (!peer)
		return tc_drop(NWBPF_DROP_UNKNOWN_PEER, len);
	if ((s->flags & NWBPF_SET_ENCRYPT) && !peer_has_sa(peer->overlay))
		return tc_drop(NWBPF_DROP_NO_SA, len);
	/* The stack moves an inner 802.1Q tag into metadata before TC. */
	if (skb->vlan_present)
		return tc_drop(NWBPF_DROP_INNER_VLAN, len);
	tc_pull_headers(skb);
	eth = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	if ((void *)(eth + 1) > end)
		return tc_drop(NWBPF_DROP_MALFORMED, len);
	return tc_overlay_deliver(skb, s, eth, key.tunnel_id, peer->overlay, 0, len);
}

#endif
