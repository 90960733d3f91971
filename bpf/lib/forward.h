/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forwarding decisions shared by XDP and TC: where a frame from an edge port
 * or from a VTEP goes. They read maps and learn; they never touch the frame,
 * so XDP can still hand it to TC unmodified afterwards.
 */
#ifndef NWBPF_LIB_FORWARD_H
#define NWBPF_LIB_FORWARD_H

#include "lib/common.h"
#include "lib/fdb.h"
#include "lib/parse.h"
#include "lib/slots.h"
#include "lib/vlan.h"

struct fwd_target {
	const struct nwbpf_port *out; /* FWD_LOCAL: egress edge port */
	__u32 out_ifindex;            /* FWD_LOCAL */
	__be32 vtep;                  /* FWD_REMOTE: VTEP overlay address */
};

/* Egress edge port ifindex for VLAN vid; not_member: the drop if it lacks vid. */
static __always_inline int local_target(__u32 ifindex, __u32 vid, struct fwd_target *t, __u32 not_member)
{
	const struct nwbpf_port *out = port_get(ifindex);

	if (!out || out->role != NWBPF_PORT_EDGE)
		return DROP(NWBPF_DROP_PORT_UNKNOWN);
	if (!port_has_vlan(out, vid))
		return DROP(not_member);
	t->out = out;
	t->out_ifindex = ifindex;
	return FWD_LOCAL;
}

/* Frame of VLAN vid received on edge port in_ifindex: learn its source, then
 * FWD_LOCAL / FWD_REMOTE / FWD_FLOOD / FWD_PASS (link-local) or a drop. */
static __always_inline int edge_forward(const struct ethhdr *eth, __u32 vid, __u32 in_ifindex,
					struct fwd_target *t)
{
	const struct nwbpf_fdb_entry *e;

	if (mac_is_bad_src(eth->h_source))
		return DROP(NWBPF_DROP_BAD_SRC_MAC);
	fdb_learn(vid, eth->h_source, NWBPF_FDB_LOCAL, in_ifindex, 0);
	if (mac_is_link_local(eth->h_dest))
		return FWD_PASS;
	if (mac_is_multicast(eth->h_dest))
		return FWD_FLOOD;
	e = fdb_lookup(vid, eth->h_dest);
	if (!e)
		return FWD_FLOOD;
	if (e->kind == NWBPF_FDB_REMOTE) {
		t->vtep = e->vtep;
		return FWD_REMOTE;
	}
	if (e->kind != NWBPF_FDB_LOCAL)
		return FWD_FLOOD;
	if (e->ifindex == in_ifindex)
		return DROP(NWBPF_DROP_HAIRPIN);
	return local_target(e->ifindex, vid, t, NWBPF_DROP_VLAN_NOT_ALLOWED);
}

/* Inner frame of VNI vni from a VTEP: FWD_LOCAL / FWD_FLOOD or a drop.
 * VTEP-to-VTEP forwarding is refused (split horizon): every VTEP gets BUM
 * from the ingress VTEP itself. Learning waits until the frame is accepted
 * (overlay_learn), so a VNI we do not serve learns nothing. */
static __always_inline int overlay_forward(const struct ethhdr *inner, __u32 vni, struct fwd_target *t)
{
	const struct nwbpf_fdb_entry *e;

	if (!vni || vni > NWBPF_VLAN_MAX)
		return DROP(NWBPF_DROP_VNI_NOT_LOCAL);
	if (is_vlan_proto(inner->h_proto))
		return DROP(NWBPF_DROP_INNER_VLAN);
	if (mac_is_bad_src(inner->h_source))
		return DROP(NWBPF_DROP_BAD_SRC_MAC);
	if (mac_is_multicast(inner->h_dest))
		return FWD_FLOOD;
	e = fdb_lookup(vni, inner->h_dest);
	if (!e)
		return FWD_FLOOD;
	if (e->kind == NWBPF_FDB_REMOTE)
		return DROP(NWBPF_DROP_SPLIT_HORIZON);
	if (e->kind != NWBPF_FDB_LOCAL)
		return FWD_FLOOD;
	return local_target(e->ifindex, vni, t, NWBPF_DROP_VNI_NOT_LOCAL);
}

static __always_inline void overlay_learn(const struct nwbpf_settings *s, __u32 vni, const __u8 *src,
					  __be32 overlay)
{
	if (s->flags & NWBPF_SET_LEARN_REMOTE)
		fdb_learn(vni, src, NWBPF_FDB_REMOTE, 0, overlay);
}

/* Local ports of VLAN vni for BUM, or NULL when it has none. */
static __always_inline const struct nwbpf_vlan_ports *vlan_ports_get(__u32 vni)
{
	const struct nwbpf_vlan_ports *vp = bpf_map_lookup_elem(&vlan_ports, &vni);

	return vp && vp->count ? vp : NULL;
}

#endif
