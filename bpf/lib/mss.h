/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP MSS clamping of SYN and SYN-ACK segments crossing the overlay (what
 * Nante-WAN did with iptables TCPMSS), so that neither end offers segments
 * the VXLAN path would have to fragment or drop. Both directions are
 * clamped here (edge -> encap and decap -> edge), so a SYN from a plain
 * Linux VXLAN peer is clamped too.
 *
 * mss_find only reads; XDP writes through packet pointers (mss_xdp_write),
 * TC through helpers (tc_mss_clamp), which keep a CHECKSUM_PARTIAL skb
 * right: its checksum field holds the pseudo-header sum, not the checksum,
 * and must not be adjusted.
 */
#ifndef NWBPF_LIB_MSS_H
#define NWBPF_LIB_MSS_H

#include <linux/ipv6.h>
#include <linux/tcp.h>

#include "lib/common.h"
#include "lib/counters.h"
#include "lib/parse.h"

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOLEN_MSS 4
#define TCP_OPT_MAX 40 /* data offset 15 words, less the 20-byte header */

/* What mss_find answers. */
enum mss_verdict {
	MSS_NONE = 0,    /* nothing to rewrite: not a SYN, no MSS, already small */
	MSS_REWRITE = 1, /* site filled: write site.mss */
	MSS_BAD = 2,     /* a SYN (or IPv6 frame) left as it is: count it */
	MSS_MORE = 3,    /* a SYN whose options lie beyond end (TC: pull, retry) */
};

struct mss_site {
	__u32 mss_off;  /* from data: the MSS option's value */
	__u32 csum_off; /* from data: the TCP checksum */
	__be16 old;
	__be16 mss;
	/* old and mss as the checksum's 16-bit words see them: byte-swapped
	 * when the option starts at an odd offset (after a NOP), since the
	 * one's complement sum of a word shifted by a byte is swapped
	 * (RFC 1071 section 2(B)). */
	__be16 sum_old;
	__be16 sum_mss;
};

/* The clamp for an inner frame of EtherType proto; 0: none. */
static __always_inline __u16 mss_limit(const struct nwbpf_settings *s, __be16 proto)
{
	if (proto == ETH_P_IP_BE)
		return s->tcp_mss4;
	if (proto == ETH_P_IPV6_BE)
		return s->tcp_mss6;
	return 0;
}

