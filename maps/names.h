/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pin names of the maps (LIBBPF_PIN_BY_NAME pins each map under
 * <bpffs>/nwbpf/<instance>/<name>). The CLI opens these when the agent is
 * down; maps.bpf.h must use the same names (checked by tests/unit/map_layout).
 */
#ifndef NWBPF_MAPS_NAMES_H
#define NWBPF_MAPS_NAMES_H

#define NWBPF_MAP_SETTINGS "settings"
#define NWBPF_MAP_PORTS "ports"
#define NWBPF_MAP_PORTS_OVERFLOW "ports_overflow"
#define NWBPF_MAP_VLAN_PORTS "vlan_ports"
#define NWBPF_MAP_FDB "fdb"
#define NWBPF_MAP_FDB_LEARNED "fdb_learned"
#define NWBPF_MAP_FDB_GEN "fdb_gen"
#define NWBPF_MAP_PEERS "peers"
#define NWBPF_MAP_PEERS_OVERFLOW "peers_overflow"
#define NWBPF_MAP_PEER_NBMA "peer_nbma"
#define NWBPF_MAP_PEER_NBMA_OVERFLOW "peer_nbma_overflow"
#define NWBPF_MAP_NEXTHOPS "nexthops"
#define NWBPF_MAP_NEXTHOPS_OVERFLOW "nexthops_overflow"
#define NWBPF_MAP_FLOOD "flood"
#define NWBPF_MAP_STATS "stats"
#define NWBPF_MAP_DROPS "drops"
#define NWBPF_MAP_EVENTS "events"
#define NWBPF_MAP_ACL_ACTIVE "acl_active"
#define NWBPF_MAP_ACL_VLANS "acl_vlans"
#define NWBPF_MAP_ACL_IP "acl_ip"
#define NWBPF_MAP_ACL_MAC "acl_mac"
#define NWBPF_MAP_ACL_COUNTERS "acl_counters"

#endif
