/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDP fast path: known unicast only. Every case XDP cannot finish (BUM, a
 * target device that does not take XDP frames, an NBMA address without a
 * next-hop entry, kernel-tunnel mode) returns XDP_PASS before the frame is
 * modified, and the TC program on the same device does the work (xdp_to_tc).
 */
#ifndef NWBPF_LIB_XDP_PATH_H
#define NWBPF_LIB_XDP_PATH_H

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
#include "lib/vlan.h"

static __always_inline int xdp_deliverable(const struct nwbpf_port *p)
{
	return p && (p->flags & NWBPF_PORT_XDP_TX);
}

/* Edge frame f (VLAN vid) to VTEP vtep, out of its next hop's device. */
static __always_inline int xdp_encap(struct xdp_md *ctx, const struct nwbpf_settings *s,
				     const struct edge_frame *f, __u32 vid, __be32 vtep, __u32 len)
{
	void *end = (void *)(long)ctx->data_end;
	int tag_len = f->tag == TAG_INBAND ? VLAN_HLEN : 0;
	__u32 inner_len = len - tag_len;
	struct encap_plan p = { .vni = vid };
	const struct nwbpf_nexthop *nh;
	__u8 macs[2 * ETH_ALEN];
	void *data;
	int ret;

	if (s->mode == NWBPF_MODE_KERNEL_TUNNEL) /* only the kernel may encapsulate */
		return xdp_to_tc(len);
	ret = encap_peer(s, vtep, &p);
	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	if (encap_too_big(s, inner_len))
		return xdp_drop(NWBPF_DROP_MTU_EXCEEDED, len);
	nh = nexthop_get(p.nbma);
	if (!nh) {
		/* TC sends it through the kernel's neighbour code (and counts it). */
		event_neigh_miss(vid, vtep, p.nbma);
		return xdp_to_tc(len);
	}
	if (nexthop_unroutable(nh))
		return xdp_drop(NWBPF_DROP_NO_ROUTE, len);
	if (!nexthop_xdp_tx(nh))
		return xdp_to_tc(len);
	if (!p.sport)
		p.sport = flow_sport(s, f, end);
	mss_xdp_clamp((void *)(long)ctx->data, end, f->l3, f->proto, s, len);
	__builtin_memcpy(macs, f->eth, sizeof(macs));

	/* The inner EtherType stays where it is; a tag between it and the
	 * MACs is overwritten by moving the MACs up. */
	if (bpf_xdp_adjust_head(ctx, -(NWBPF_VXLAN_OVERHEAD - tag_len)))
		return xdp_drop(NWBPF_DROP_HELPER_FAILED, len);
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if (data + NWBPF_VXLAN_OVERHEAD + sizeof(struct ethhdr) > end)
		return xdp_drop(NWBPF_DROP_HELPER_FAILED, len);
	encap_write(data, s, &p, nh, inner_len);
	if (tag_len)
		__builtin_memcpy(data + NWBPF_VXLAN_OVERHEAD, macs, sizeof(macs));
	stat_add(NWBPF_STAT_ENCAP, len);
	if (p.relay_vtep)
		stat_add(NWBPF_STAT_RELAY_OUT, len);
	return bpf_redirect(nh->ifindex, 0);
}

/* xdp_encap behind ebconfig's filter. A permitted frame is counted on its
 * rule only when XDP finishes it: one handed to TC (XDP_PASS) is judged
 * and counted there, so every frame counts once. */
static __always_inline int xdp_to_remote(struct xdp_md *ctx, const struct nwbpf_settings *s,
					 const struct edge_frame *f, __u32 vid, __be32 vtep, __u32 len)
{
	struct acl_query acl;
	int ret;

	acl_decide(vid, f, (void *)(long)ctx->data_end, &acl);
	if (acl.action == NWBPF_ACL_DENY)
		return xdp_drop(DROP_REASON(acl_account(&acl, len)), len);
	ret = xdp_encap(ctx, s, f, vid, vtep, len);
	if (ret != XDP_PASS)
		acl_account(&acl, len);
	return ret;
}

