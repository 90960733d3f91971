// SPDX-License-Identifier: Apache-2.0
// The real nwbpf.bpf.o (embedded by its skeleton) loaded with pinning disabled, so
// every test gets fresh maps that vanish with it. Typed accessors fill the
// maps the way the agent's reconciler would and read back counters, learned
// entries and ring-buffer events.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "dataplane/fdb_map.h"
#include "dataplane/slot_layouts.h"
#include "maps/fdb.h"
#include "maps/flood.h"
#include "maps/nexthop.h"
#include "maps/peer.h"
#include "maps/port.h"
#include "maps/settings.h"
#include "nwbpf/consts.h"
#include "nwbpf/counters.h"
#include "nwbpf/events.h"
#include "support/packet.h"

namespace nwbpf::test {

// How the object is loaded.
struct LoadOptions {
  uint32_t fdb_max_entries = 0;  // size of the `fdb` map; 0: the object's own
  bool fdb_memo = true;          // false: every FDB lookup takes the hash maps
};

class TestDatapath {
 public:
  // Open, unpin, apply o (the agent sizes `fdb` from dataplane.fdb_size and
  // never turns the memo off), load. Throws std::runtime_error.
  explicit TestDatapath(const LoadOptions& o = {});
  ~TestDatapath();
  TestDatapath(const TestDatapath&) = delete;
  TestDatapath& operator=(const TestDatapath&) = delete;

  // Program or map of the object by name; throws if absent.
  int prog_fd(const char* name) const;
  bpf_map* map(const char* name) const;

  nwbpf_settings settings() const;
  void set_settings(const nwbpf_settings& s);
  // As the agent places it (include/nwbpf/slots.h); p.ifindex is set.
  void set_port(uint32_t ifindex, nwbpf_port p);
  // The direct-mapped tables, placed as the agent does.
  PortTable ports() const;
  PeerTable peers() const;
  PeerNbmaTable peer_nbma() const;
  NextHopTable nexthops() const;
  void set_vlan_ports(uint32_t vid, const std::vector<uint32_t>& ifindexes);
  void add_fdb(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e);
  // Many static entries in one BPF_MAP_UPDATE_BATCH (one syscall, not one
  // per entry: what makes a million-entry table quick to fill).
  void add_fdb_batch(const std::vector<nwbpf_fdb_key>& keys,
                     const std::vector<nwbpf_fdb_entry>& entries);
  void add_learned(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e);
  // Like the agent, every FDB change above and below bumps the FDB
  // generation; raw_* leave it alone (to show what a memo does without it).
  bool erase_fdb(uint32_t vni, const MacAddr& m);
  bool erase_learned(uint32_t vni, const MacAddr& m);
  void raw_add_fdb(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e);
  uint64_t fdb_generation() const { return gen_->value(); }
  std::optional<nwbpf_fdb_entry> learned(uint32_t vni, const MacAddr& m) const;
  size_t learned_count() const;
  // peers[overlay] = nbma and peer_nbma[nbma] = overlay.
  void set_peer(uint32_t overlay, uint32_t nbma);
  void set_flood(uint32_t vni, const std::vector<uint32_t>& vteps);
  // nexthops[nbma]: out of ifindex from smac to dmac, as the agent writes it
  // (by default for a device that takes XDP frames).
  void set_nexthop(uint32_t nbma, uint32_t ifindex, const MacAddr& smac, const MacAddr& dmac,
                   uint16_t flags = NWBPF_NH_XDP_TX);
  void delete_nexthop(uint32_t nbma);

  // Packets summed over CPUs.
  uint64_t stat(nwbpf_stat i) const;
  uint64_t drop(nwbpf_drop i) const;
  // Every drop reason with a non-zero count, as "name=N" (for failure messages).
  std::string drops_summary() const;
  // Events waiting in the ring buffer (consumed).
  std::vector<nwbpf_event> events();

 private:
  template <typename Table, typename K, typename V>
  Table slotted(const char* name) const;
  uint64_t counter(bpf_map* map, uint32_t i) const;
  void update(bpf_map* map, const void* key, const void* value);

  bool erase(const char* map, uint32_t vni, const MacAddr& m);
  void set_rodata_u8(const char* var, uint8_t value);

  bpf_object* obj_ = nullptr;
  ring_buffer* rb_ = nullptr;
  std::unique_ptr<FdbGeneration> gen_;
  std::vector<nwbpf_event> pending_;
};

// Edge port carrying vlans; untagged: PVID = last listed, all leave untagged.
nwbpf_port edge_port(const std::vector<uint16_t>& vlans, bool tagged, bool xdp_tx);
nwbpf_fdb_key fdb_key(uint32_t vni, const MacAddr& m);
nwbpf_fdb_entry fdb_local(uint32_t ifindex, uint8_t origin = NWBPF_ORIGIN_STATIC);
nwbpf_fdb_entry fdb_remote(uint32_t vtep, uint8_t origin = NWBPF_ORIGIN_STATIC);

}  // namespace nwbpf::test
