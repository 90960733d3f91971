/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every data-plane file needs: kernel UAPI headers, libbpf's helper
 * declarations, the shared maps, and the return convention of the workers.
 *
 * Workers return an int: >= 0 is an action (enum fwd_kind or a hook
 * verdict), < 0 is a drop whose reason is DROP_REASON(ret). The entry point
 * turns a drop into the hook's verdict through the one drop funnel
 * (counters.h), so no path can drop without counting.
 */
#ifndef NWBPF_LIB_COMMON_H
#define NWBPF_LIB_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "maps/maps.bpf.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define DROP(reason) (-1 - (int)(reason))
#define IS_DROP(ret) ((ret) < 0)
#define DROP_REASON(ret) ((__u32)(-1 - (ret)))

/* Where a frame goes after classification. */
enum fwd_kind {
	FWD_LOCAL = 0,  /* one local edge port */
	FWD_REMOTE = 1, /* one VTEP */
	FWD_FLOOD = 2,  /* broadcast, multicast, unknown unicast */
	FWD_PASS = 3,   /* not ours: hand to the host stack untouched */
	FWD_PROBE = 4,  /* a peer's NAT probe: counted and consumed, nothing to deliver */
};

#define ETH_P_8021Q_BE bpf_htons(ETH_P_8021Q)
#define ETH_P_8021AD_BE bpf_htons(ETH_P_8021AD)
#define ETH_P_IP_BE bpf_htons(ETH_P_IP)
#define ETH_P_IPV6_BE bpf_htons(ETH_P_IPV6)
#define VLAN_HLEN 4

struct vlan_tag {
	__be16 tci;
	__be16 encap_proto;
};

static __always_inline const struct nwbpf_settings *settings_get(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&settings, &key);
}

static __always_inline int is_vlan_proto(__be16 proto)
{
	return proto == ETH_P_8021Q_BE || proto == ETH_P_8021AD_BE;
}

/* Multicast (incl. broadcast) or all-zero: never a valid source. */
static __always_inline int mac_is_bad_src(const __u8 *mac)
{
	return (mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

static __always_inline int mac_is_multicast(const __u8 *mac)
{
	return mac[0] & 1;
}

/* 01:80:c2:00:00:0x (IEEE 802.1Q reserved: STP, LACP, LLDP, 802.1X): a
 * bridge never forwards these, it hands them to the host. */
static __always_inline int mac_is_link_local(const __u8 *mac)
{
	return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 && !mac[3] && !mac[4] && !(mac[5] & 0xf0);
}

#endif
