/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layouts shared by the benchmark tools' BPF programs (clang -target bpf) and
 * their loaders (g++). Kept apart from include/nwbpf/: nothing here is part of
 * the data plane's contract.
 */
#ifndef NWBPF_BENCH_ABI_H
#define NWBPF_BENCH_ABI_H

#include "nwbpf/abi.h"

/* A generated frame carries at most two UDP headers whose source port names
 * the flow: the outer one of a VXLAN frame and the inner one. */
#define BENCH_MAX_FLOW_FIELDS 2
/* Live frames must fit one page with XDP headroom and skb_shared_info; 3000
 * bytes leaves margin on every 4 KiB-page kernel. Also bounds offsets for the
 * verifier. */
#define BENCH_MAX_FRAME 3000

/* One UDP header the generator rewrites per frame: source port := base + flow,
 * checksum updated incrementally (left at 0 when the template has none). */
struct bench_flow_field {
	__u16 udp_off; /* offset of the UDP header in the frame */
	__u16 base;    /* host order; flow i uses base + i */
};
NWBPF_ASSERT_SIZE(struct bench_flow_field, 4);

/* The sink's only map value (per CPU, key 0). */
struct bench_sink_stats {
	__u64 packets;
	__u64 bytes;
	__u64 vxlan; /* IPv4/UDP to port 4789, to tell encapsulated output apart */
};
NWBPF_ASSERT_SIZE(struct bench_sink_stats, 24);

#endif /* NWBPF_BENCH_ABI_H */
