/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUM ingress replication in TC: one bpf_clone_redirect per local port of
 * the VLAN (never the ingress port), tagged as that port wants, then one per
 * VTEP of the VNI's flood list. bpf_loop keeps the verifier's work constant
 * however long the lists are. The skb stays untagged between copies: a tag
 * for one port goes into skb metadata and comes out again after the clone.
 */
#ifndef NWBPF_LIB_TC_FLOOD_H
#define NWBPF_LIB_TC_FLOOD_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/encap.h"
#include "lib/events.h"
#include "lib/nexthop.h"
#include "lib/tc_skb.h"
#include "lib/vlan.h"

struct flood_ctx {
	struct __sk_buff *skb;
	const struct nwbpf_settings *s;
	const struct nwbpf_vlan_ports *vp;
	const struct nwbpf_flood *fl;
	struct encap_plan p;   /* per VTEP: nbma, ports; shared: vni */
	__be16 sport;          /* the flow's, for every VTEP not behind NAT */
	__u32 skip_ifindex;    /* the ingress edge port, 0 from a VTEP */
	__u32 vni;
	__u32 inner_len;
	__u32 len;             /* for the counters */
};

static long flood_local_one(__u32 i, void *data)
{
	struct flood_ctx *fc = data;
	const struct nwbpf_port *out;
	__u32 ifindex;
	int tagged;

	if (i >= NWBPF_MAX_VLAN_PORTS)
		return 1;
	ifindex = fc->vp->ifindex[i];
	if (ifindex == fc->skip_ifindex)
		return 0;
	out = port_get(ifindex);
	if (!out || out->role != NWBPF_PORT_EDGE) {
		count_drop(NWBPF_DROP_PORT_UNKNOWN, fc->len);
		return 0;
	}
	if (!port_has_vlan(out, fc->vni)) {
		count_drop(NWBPF_DROP_VLAN_NOT_ALLOWED, fc->len);
		return 0;
	}
	tagged = port_tags_vlan(out, fc->vni);
	if (tagged && bpf_skb_vlan_push(fc->skb, ETH_P_8021Q_BE, fc->vni)) {
		count_drop(NWBPF_DROP_HELPER_FAILED, fc->len);
		return 0;
	}
	if (bpf_clone_redirect(fc->skb, ifindex, 0))
		count_drop(NWBPF_DROP_HELPER_FAILED, fc->len);
	else
		stat_add(NWBPF_STAT_BUM_LOCAL, fc->len);
	if (tagged)
		bpf_skb_vlan_pop(fc->skb);
	return 0;
}

/* One VTEP. The skb already carries room for (plaintext) or no (kernel
 * tunnel) outer header; only the per-VTEP fields differ between copies. */
static long flood_remote_one(__u32 i, void *data)
{
	struct flood_ctx *fc = data;
	const struct nwbpf_nexthop *nh;
	__be32 vtep;
	int ret;

	if (i >= NWBPF_MAX_FLOOD_VTEPS)
		return 1;
	vtep = fc->fl->vtep[i];
	ret = encap_peer(fc->s, vtep, &fc->p);
	if (IS_DROP(ret)) {
		count_drop(DROP_REASON(ret), fc->len);
		return 0;
	}
	if (!fc->p.sport)
		fc->p.sport = fc->sport;
	if (fc->s->mode == NWBPF_MODE_KERNEL_TUNNEL) {
		if (tc_set_tunnel(fc->skb, fc->s, fc->p.nbma, fc->vni) ||
		    bpf_clone_redirect(fc->skb, fc->s->tunnel_ifindex, 0))
			count_drop(NWBPF_DROP_HELPER_FAILED, fc->len);
		else
			stat_add(NWBPF_STAT_BUM_REMOTE, fc->len);
		return 0;
	}
	nh = nexthop_get(fc->p.nbma);
	if (!nh) {
		/* A clone cannot wait for ARP: skip, and have the agent resolve. */
		stat_add(NWBPF_STAT_NEIGH_MISS, fc->len);
		event_neigh_miss(fc->vni, vtep, fc->p.nbma);
		return 0;
	}
	if (nexthop_unroutable(nh)) {
		count_drop(NWBPF_DROP_NO_ROUTE, fc->len);
		return 0;
	}
	if (tc_store_outer(fc->skb, fc->s, &fc->p, nh, fc->inner_len) ||
	    bpf_clone_redirect(fc->skb, nh->ifindex, 0)) {
		count_drop(NWBPF_DROP_HELPER_FAILED, fc->len);
		return 0;
	}
	stat_add(NWBPF_STAT_BUM_REMOTE, fc->len);
	if (fc->p.relay_vtep)
		stat_add(NWBPF_STAT_RELAY_OUT, fc->len);
	return 0;
}

/* Copies an untagged skb to the local ports of fc->vni. */
static __always_inline void flood_local(struct flood_ctx *fc)
{
	fc->vp = vlan_ports_get(fc->vni);
	if (fc->vp)
		bpf_loop(fc->vp->count, flood_local_one, fc, 0);
}

/* Copies an untagged edge skb to every VTEP of fc->vni. inner_proto: its
 * EtherType (how to open room for the outer header). */
static __always_inline void flood_remote(struct flood_ctx *fc, __be16 inner_proto)
{
	struct __sk_buff *skb = fc->skb;

	fc->fl = bpf_map_lookup_elem(&flood, &fc->vni);
	if (!fc->fl || !fc->fl->count)
		return;
	if (!skb->gso_size && encap_too_big(fc->s, fc->inner_len)) {
		count_drop(NWBPF_DROP_MTU_EXCEEDED, fc->len);
		return;
	}
	if (fc->s->mode == NWBPF_MODE_KERNEL_TUNNEL && !fc->s->tunnel_ifindex) {
		count_drop(NWBPF_DROP_NO_ROUTE, fc->len); /* fail closed: no plaintext */
		return;
	}
	if (fc->s->mode != NWBPF_MODE_KERNEL_TUNNEL && tc_encap_room(skb, inner_proto)) {
		count_drop(NWBPF_DROP_HELPER_FAILED, fc->len);
		return;
	}
	bpf_loop(fc->fl->count, flood_remote_one, fc, 0);
}

#endif
