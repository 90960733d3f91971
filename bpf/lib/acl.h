/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ebconfig's filters (maps/acl.h has the semantics and the map layout) on
 * frames an edge port sends into the overlay: where Nante-WAN's ebtables
 * rules sat (bridge FORWARD chain, -o vxlan<V>). Callers: the XDP edge path
 * before it encapsulates, the TC edge path for remote unicast and for the
 * remote copies of BUM (copies to local edge ports are not filtered).
 *
 * The ip-filter (IPv4 frames only) is a tuple-space search: per rule shape
 * of the VLAN, in order of the lowest rule each holds, one hash lookup of
 * the frame's fields under that shape's masks; the lowest rule index found
 * wins, and the walk stops at the first shape whose lowest rule cannot beat
 * it. The mac-filter is one hash lookup of the source MAC.
 *
 * IPv4 headers as ebtables' ip match reads them: an IPv4 frame whose header
 * is truncated, not version 4, or with IHL < 5 matches no ip rule and is
 * judged by the ip-filter's default (counted acl_unparsed as well). Ports
 * are read for first fragments (offset 0) of TCP, UDP, DCCP and SCTP when
 * their first 4 bytes are present; otherwise shapes with a port mask are
 * skipped, and only rules without ports can match.
 */
#ifndef NWBPF_LIB_ACL_H
#define NWBPF_LIB_ACL_H

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/parse.h"

#define ACL_NO_SLOT 0xffffffffu

/* What the lookup is asked (the caller parses the frame) and answers. */
struct acl_query {
	__be32 src;        /* ip: the frame's IPv4 fields, ports in host order */
	__be32 dst;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 has_ports;    /* sport/dport were read */
	__u8 kind;         /* enum acl_frame */
	__u8 gen;          /* out: the generation read */
	__u8 mac[ETH_ALEN]; /* source MAC, for the mac-filter */
	__u16 vlan;
	/* Out: what decided, the counter slot of a rule or default (gen *
	 * NWBPF_ACL_MAX_RULES + index), or ACL_NO_SLOT when the VLAN has no
	 * filter for the frame (permitted, counted nowhere); and the action. */
	__u32 slot;
	__u32 action;
};

enum acl_frame {
	ACL_FRAME_OTHER = 0,    /* not IPv4: the mac-filter */
	ACL_FRAME_IPV4 = 1,
	ACL_FRAME_UNPARSED = 2, /* IPv4 whose header cannot be read */
};

static __always_inline int acl_proto_has_ports(__u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_DCCP ||
	       proto == IPPROTO_SCTP;
}

/* Fills q's ip fields and kind from the IPv4 header at l3. */
static __always_inline void acl_parse_ipv4(void *l3, void *end, struct acl_query *q)
{
	struct iphdr *ip = l3;
	__u32 hlen;
	__u8 *l4;

	q->kind = ACL_FRAME_UNPARSED;
	if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
		return;
	hlen = ip->ihl * 4;
	if (l3 + hlen > end)
		return;
	q->kind = ACL_FRAME_IPV4;
	q->src = ip->saddr;
	q->dst = ip->daddr;
	q->proto = ip->protocol;
	if ((ip->frag_off & bpf_htons(IP_OFFSET)) || !acl_proto_has_ports(q->proto))
		return;
	l4 = l3 + hlen;
	if ((void *)(l4 + 4) > end)
		return;
	q->sport = (__u16)l4[0] << 8 | l4[1];
	q->dport = (__u16)l4[2] << 8 | l4[3];
	q->has_ports = 1;
}

/* The first ip rule of v matching q, by tuple-space search; ACL_NO_SLOT in
 * q->slot when none does. */
static __always_inline void acl_ip_search(const struct nwbpf_acl_vlan *v, struct acl_query *q)
{
	struct nwbpf_acl_ip_key key = { .gen = q->gen, .vlan = q->vlan };
	const struct nwbpf_acl_shape *sh;
	const struct nwbpf_acl_hit *hit;
	__u32 best = ACL_NO_SLOT, action = NWBPF_ACL_PERMIT, n = v->shape_count;

	for (__u32 i = 0; i < NWBPF_ACL_MAX_SHAPES; i++) {
		if (i >= n)
			break;
		sh = &v->shapes[i];
		/* Shapes come by their lowest rule: none further can win. */
		if (sh->first_rule >= best)
			break;
		if ((sh->sport_mask | sh->dport_mask) && !q->has_ports)
			continue;
		key.shape = i;
		key.src = q->src & sh->src_mask;
		key.dst = q->dst & sh->dst_mask;
		key.sport = q->sport & sh->sport_mask;
		key.dport = q->dport & sh->dport_mask;
		key.proto = q->proto & sh->proto_mask;
		hit = bpf_map_lookup_elem(&acl_ip, &key);
		if (hit && hit->rule < best) {
			best = hit->rule;
			action = hit->action;
		}
	}
	q->slot = best;
	q->action = action;
}