static __always_inline int xdp_edge_run(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 in_ifindex = ctx->ingress_ifindex;
	__u32 len = end - data;
	const struct nwbpf_settings *s = settings_get();
	const struct nwbpf_port *port;
	struct fwd_target t = {};
	struct edge_frame f;
	int ret, vid;

	if (!s)
		return XDP_PASS;
	stat_add(NWBPF_STAT_EDGE_RX, len);
	port = port_get(in_ifindex);
	if (!port || port->role != NWBPF_PORT_EDGE)
		return xdp_drop(NWBPF_DROP_PORT_UNKNOWN, len);
	ret = edge_parse(data, end, -1, &f);
	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	vid = edge_ingress_vlan(port, &f);
	if (IS_DROP(vid))
		return xdp_drop(DROP_REASON(vid), len);
	ret = edge_forward(f.eth, vid, in_ifindex, &t);
	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	if (ret == FWD_PASS)
		return XDP_PASS;
	if (ret == FWD_REMOTE)
		return xdp_to_remote(ctx, s, &f, vid, t.vtep, len);
	if (ret != FWD_LOCAL || !xdp_deliverable(t.out))
		return xdp_to_tc(len);
	if (xdp_vlan_egress(ctx, f.tag == TAG_INBAND, t.out, vid))
		return xdp_drop(NWBPF_DROP_HELPER_FAILED, len);
	stat_add(NWBPF_STAT_FWD_LOCAL, len);
	return bpf_redirect(t.out_ifindex, 0);
}

/* Strips the outer headers (outer_len bytes) and tags for port out. */
static __always_inline int xdp_decap(struct xdp_md *ctx, __u32 outer_len, const struct nwbpf_port *out,
				     __u32 vni)
{
	if (!port_tags_vlan(out, vni))
		return bpf_xdp_adjust_head(ctx, outer_len) ? -1 : 0;
	return xdp_tag_at(ctx, outer_len, vni);
}

/* Route server: rx to its target, redirected out of the next hop's device
 * (usually the WAN it came in on). Not XDP_TX: a veth hands XDP_TX frames
 * to its peer without waking the peer's NAPI unless the peer runs an XDP
 * program itself (veth_xdp_flush), so on a veth underlay they waited in
 * the peer's ring until unrelated traffic came by; a redirect goes through
 * ndo_xdp_xmit, which flushes. No next-hop entry, or a device that does not
 * take XDP frames: TC relays it. */
static __always_inline int xdp_relay(struct xdp_md *ctx, const struct nwbpf_settings *s,
				     struct vxlan_rx *rx, __u32 len)
{
	struct relay_plan p;
	int ret = relay_plan(rx, &p);

	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	if (!p.nh) {
		event_neigh_miss(rx->vni, rx->relay_addr, p.peer->nbma);
		return xdp_to_tc(len);
	}
	if (!nexthop_xdp_tx(p.nh))
		return xdp_to_tc(len);
	relay_write(s, rx, &p, len);
	return bpf_redirect(p.nh->ifindex, 0);
}

static __always_inline int xdp_wan_run(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 len = end - data;
	const struct nwbpf_settings *s = settings_get();
	struct fwd_target t = {};
	struct vxlan_rx rx;
	int ret;

	if (!s)
		return XDP_PASS;
	stat_add(NWBPF_STAT_WAN_RX, len);
	if (s->mode == NWBPF_MODE_KERNEL_TUNNEL) {
		stat_add(NWBPF_STAT_WAN_PASS, len); /* the VXLAN device decapsulates */
		return XDP_PASS;
	}
	ret = vxlan_parse(data, end, (__u32)(end - data), s, &rx);
	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	if (ret == FWD_PASS) {
		stat_add(NWBPF_STAT_WAN_PASS, len);
		return XDP_PASS;
	}
	/* The probe leaves before the frame path starts, counted before it
	 * learns: a probe path that joined the frame path made the compiler
	 * tell them apart later by the probe flag, a test the 6.1 verifier
	 * could not follow (it went on with rx.vni holding the vx pointer). */
	if (ret == FWD_PROBE) {
		stat_add(NWBPF_STAT_NAT_PROBE_RX, len);
		nat_learn(&rx, len);
		return XDP_DROP; /* consumed, not a drop */
	}
	nat_learn(&rx, len);
	if (relay_wanted(s, &rx))
		return xdp_relay(ctx, s, &rx, len);
	ret = overlay_forward(rx.inner, rx.vni, &t);
	if (IS_DROP(ret))
		return xdp_drop(DROP_REASON(ret), len);
	if (ret != FWD_LOCAL || !xdp_deliverable(t.out))
		return xdp_to_tc(len);
	overlay_learn(s, rx.vni, rx.inner->h_source, rx.overlay);
	mss_xdp_clamp(data, end, rx.inner + 1, rx.inner->h_proto, s, len);
	if (xdp_decap(ctx, rx.outer_len, t.out, rx.vni))
		return xdp_drop(NWBPF_DROP_HELPER_FAILED, len);
	stat_add(NWBPF_STAT_DECAP, len);
	return bpf_redirect(t.out_ifindex, 0);
}

#endif
