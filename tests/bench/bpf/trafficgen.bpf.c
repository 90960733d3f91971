/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic generator: run by BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, once
 * per frame. It optionally spreads frames over flows by rewriting UDP source
 * ports, then sends the frame out (XDP_TX) or redirects it to target_ifindex.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench_abi.h"

const volatile __u32 target_ifindex = 0; /* 0: XDP_TX out of the run's device */
const volatile __u32 nr_flows = 1;
const volatile __u32 nr_fields = 0;
const volatile struct bench_flow_field fields[BENCH_MAX_FLOW_FIELDS] = {};

/* Frame sequence number per CPU: generator threads never share a cache line. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} flow_seq SEC(".maps");

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'). One's-complement sums do not care
 * about byte order, so the network-order words are summed as they are. */
static __always_inline __u16 csum_replace16(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u32)new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	check = ~sum;
	/* RFC 768: a computed zero is sent as all ones (zero means "none"). */
	return check ? check : 0xffff;
}

/* Written absolutely rather than incremented: live-frame pages are recycled
 * with whatever the previous run left in them. */
static __always_inline void set_udp_sport(void *data, void *data_end, __u32 off, __u16 port)
{
	__u16 *udp;

	if (off > BENCH_MAX_FRAME)
		return;
	udp = data + off;
	if ((void *)(udp + 4) > data_end)
		return;
	__u16 old = udp[0], new = bpf_htons(port);

	if (old == new)
		return;
	udp[0] = new;
	if (udp[3])
		udp[3] = csum_replace16(udp[3], old, new);
}

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	if (nr_flows > 1) {
		__u32 key = 0;
		__u64 *seq = bpf_map_lookup_elem(&flow_seq, &key);

		if (!seq)
			return XDP_ABORTED;
		__u32 flow = (*seq)++ % nr_flows;
		void *data = (void *)(long)ctx->data;
		void *data_end = (void *)(long)ctx->data_end;

		for (__u32 i = 0; i < BENCH_MAX_FLOW_FIELDS; i++) {
			if (i >= nr_fields)
				break;
			set_udp_sport(data, data_end, fields[i].udp_off, fields[i].base + flow);
		}
	}
	return target_ifindex ? bpf_redirect(target_ifindex, 0) : XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
