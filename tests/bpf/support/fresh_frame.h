/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State of the fresh-frame shim (fresh_frame.bpf.c), shared by the BPF side
 * and C++ (support/fresh_frame_run.h). BPF_PROG_RUN's repeat runs a program
 * again and again on the same buffer, so a program that rewrites its frame
 * (encapsulation, decapsulation, a VLAN tag) meets its own output from the
 * second repetition on. The XDP shim puts the original frame back before
 * every repetition and tail-calls the program under test; the TC shim only
 * adds a tunnel key (TC runs one repetition per call, see fresh_frame.bpf.c).
 */
#ifndef NWBPF_TEST_FRESH_FRAME_H
#define NWBPF_TEST_FRESH_FRAME_H

#include <linux/types.h>

#define FRESH_FRAME_MAX 256   /* bytes of the original frame */
#define FRESH_FRAME_MACS 1024 /* MACs a run may rotate over */

struct fresh_frame_state {
	__u64 first_data; /* XDP: ctx->data of the first repetition, as a number; 0 before it */
	__u64 cur_data;   /* XDP: scratch that turns a packet pointer into a number */
	__u32 len;        /* XDP: bytes of the original frame, 1..FRESH_FRAME_MAX */
	__u32 mac_offset; /* XDP: where each repetition writes its MAC (mac_count > 0) */
	__u32 mac_count;  /* XDP: 0, or repetition i writes macs[i % mac_count] */
	__u32 next_mac;   /* XDP: rotation position, 0 at the start of a run */
	__u32 tunnel_src; /* TC: if not 0, the outer IPv4 source (network order) of the */
	__u32 tunnel_vni; /* tunnel key a collect_md VXLAN device would attach on receive */
	__u8 frame[FRESH_FRAME_MAX];
	__u8 macs[FRESH_FRAME_MACS][6];
};

#endif
