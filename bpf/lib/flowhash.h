/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outer UDP source port from a hash of the inner headers (RFC 7348 section
 * 5: "a hash of fields from the inner packet"), so ECMP and RSS in the
 * underlay spread flows while one flow keeps one path. XDP and TC hash the
 * same fields, so a flow keeps its port whichever path carries it.
 */
#ifndef NWBPF_LIB_FLOWHASH_H
#define NWBPF_LIB_FLOWHASH_H

#include <linux/ipv6.h>

#include "lib/common.h"
#include "lib/parse.h"

#define FLOW_SPORT_MIN 49152 /* dynamic range, RFC 6335 */

static __always_inline __u32 hash_mix(__u32 h, __u32 v)
{
	h ^= v;
	h *= 0x9e3779b1u; /* golden-ratio multiplier spreads low bits upwards */
	return h ^ (h >> 16);
}

static __always_inline __u32 hash_l4_ports(__u32 h, void *l4, void *end, __u8 proto)
{
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && l4 + sizeof(__u32) <= end)
		h = hash_mix(h, *(__u32 *)l4);
	return h;
}

static __always_inline __u32 flow_hash(const struct edge_frame *f, void *end)
{
	const __u32 *macs = (const __u32 *)f->eth;
	__u32 h = hash_mix(hash_mix(hash_mix(0, macs[0]), macs[1]), macs[2]);

	h = hash_mix(h, f->proto);
	if (f->proto == ETH_P_IP_BE) {
		struct iphdr *ip = f->l3;

		if ((void *)(ip + 1) > end)
			return h;
		h = hash_mix(hash_mix(h, ip->saddr), ip->daddr);
		h = hash_mix(h, ip->protocol);
		if (!(ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
			h = hash_l4_ports(h, (void *)ip + ip->ihl * 4, end, ip->protocol);
	} else if (f->proto == ETH_P_IPV6_BE) {
		struct ipv6hdr *ip6 = f->l3;
		const __u32 *a;

		if ((void *)(ip6 + 1) > end)
			return h;
		a = (const __u32 *)&ip6->saddr; /* saddr and daddr: 8 words */
		for (int i = 0; i < 8; i++)
			h = hash_mix(h, a[i]);
		h = hash_mix(h, ip6->nexthdr);
		h = hash_l4_ports(h, ip6 + 1, end, ip6->nexthdr);
	}
	return h;
}

/* Network-order UDP source port: the configured one, else 49152-65535. */
static __always_inline __be16 flow_sport(const struct nwbpf_settings *s, const struct edge_frame *f, void *end)
{
	if (s->udp_src_port)
		return bpf_htons(s->udp_src_port);
	return bpf_htons(FLOW_SPORT_MIN | (flow_hash(f, end) & 0x3fff));
}

#endif