/* The mac-filter's answer for q's source MAC. */
static __always_inline void acl_mac_search(const struct nwbpf_acl_vlan *v, struct acl_query *q)
{
	struct nwbpf_acl_mac_key key = { .gen = q->gen, .vlan = q->vlan };
	const struct nwbpf_acl_hit *hit;

	__builtin_memcpy(key.mac, q->mac, ETH_ALEN);
	hit = bpf_map_lookup_elem(&acl_mac, &key);
	q->slot = hit ? hit->rule : v->mac_default_rule;
	q->action = hit ? hit->action : v->mac_default;
}

/*
 * Answers q (slot, action, gen). A global function: the verifier checks it
 * once, on its own, rather than once per path of the program that reaches
 * it with different facts; inlined, the shape walk multiplied the states of
 * tc_edge past the verifier's limit.
 */
__attribute__((noinline)) int acl_lookup(struct acl_query *q)
{
	struct nwbpf_acl_vlan_key vk = {};
	const struct nwbpf_acl_vlan *v;
	const __u32 *active;
	__u32 zero = 0;

	if (!q)
		return 0;
	q->slot = ACL_NO_SLOT;
	q->action = NWBPF_ACL_PERMIT;
	active = bpf_map_lookup_elem(&acl_active, &zero);
	q->gen = active ? *active & 1 : 0;
	vk.vlan = q->vlan;
	vk.gen = q->gen;
	v = bpf_map_lookup_elem(&acl_vlans, &vk);
	if (!v)
		return 0; /* no filters: permit */
	if (!(v->flags & NWBPF_ACL_HAS_IP))
		q->kind = ACL_FRAME_OTHER; /* IPv4 goes to the mac-filter */
	if (q->kind != ACL_FRAME_OTHER) {
		if (q->kind == ACL_FRAME_IPV4)
			acl_ip_search(v, q);
		if (q->slot == ACL_NO_SLOT) {
			q->slot = v->ip_default_rule;
			q->action = v->ip_default;
		}
	} else if (v->flags & NWBPF_ACL_HAS_MAC) {
		acl_mac_search(v, q);
	} else {
		return 0; /* no filter for this frame: permit */
	}
	/* Indexes are per generation: the slot in the one frames read. */
	if (q->slot < NWBPF_ACL_MAX_RULES)
		q->slot += q->gen * NWBPF_ACL_MAX_RULES;
	else
		q->slot = ACL_NO_SLOT; /* never written by the agent */
	return 0;
}

/* Which rule or default of VLAN vlan decides edge frame f (headers up to
 * end), in q. Reads only; acl_account counts. */
static __always_inline void acl_decide(__u16 vlan, const struct edge_frame *f, void *end,
				       struct acl_query *q)
{
	__builtin_memset(q, 0, sizeof(*q));
	q->vlan = vlan;
	__builtin_memcpy(q->mac, f->eth->h_source, ETH_ALEN);
	if (f->proto == ETH_P_IP_BE)
		acl_parse_ipv4(f->l3, end, q);
	acl_lookup(q);
}

/* Counts q's answer on its rule's counter (and acl_unparsed when the ip
 * filter judged an unreadable header). 0 when permitted, else
 * DROP(NWBPF_DROP_ACL_DENY) for the caller's drop funnel. */
static __always_inline int acl_account(const struct acl_query *q, __u32 len)
{
	struct nwbpf_acl_counter *c;
	__u32 slot = q->slot;

	if (slot != ACL_NO_SLOT) {
		c = bpf_map_lookup_elem(&acl_counters, &slot);
		if (c) {
			c->packets++;
			c->bytes += len;
		}
		if (q->kind == ACL_FRAME_UNPARSED)
			stat_add(NWBPF_STAT_ACL_UNPARSED, len);
	}
	return q->action == NWBPF_ACL_DENY ? DROP(NWBPF_DROP_ACL_DENY) : 0;
}

/* acl_decide and acl_account: 0 (permit) or DROP(NWBPF_DROP_ACL_DENY). */
static __always_inline int acl_check(__u16 vlan, const struct edge_frame *f, void *end, __u32 len)
{
	struct acl_query q;

	acl_decide(vlan, f, end, &q);
	return acl_account(&q, len);
}

#endif