/* The TCP header behind the inner IP header at l3, or NULL (answer in *v). */
static __always_inline struct tcphdr *mss_tcp(void *l3, void *end, __be16 proto, int *v)
{
	struct cursor c = { .pos = l3, .end = end };
	struct ipv6hdr *ip6;
	struct iphdr *ip;

	*v = MSS_NONE;
	if (proto == ETH_P_IP_BE) {
		ip = cursor_pull(&c, sizeof(*ip));
		/* A SYN is never a non-first fragment; a first one is not
		 * worth the trouble (a SYN fits in any MTU). */
		if (!ip || ip->protocol != IPPROTO_TCP || ip->ihl < 5 ||
		    (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
			return NULL;
		if (!cursor_pull(&c, (ip->ihl * 4 - sizeof(*ip)) & IP_OPTS_MASK)) /* see vxlan_parse */
			return NULL;
	} else {
		ip6 = cursor_pull(&c, sizeof(*ip6));
		if (!ip6)
			return NULL;
		if (ip6->nexthdr == IPPROTO_TCP)
			goto tcp;
		/* Extension headers are not walked (RFC 8200 section 4): a SYN
		 * behind one keeps its MSS. Counted so that it shows. */
		if (ip6->nexthdr == IPPROTO_HOPOPTS || ip6->nexthdr == IPPROTO_ROUTING ||
		    ip6->nexthdr == IPPROTO_FRAGMENT || ip6->nexthdr == IPPROTO_DSTOPTS)
			*v = MSS_BAD;
		return NULL;
	}
tcp:
	return cursor_pull(&c, sizeof(struct tcphdr));
}

/*
 * Looks for the MSS option of a SYN (or SYN-ACK) whose IP header starts at
 * l3 (EtherType proto) and which is larger than limit. Options (RFC 9293
 * section 3.1): EOL ends them, NOP is one byte, every other kind has a
 * length byte >= 2 that must stay inside the header; MSS is kind 2, length
 * 4. Any malformed option leaves the segment as it is (MSS_BAD): the
 * receiver will judge it, and a guess could corrupt it.
 *
 * The loop walks byte positions, not options: the position is a constant
 * in every iteration the verifier follows, and the bytes still to skip of
 * the current option never take part in an access, so its states prune.
 * Stepping a packet pointer by each option's length instead gave the
 * verifier a new pointer range per option and went past its 1M
 * instructions.
 */
static __always_inline int mss_find(void *data, void *end, void *l3, __be16 proto, __u16 limit,
				    struct mss_site *m)
{
	__u32 opt_len, skip = 0, len;
	struct tcphdr *tcp;
	__u8 *opts;
	int v, i;

	tcp = mss_tcp(l3, end, proto, &v);
	if (!tcp || !tcp->syn)
		return v;
	opt_len = tcp->doff * 4;
	if (opt_len < sizeof(*tcp))
		return MSS_BAD;
	opt_len -= sizeof(*tcp);
	opts = (__u8 *)(tcp + 1);
	if ((void *)opts + opt_len > end)
		return MSS_MORE;
	for (i = 0; i < TCP_OPT_MAX; i++) {
		if (i >= opt_len)
			return MSS_NONE;
		if (skip) {
			skip--;
			continue;
		}
		if ((void *)(opts + i + 1) > end)
			return MSS_BAD;
		if (opts[i] == TCPOPT_EOL)
			return MSS_NONE;
		if (opts[i] == TCPOPT_NOP)
			continue;
		if (i + 1 >= opt_len || (void *)(opts + i + 2) > end)
			return MSS_BAD;
		len = opts[i + 1];
		if (len < 2 || i + len > opt_len)
			return MSS_BAD;
		if (opts[i] == TCPOPT_MSS) {
			if (len != TCPOLEN_MSS || (void *)(opts + i + TCPOLEN_MSS) > end)
				return MSS_BAD;
			m->old = *(__be16 *)(opts + i + 2);
			if (bpf_ntohs(m->old) <= limit)
				return MSS_NONE;
			m->mss = bpf_htons(limit);
			m->sum_old = m->old;
			m->sum_mss = m->mss;
			if (i & 1) { /* the option starts 20 + i bytes into the header */
				m->sum_old = (__be16)__builtin_bswap16(m->old);
				m->sum_mss = (__be16)__builtin_bswap16(m->mss);
			}
			m->mss_off = (void *)(opts + i + 2) - data;
			m->csum_off = (void *)&tcp->check - data;
			return MSS_REWRITE;
		}
		skip = len - 1;
	}
	return MSS_NONE;
}

/* Counts what mss_find answered; 1 when the caller is to rewrite. */
static __always_inline int mss_count(int v, __u32 len)
{
	if (v == MSS_REWRITE)
		stat_add(NWBPF_STAT_MSS_CLAMPED, len);
	else if (v != MSS_NONE)
		stat_add(NWBPF_STAT_MSS_UNPARSED, len);
	return v == MSS_REWRITE;
}

/* RFC 1624 equation 3: HC' = ~(~HC + ~m + m'). */
static __always_inline __sum16 csum_replace16(__sum16 check, __be16 old, __be16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u16)new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

/* XDP: the inner frame at l3 (EtherType proto) of [data, end), clamped in
 * place. The frame is whole and its checksum complete. */
static __always_inline void mss_xdp_clamp(void *data, void *end, void *l3, __be16 proto,
					  const struct nwbpf_settings *s, __u32 len)
{
	__u16 limit = mss_limit(s, proto);
	struct mss_site m;
	__sum16 *check;
	__be16 *mss;

	if (!limit || !mss_count(mss_find(data, end, l3, proto, limit, &m), len))
		return;
	mss = data + (m.mss_off & 0xfff);
	check = data + (m.csum_off & 0xfff);
	if ((void *)(mss + 1) > end || (void *)(check + 1) > end)
		return;
	*mss = m.mss;
	*check = csum_replace16(*check, m.sum_old, m.sum_mss);
}

/* Headers a SYN may need linear: outer (50) + inner Ethernet and tag (18)
 * + IPv6 (40) + TCP with options (60). */
#define MSS_PULL 168

/* mss_find on the skb's linear part, the IP header l3_off bytes in. */
static __always_inline int tc_mss_find(struct __sk_buff *skb, __u32 l3_off, __be16 proto, __u16 limit,
				       struct mss_site *m)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;

	/* Keeps the compiler from moving the bound check away from the
	 * pointer arithmetic the verifier needs it on. */
	asm volatile("" : "+r"(l3_off));
	if (l3_off > MSS_PULL)
		return MSS_NONE;
	return mss_find(data, end, data + l3_off, proto, limit, m);
}

/*
 * TC: as mss_xdp_clamp, l3_off bytes into the skb. Pulls the headers of a
 * SYN that lies beyond the linear part, so invalidates packet pointers.
 * A global function: the verifier checks the option walk once, on its own
 * (l3_off, proto and limit any values), rather than once per state of the
 * caller that reaches it; inlined, the walk took tc_edge past the 6.1
 * verifier's million instructions (newer verifiers prune it).
 */
__attribute__((noinline)) int tc_mss_clamp_at(struct __sk_buff *skb, __u32 l3_off, __u32 proto,
					      __u32 limit, __u32 len)
{
	struct mss_site m;
	int v;

	if (!skb || !limit || limit > 0xffff)
		return 0;
	v = tc_mss_find(skb, l3_off, (__be16)proto, (__u16)limit, &m);
	if (v == MSS_MORE) {
		if (bpf_skb_pull_data(skb, skb->len < MSS_PULL ? skb->len : MSS_PULL))
			return 0;
		v = tc_mss_find(skb, l3_off, (__be16)proto, (__u16)limit, &m);
		if (v == MSS_MORE) /* truncated: the options overrun the frame */
			v = MSS_BAD;
	}
	if (!mss_count(v, len))
		return 0;
	if (bpf_skb_store_bytes(skb, m.mss_off, &m.mss, sizeof(m.mss), 0))
		return 0;
	bpf_l4_csum_replace(skb, m.csum_off, m.sum_old, m.sum_mss, sizeof(m.mss));
	return 1;
}

/* Only when a clamp is configured for proto: no call on other paths. */
static __always_inline void tc_mss_clamp(struct __sk_buff *skb, __u32 l3_off, __be16 proto,
					 const struct nwbpf_settings *s, __u32 len)
{
	__u16 limit = mss_limit(s, proto);

	if (limit)
		tc_mss_clamp_at(skb, l3_off, proto, limit, len);
}

#endif
