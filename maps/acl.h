/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ebconfig's filters (issue 6): per VLAN, on frames an edge port sends into
 * the overlay. Nante-WAN's semantics: for IPv4 frames of a VLAN with an
 * ip-filter, the first ip rule that matches decides, else the ip-filter's
 * default; every other frame (and IPv4 without an ip-filter) goes to the
 * mac-filter: the first rule naming its source MAC decides, else its
 * default. A VLAN without filters permits everything.
 *
 * The lookup does not scan rules (tuple-space search): rules of one VLAN
 * are grouped by *shape*, the masks of their fields (protocol exact or any,
 * source and destination prefix lengths, and a port mask per port; a port
 * range a:b becomes the few aligned blocks that cover it, each a value and a
 * mask). Per shape the frame's fields are masked and looked up in one hash
 * ("acl_ip"); the lowest rule index found wins (= first match). Shapes are
 * sorted by the lowest rule index they hold, so the walk stops at the first
 * shape that cannot beat the match already found. The per-frame cost grows
 * with the number of shapes in the VLAN, not the number of rules.
 *
 * Atomic swap: every key carries a generation (0 or 1). The agent writes a
 * whole new rule set under the inactive generation, zeroes its counters,
 * then flips "acl_active" (one 4-byte store), then deletes the old
 * generation's entries. A frame reads the generation once, so it sees
 * either the old set or the new one, never a mix.
 *
 * Rule indexes are per generation, across all VLANs, in file order (ip
 * rules, then mac rules, VLAN after VLAN); the two defaults of a VLAN have
 * indexes too, so every rule and every default has per-CPU packet and byte
 * counters ("acl_counters", slot gen * NWBPF_ACL_MAX_RULES + index).
 */
#ifndef NWBPF_MAPS_ACL_H
#define NWBPF_MAPS_ACL_H

#include "nwbpf/abi.h"

#define NWBPF_ACL_MAX_SHAPES 64      /* per VLAN; more: the agent refuses the file */
#define NWBPF_ACL_MAX_RULES 16384    /* rule + default indexes per generation */
#define NWBPF_ACL_MAX_IP_KEYS 262144 /* acl_ip entries, both generations */
#define NWBPF_ACL_MAX_MACS 65536     /* acl_mac entries, both generations */
#define NWBPF_ACL_MAX_VLANS 8192     /* acl_vlans entries, both generations */

enum nwbpf_acl_action {
	NWBPF_ACL_PERMIT = 0,
	NWBPF_ACL_DENY = 1,
};

#define NWBPF_ACL_HAS_IP (1u << 0)  /* the VLAN has an ip-filter */
#define NWBPF_ACL_HAS_MAC (1u << 1) /* the VLAN has a mac-filter */

/* Masks of one shape. A frame's key for the shape is its fields ANDed with
 * these; ports are host order and count only for first fragments of TCP,
 * UDP, DCCP and SCTP (a shape with a port mask never matches other frames). */
struct nwbpf_acl_shape {
	__be32 src_mask;
	__be32 dst_mask;
	__u16 sport_mask;
	__u16 dport_mask;
	__u8 proto_mask;  /* 0xff: protocol exact; 0: any */
	__u8 pad[3];
	__u32 first_rule; /* lowest rule index among this shape's entries */
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_shape, 20);

/* map "acl_active": ARRAY of one (key 0), value __u32 generation (0/1). */

/* map "acl_vlans": HASH, key struct nwbpf_acl_vlan_key. */
struct nwbpf_acl_vlan_key {
	__u16 vlan;
	__u8 gen;
	__u8 pad;
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_vlan_key, 4);

struct nwbpf_acl_vlan {
	__u8 flags;        /* NWBPF_ACL_HAS_* */
	__u8 ip_default;   /* enum nwbpf_acl_action */
	__u8 mac_default;
	__u8 shape_count;  /* shapes[0..shape_count), sorted by first_rule */
	__u32 ip_default_rule;  /* counter index of the ip-filter's default */
	__u32 mac_default_rule; /* counter index of the mac-filter's default */
	__u32 pad;
	struct nwbpf_acl_shape shapes[NWBPF_ACL_MAX_SHAPES];
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_vlan, 16 + 20 * NWBPF_ACL_MAX_SHAPES);

/* map "acl_ip": HASH, key = a frame's masked fields for one shape. */
struct nwbpf_acl_ip_key {
	__u8 gen;
	__u8 shape;   /* index into the VLAN's shapes */
	__u16 vlan;
	__be32 src;
	__be32 dst;
	__u16 sport;  /* host order */
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_ip_key, 20);

/* map "acl_mac": HASH, key = source MAC of a frame of the VLAN. */
struct nwbpf_acl_mac_key {
	__u8 gen;
	__u8 pad;
	__u16 vlan;
	__u8 mac[6];
	__u8 pad2[2];
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_mac_key, 12);

/* Value of acl_ip and acl_mac: the first rule with this key. */
struct nwbpf_acl_hit {
	__u32 rule;   /* rule index (priority: lower wins; counter slot) */
	__u8 action;  /* enum nwbpf_acl_action */
	__u8 pad[3];
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_hit, 8);

/* map "acl_counters": PERCPU_ARRAY of 2 * NWBPF_ACL_MAX_RULES. */
struct nwbpf_acl_counter {
	__u64 packets;
	__u64 bytes;
};
NWBPF_ASSERT_SIZE(struct nwbpf_acl_counter, 16);

#endif
