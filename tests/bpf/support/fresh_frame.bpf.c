/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fresh-frame shim (state and rationale: fresh_frame.h). XDP, each
 * repetition of BPF_PROG_RUN: restore the original frame (position, length,
 * bytes), optionally write the next MAC of a rotation, then tail-call the
 * program in slot 0 of xdp_target. It does the same work whether or not the
 * previous repetition changed the frame, so its cost is one constant, which
 * a bare program run the same way shows.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "tests/bpf/support/fresh_frame.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fresh_frame_state);
} fresh_state SEC(".maps");

/* One per program type: a prog array belongs to the type of its first caller. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} xdp_target SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tc_target SEC(".maps");

static __always_inline struct fresh_frame_state *state_get(void)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&fresh_state, &k);
}

/* The next MAC of the rotation, or NULL when the run has none. */
static __always_inline const __u8 *next_mac(struct fresh_frame_state *st)
{
	__u32 i = st->next_mac;

	if (!st->mac_count)
		return NULL;
	if (i >= st->mac_count || i >= FRESH_FRAME_MACS)
		i = 0;
	st->next_mac = i + 1;
	return st->macs[i];
}

SEC("xdp")
int xdp_fresh(struct xdp_md *ctx)
{
	struct fresh_frame_state *st = state_get();
	void *data = (void *)(long)ctx->data;
	const __u8 *mac;
	__s64 delta;
	long cur_len;
	__u32 n;

	if (!st)
		return XDP_ABORTED;
	/* The packet pointer goes through the map to become a number
	 * (root may leak pointers into maps), so two repetitions' positions
	 * can be subtracted. */
	if (!st->first_data)
		st->first_data = (__u64)(long)data;
	st->cur_data = (__u64)(long)data;
	delta = (__s64)(*(volatile __u64 *)&st->first_data - *(volatile __u64 *)&st->cur_data);
	if (bpf_xdp_adjust_head(ctx, (int)delta))
		return XDP_ABORTED;
	n = st->len;
	if (!n || n > FRESH_FRAME_MAX)
		return XDP_ABORTED;
	cur_len = (long)ctx->data_end - (long)ctx->data;
	barrier_var(cur_len); /* a packet-end pointer may not take part in n - end + data */
	if (bpf_xdp_adjust_tail(ctx, (int)n - (int)cur_len))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, st->frame, n))
		return XDP_ABORTED;
	mac = next_mac(st);
	if (mac && bpf_xdp_store_bytes(ctx, st->mac_offset, (void *)mac, 6))
		return XDP_ABORTED;
	bpf_tail_call(ctx, &xdp_target, 0);
	return XDP_ABORTED; /* no program in the slot */
}

/* A TC program's skb cannot be made fresh between repetitions (the kernel
 * refuses to encapsulate an skb twice, and BPF cannot clear its mark), so TC
 * runs one repetition per BPF_PROG_RUN and this half only supplies what the
 * program's device would: the tunnel key a collect_md VXLAN device attaches. */
SEC("tc")
int tc_fresh(struct __sk_buff *skb)
{
	struct fresh_frame_state *st = state_get();

	if (!st)
		return TC_ACT_SHOT;
	if (st->tunnel_src) {
		/* As received: the key's source is the peer. set_tunnel_key
		 * stores local_ipv4 as the source, which get_tunnel_key then
		 * reports as remote_ipv4. */
		struct bpf_tunnel_key key = {
			.tunnel_id = st->tunnel_vni,
			.local_ipv4 = bpf_ntohl(st->tunnel_src),
		};

		if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), 0))
			return TC_ACT_SHOT;
	}
	bpf_tail_call(skb, &tc_target, 0);
	return TC_ACT_SHOT; /* no program in the slot */
}

char LICENSE[] SEC("license") = "GPL";
