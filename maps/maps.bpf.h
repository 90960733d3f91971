/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data plane's maps, declared once for every program (BPF side only).
 * All are pinned by name under <bpffs>/nwbpf/<instance>/ so forwarding state
 * survives an agent restart; the agent sets max_entries before load where the
 * config sizes a table.
 */
#ifndef NWBPF_MAPS_BPF_H
#define NWBPF_MAPS_BPF_H

#include "nwbpf/consts.h"
#include "nwbpf/counters.h"
#include "nwbpf/events.h"
#include "maps/acl.h"
#include "maps/fdb.h"
#include "maps/flood.h"
#include "maps/nexthop.h"
#include "maps/peer.h"
#include "maps/port.h"
#include "maps/settings.h"

/* Node-wide settings (key 0). Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nwbpf_settings);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} settings SEC(".maps");

/* Port role, PVID, VLAN membership, direct-mapped: slot
 * nwbpf_port_slot(ifindex), else ports_overflow. Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NWBPF_PORT_SLOTS);
	__type(key, __u32);
	__type(value, struct nwbpf_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NWBPF_PORT_SLOTS);
	__type(key, __u32);
	__type(value, struct nwbpf_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ports_overflow SEC(".maps");

/* VLAN ID -> local edge ports, for BUM. Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct nwbpf_vlan_ports);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vlan_ports SEC(".maps");

/* Control-plane FDB (static, EVPN). Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct nwbpf_fdb_key);
	__type(value, struct nwbpf_fdb_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fdb SEC(".maps");

/* Data-plane learned FDB. Writer: BPF learning; the agent deletes aged entries. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct nwbpf_fdb_key);
	__type(value, struct nwbpf_fdb_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fdb_learned SEC(".maps");

/* FDB generation (key 0; maps/fdb.h): bumped after every change to fdb or
 * fdb_learned. Writers: BPF learning, the agent (through an mmap: one atomic
 * add per change, no syscall). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fdb_gen SEC(".maps");

/* VTEP overlay address -> NBMA address (the NHRP cache), direct-mapped:
 * slot nwbpf_addr_slot(overlay), else peers_overflow. Writer: reconciler;
 * BPF sets NWBPF_PEER_USED in an entry's flags and, for a peer behind NAT,
 * the nbma_port it learned (maps/peer.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NWBPF_ADDR_SLOTS);
	__type(key, __u32);
	__type(value, struct nwbpf_peer);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} peers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, struct nwbpf_peer);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} peers_overflow SEC(".maps");

/* NBMA address -> overlay address: which outer sources are peers.
 * Direct-mapped like peers. Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NWBPF_ADDR_SLOTS);
	__type(key, __u32);
	__type(value, struct nwbpf_peer_nbma);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} peer_nbma SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct nwbpf_peer_nbma_key);
	__type(value, struct nwbpf_peer_nbma);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} peer_nbma_overflow SEC(".maps");

/* NBMA address -> egress device and outer MACs, from the kernel's route and
 * neighbour tables, so encapsulation needs no fib lookup (and no IPv4
 * forwarding on the WAN). Direct-mapped like peers. Writer: reconciler
 * (refreshed every second). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NWBPF_ADDR_SLOTS);
	__type(key, __u32);
	__type(value, struct nwbpf_nexthop);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nexthops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, struct nwbpf_nexthop);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nexthops_overflow SEC(".maps");

/* VNI -> ingress-replication VTEP list. Writer: reconciler. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct nwbpf_flood);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flood SEC(".maps");

/* ebconfig's filters (maps/acl.h): the generation frames read (key 0).
 * Writer: the agent's AclTable, one store per rule-set swap. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} acl_active SEC(".maps");

/* (VLAN, generation) -> the VLAN's defaults and rule shapes. Not
 * preallocated, like the other ACL hashes: their limits are far above a
 * usual rule set and an empty set should cost no memory. Writer: AclTable. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NWBPF_ACL_MAX_VLANS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nwbpf_acl_vlan_key);
	__type(value, struct nwbpf_acl_vlan);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} acl_vlans SEC(".maps");

/* A frame's masked IPv4 fields for one shape -> the first ip rule with
 * them. Writer: AclTable. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NWBPF_ACL_MAX_IP_KEYS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nwbpf_acl_ip_key);
	__type(value, struct nwbpf_acl_hit);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} acl_ip SEC(".maps");

/* (VLAN, source MAC) -> the first mac rule naming it. Writer: AclTable. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NWBPF_ACL_MAX_MACS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nwbpf_acl_mac_key);
	__type(value, struct nwbpf_acl_hit);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} acl_mac SEC(".maps");

/* Per rule and default: packets and bytes it decided, slot gen *
 * NWBPF_ACL_MAX_RULES + rule. Writer: BPF; AclTable zeroes a generation's
 * slots before it swaps to it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * NWBPF_ACL_MAX_RULES);
	__type(key, __u32);
	__type(value, struct nwbpf_acl_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} acl_counters SEC(".maps");

/* Forwarding counters, indexed by enum nwbpf_stat. Writer: BPF. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NWBPF_STAT_MAX);
	__type(key, __u32);
	__type(value, struct nwbpf_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} stats SEC(".maps");

/* Drops, indexed by enum nwbpf_drop. Writer: BPF. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NWBPF_DROP_MAX);
	__type(key, __u32);
	__type(value, struct nwbpf_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} drops SEC(".maps");

/* Learning and miss events to the agent (struct nwbpf_event). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} events SEC(".maps");

#endif
