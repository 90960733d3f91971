/* SPDX-License-Identifier: GPL-2.0 */
/* Counting sink: counts every frame (and the VXLAN ones apart), drops it.
 * With pass_arp, ARP goes to the stack uncounted instead, so an address on
 * the sink's interface answers the neighbour resolution of the path under
 * test like a real next hop. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench_abi.h"

#define VXLAN_PORT 4789 /* RFC 7348 section 5 */

const volatile __u8 pass_arp = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_sink_stats);
} sink_stats SEC(".maps");

static __always_inline int is_vxlan(struct ethhdr *eth, void *data_end)
{
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP || ip->ihl < 5)
		return 0;
	struct udphdr *udp = (void *)ip + ip->ihl * 4;

	return (void *)(udp + 1) <= data_end && udp->dest == bpf_htons(VXLAN_PORT);
}

SEC("xdp")
int xdp_sink(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = 0;
	struct bench_sink_stats *st;

	if (pass_arp && (void *)(eth + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_ARP))
		return XDP_PASS;
	st = bpf_map_lookup_elem(&sink_stats, &key);
	if (!st)
		return XDP_ABORTED;
	st->packets++;
	st->bytes += bpf_xdp_get_buff_len(ctx);
	st->vxlan += is_vxlan(eth, data_end);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
