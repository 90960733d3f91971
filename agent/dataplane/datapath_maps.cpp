// SPDX-License-Identifier: Apache-2.0
#include "dataplane/datapath_maps.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <stdexcept>
#include <utility>

namespace nwbpf {

namespace {

// Refuses an fd whose map does not have the type and key/value sizes the C++
// side reads it with: a mismatch would garble every entry (or overrun the
// value buffer, for a per-CPU map read as a plain one).
MapFd checked(MapFd fd, const std::string& where, bpf_map_type type, size_t key, size_t value) {
  bpf_map_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd.get(), &info, &len) != 0)
    throw BpfError("cannot inspect map " + where, errno);
  auto type_name = [](unsigned t) {
    const char* s = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(t));
    return s ? std::string(s) : "type " + std::to_string(t);
  };
  if (info.type != static_cast<__u32>(type) || info.key_size != key || info.value_size != value)
    throw std::runtime_error("map " + where + " is of type " + type_name(info.type) +
                             " with key/value size " + std::to_string(info.key_size) + "/" +
                             std::to_string(info.value_size) + ", but this nwbpf expects type " +
                             type_name(type) + " with " + std::to_string(key) + "/" +
                             std::to_string(value) + ": it was made by a different nwbpf version");
  return fd;
}

// `open(name)` returns {fd, where} for the map called `name`.
template <typename K, typename V, typename Open>
BpfMap<K, V> typed(Open& open, const char* name, bpf_map_type type) {
  auto [fd, where] = open(name);
  return BpfMap<K, V>(checked(std::move(fd), where, type, sizeof(K), sizeof(V)));
}

// A direct-mapped table (include/nwbpf/slots.h): ARRAY `name` of slots and
// HASH `overflow`.
template <typename Table, typename K, typename V, typename Open>
Table slotted(Open& open, const char* name, const char* overflow) {
  return Table(typed<__u32, V>(open, name, BPF_MAP_TYPE_ARRAY),
               typed<K, V>(open, overflow, BPF_MAP_TYPE_HASH));
}

template <typename Open>
PerCpuArray<nwbpf_counter> counters(Open& open, const char* name) {
  auto [fd, where] = open(name);
  return PerCpuArray<nwbpf_counter>(checked(std::move(fd), where, BPF_MAP_TYPE_PERCPU_ARRAY,
                                            sizeof(__u32), sizeof(nwbpf_counter)));
}

// fdb and fdb_learned, sharing the generation their writes bump.
template <typename Open>
std::pair<FdbMap, FdbMap> fdb_maps(Open& open) {
  auto [fd, where] = open(NWBPF_MAP_FDB_GEN);
  auto gen_fd = checked(std::move(fd), where, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64));
  auto gen = std::make_shared<FdbGeneration>(gen_fd.get());  // the mapping outlives the fd
  return {FdbMap(typed<nwbpf_fdb_key, nwbpf_fdb_entry>(open, NWBPF_MAP_FDB, BPF_MAP_TYPE_HASH), gen),
          FdbMap(typed<nwbpf_fdb_key, nwbpf_fdb_entry>(open, NWBPF_MAP_FDB_LEARNED,
                                                       BPF_MAP_TYPE_LRU_HASH),
                 gen)};
}

// The ebconfig ACL's maps.
template <typename Open>
AclMaps acl_maps(Open& open) {
  auto [fd, where] = open(NWBPF_MAP_ACL_COUNTERS);
  return AclMaps{
      .active = typed<__u32, __u32>(open, NWBPF_MAP_ACL_ACTIVE, BPF_MAP_TYPE_ARRAY),
      .vlans = typed<nwbpf_acl_vlan_key, nwbpf_acl_vlan>(open, NWBPF_MAP_ACL_VLANS,
                                                         BPF_MAP_TYPE_HASH),
      .ip = typed<nwbpf_acl_ip_key, nwbpf_acl_hit>(open, NWBPF_MAP_ACL_IP, BPF_MAP_TYPE_HASH),
      .mac = typed<nwbpf_acl_mac_key, nwbpf_acl_hit>(open, NWBPF_MAP_ACL_MAC, BPF_MAP_TYPE_HASH),
      .counters = PerCpuArray<nwbpf_acl_counter>(
          checked(std::move(fd), where, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32),
                  sizeof(nwbpf_acl_counter))),
  };
}

// Map types as declared in maps/maps.bpf.h.
template <typename Open>
DatapathMaps build(Open&& open) {
  // settings first: the map a missing pin directory is reported by.
  auto settings = typed<__u32, nwbpf_settings>(open, NWBPF_MAP_SETTINGS, BPF_MAP_TYPE_ARRAY);
  auto [fdb, fdb_learned] = fdb_maps(open);
  return DatapathMaps{
      .settings = std::move(settings),
      .ports = slotted<PortTable, __u32, nwbpf_port>(open, NWBPF_MAP_PORTS,
                                                     NWBPF_MAP_PORTS_OVERFLOW),
      .vlan_ports = typed<__u32, nwbpf_vlan_ports>(open, NWBPF_MAP_VLAN_PORTS, BPF_MAP_TYPE_HASH),
      .fdb = std::move(fdb),
      .fdb_learned = std::move(fdb_learned),
      .peers = slotted<PeerTable, __be32, nwbpf_peer>(open, NWBPF_MAP_PEERS,
                                                      NWBPF_MAP_PEERS_OVERFLOW),
      .peer_nbma = slotted<PeerNbmaTable, nwbpf_peer_nbma_key, nwbpf_peer_nbma>(
          open, NWBPF_MAP_PEER_NBMA, NWBPF_MAP_PEER_NBMA_OVERFLOW),
      .nexthops = slotted<NextHopTable, __be32, nwbpf_nexthop>(open, NWBPF_MAP_NEXTHOPS,
                                                               NWBPF_MAP_NEXTHOPS_OVERFLOW),
      .flood = typed<__u32, nwbpf_flood>(open, NWBPF_MAP_FLOOD, BPF_MAP_TYPE_HASH),
      .stats = counters(open, NWBPF_MAP_STATS),
      .drops = counters(open, NWBPF_MAP_DROPS),
      .acl = acl_maps(open),
  };
}

}  // namespace

DatapathMaps DatapathMaps::open_pinned(const std::string& pin_dir) {
  return build([&](const char* name) {
    std::string path = pin_dir + "/" + name;
    try {
      return std::pair{MapFd::open_pinned(path), path};
    } catch (const BpfError& e) {
      if (e.err() != ENOENT) throw;
      throw BpfError(
          "pinned map " + path +
              " does not exist (is nwbpfd running, or has it run, with this instance and bpffs?)",
          ENOENT);
    }
  });
}

DatapathMaps DatapathMaps::from_object(const bpf_object* obj) {
  return build([&](const char* name) {
    const bpf_map* map = bpf_object__find_map_by_name(obj, name);
    if (!map) throw std::runtime_error(std::string("BPF object has no map '") + name + "'");
    int fd = bpf_map__fd(map);
    if (fd < 0)
      throw std::runtime_error(std::string("map '") + name + "' of the BPF object is not loaded");
    return std::pair{MapFd::borrow(fd), std::string("'") + name + "' of the BPF object"};
  });
}

}  // namespace nwbpf
