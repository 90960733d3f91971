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
#define FLOW_SPORT_BITS 14     /* 49152..65535 */

/*
 * Multiply-shift multilinear hashing (Dietzfelbinger): the sum of each
 * 32-bit field times its own random odd 64-bit key, whose top bits are the
 * hash. The products do not depend on each other, so the CPU overlaps them;
 * the chain of multiply-xorshift rounds it replaced (one round waiting on
 * the last, per field) cost about 15 ns per frame in xdp_edge.
 */
static const __u64 flow_keys[14] = {
	0x91d93080f9b439fdull, 0x3ceaaf308142c8ebull, 0x627655daa05f1119ull, 0x9dfb369bab13dfafull,
	0x0ff9bb510944fe0dull, 0x6301bbfca0c5154full, 0x047a8387cdde8d51ull, 0x6fced11d2bd8a1e7ull,
	0xb7c1dce27f7695f5ull, 0x3a124c647e02ff05ull, 0x5cbd0ba3a1a6bcdfull, 0x66080f174c96d8e3ull,
	0x42f2dc05873f9bd1ull, 0xb120a366f0bbe9cfull,
};

/* Term i of the sum: field v times key i. */
#define FLOW_TERM(i, v) ((__u64)(__u32)(v) * flow_keys[i])

/* The L4 ports word (term i) of a TCP or UDP header at l4, when present. */
static __always_inline __u64 flow_ports_term(int i, void *l4, void *end, __u8 proto)
{
	if ((proto == IPPROTO_TCP || proto == IPPROTO_UDP) && l4 + sizeof(__u32) <= end)
		return FLOW_TERM(i, *(__u32 *)l4);
	return 0;
}

/* The hash of the inner MACs, EtherType, IP addresses, protocol and ports. */
static __always_inline __u64 flow_hash(const struct edge_frame *f, void *end)
{
	const __u32 *macs = (const __u32 *)f->eth;
	__u64 h = FLOW_TERM(0, macs[0]) + FLOW_TERM(1, macs[1]) + FLOW_TERM(2, macs[2]) +
		  FLOW_TERM(3, f->proto);

	if (f->proto == ETH_P_IP_BE) {
		struct iphdr *ip = f->l3;

		if ((void *)(ip + 1) > end)
			return h;
		h += FLOW_TERM(4, ip->saddr) + FLOW_TERM(5, ip->daddr) + FLOW_TERM(6, ip->protocol);
		if (!(ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
			h += flow_ports_term(7, (void *)ip + ip->ihl * 4, end, ip->protocol);
	} else if (f->proto == ETH_P_IPV6_BE) {
		struct ipv6hdr *ip6 = f->l3;
		const __u32 *a;

		if ((void *)(ip6 + 1) > end)
			return h;
		a = (const __u32 *)&ip6->saddr; /* saddr and daddr: 8 words */
		for (int i = 0; i < 8; i++)
			h += FLOW_TERM(4 + i, a[i]);
		h += FLOW_TERM(12, ip6->nexthdr) + flow_ports_term(13, ip6 + 1, end, ip6->nexthdr);
	}
	return h;
}

/* Network-order UDP source port: the configured one, else 49152-65535. */
static __always_inline __be16 flow_sport(const struct nwbpf_settings *s, const struct edge_frame *f, void *end)
{
	if (s->udp_src_port)
		return bpf_htons(s->udp_src_port);
	return bpf_htons(FLOW_SPORT_MIN | (__u32)(flow_hash(f, end) >> (64 - FLOW_SPORT_BITS)));
}

#endif
