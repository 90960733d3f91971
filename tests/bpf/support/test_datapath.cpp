// SPDX-License-Identifier: Apache-2.0
#include "support/test_datapath.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "support/embedded_object.h"

namespace nwbpf::test {

namespace {
std::string errstr(int err) { return std::strerror(err < 0 ? -err : err); }

const char* const kDropNames[] = {
#define NWBPF_X_NAME(e, n, h) n,
    NWBPF_DROP_LIST(NWBPF_X_NAME)
#undef NWBPF_X_NAME
};
}  // namespace

TestDatapath::TestDatapath(const LoadOptions& o) {
  auto elf = nwbpf_test_object();
  obj_ = bpf_object__open_mem(elf.data(), elf.size(), nullptr);
  if (!obj_) throw std::runtime_error("bpf_object__open_mem: " + errstr(errno));
  bpf_map* m;
  bpf_object__for_each_map(m, obj_) {
    // Tests never share or keep maps: no pins.
    int err = bpf_map__set_pin_path(m, nullptr);
    if (err) throw std::runtime_error("bpf_map__set_pin_path: " + errstr(err));
  }
  if (o.fdb_max_entries) {
    int err = bpf_map__set_max_entries(map("fdb"), o.fdb_max_entries);
    if (err)
      throw std::runtime_error("sizing map fdb to " + std::to_string(o.fdb_max_entries) + ": " +
                               errstr(err));
  }
  if (!o.fdb_memo) set_rodata_u8("fdb_memo_enabled", 0);
  int err = bpf_object__load(obj_);
  if (err) throw std::runtime_error("bpf_object__load (verifier log above): " + errstr(err));
  gen_ = std::make_unique<FdbGeneration>(bpf_map__fd(map(NWBPF_MAP_FDB_GEN)));
  rb_ = ring_buffer__new(
      bpf_map__fd(map("events")),
      [](void* ctx, void* data, size_t size) {
        if (size != sizeof(nwbpf_event)) return -1;
        nwbpf_event ev;
        std::memcpy(&ev, data, sizeof(ev));
        static_cast<std::vector<nwbpf_event>*>(ctx)->push_back(ev);
        return 0;
      },
      &pending_, nullptr);
  if (!rb_) throw std::runtime_error("ring_buffer__new: " + errstr(errno));
}

TestDatapath::~TestDatapath() {
  ring_buffer__free(rb_);
  bpf_object__close(obj_);
}

int TestDatapath::prog_fd(const char* name) const {
  bpf_program* p = bpf_object__find_program_by_name(obj_, name);
  if (!p) throw std::runtime_error(std::string("no program ") + name);
  return bpf_program__fd(p);
}

bpf_map* TestDatapath::map(const char* name) const {
  bpf_map* m = bpf_object__find_map_by_name(obj_, name);
  if (!m) throw std::runtime_error(std::string("no map ") + name);
  return m;
}

// Sets a `const volatile __u8` of the object's .rodata before load: its
// offset comes from the section's BTF (what a skeleton would generate).
void TestDatapath::set_rodata_u8(const char* var, uint8_t value) {
  bpf_map* rodata = map(".rodata");
  const btf* b = bpf_object__btf(obj_);
  int sec = btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC);
  if (sec < 0) throw std::runtime_error("no BTF for .rodata");
  const btf_type* t = btf__type_by_id(b, sec);
  const btf_var_secinfo* v = btf_var_secinfos(t);
  for (int i = 0; i < btf_vlen(t); i++, v++) {
    const char* name = btf__name_by_offset(b, btf__type_by_id(b, v->type)->name_off);
    if (std::strcmp(name, var) != 0) continue;
    size_t size = 0;
    const auto* now = static_cast<const uint8_t*>(bpf_map__initial_value(rodata, &size));
    if (!now || v->offset + 1 > size || v->size != 1)
      throw std::runtime_error(std::string("rodata ") + var + " is not a byte");
    std::vector<uint8_t> data(now, now + size);
    data[v->offset] = value;
    if (int err = bpf_map__set_initial_value(rodata, data.data(), data.size()))
      throw std::runtime_error(std::string("setting rodata ") + var + ": " + errstr(err));
    return;
  }
  throw std::runtime_error(std::string("no rodata variable ") + var);
}

void TestDatapath::update(bpf_map* map, const void* key, const void* value) {
  int err = bpf_map_update_elem(bpf_map__fd(map), key, value, BPF_ANY);
  if (err)
    throw std::runtime_error(std::string("update ") + bpf_map__name(map) + ": " + errstr(errno));
}

nwbpf_settings TestDatapath::settings() const {
  uint32_t k = 0;
  nwbpf_settings s{};
  if (bpf_map_lookup_elem(bpf_map__fd(map("settings")), &k, &s))
    throw std::runtime_error("settings lookup: " + errstr(errno));
  return s;
}

void TestDatapath::set_settings(const nwbpf_settings& s) {
  uint32_t k = 0;
  update(map("settings"), &k, &s);
}

void TestDatapath::set_port(uint32_t ifindex, nwbpf_port p) {
  p.ifindex = ifindex;
  ports().update(ifindex, p);
}

// The direct-mapped table `name` (and `name`_overflow), placed as the agent does.
template <typename Table, typename K, typename V>
Table TestDatapath::slotted(const char* name) const {
  auto overflow = std::string(name) + "_overflow";
  return Table(BpfMap<__u32, V>(MapFd::borrow(bpf_map__fd(map(name)))),
               BpfMap<K, V>(MapFd::borrow(bpf_map__fd(map(overflow.c_str())))));
}

PortTable TestDatapath::ports() const { return slotted<PortTable, __u32, nwbpf_port>("ports"); }

PeerTable TestDatapath::peers() const {
  return slotted<PeerTable, __be32, nwbpf_peer>("peers");
}

PeerNbmaTable TestDatapath::peer_nbma() const {
  return slotted<PeerNbmaTable, nwbpf_peer_nbma_key, nwbpf_peer_nbma>("peer_nbma");
}

NextHopTable TestDatapath::nexthops() const {
  return slotted<NextHopTable, __be32, nwbpf_nexthop>("nexthops");
}

void TestDatapath::set_vlan_ports(uint32_t vid, const std::vector<uint32_t>& ifindexes) {
  nwbpf_vlan_ports v{};
  v.count = ifindexes.size();
  for (size_t i = 0; i < ifindexes.size(); i++) v.ifindex[i] = ifindexes[i];
  update(map("vlan_ports"), &vid, &v);
}

void TestDatapath::add_fdb(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e) {
  raw_add_fdb(vni, m, e);
  gen_->bump();
}

void TestDatapath::raw_add_fdb(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e) {
  auto k = fdb_key(vni, m);
  update(map("fdb"), &k, &e);
}

bool TestDatapath::erase_fdb(uint32_t vni, const MacAddr& m) { return erase("fdb", vni, m); }

bool TestDatapath::erase_learned(uint32_t vni, const MacAddr& m) {
  return erase("fdb_learned", vni, m);
}

bool TestDatapath::erase(const char* name, uint32_t vni, const MacAddr& m) {
  auto k = fdb_key(vni, m);
  if (bpf_map_delete_elem(bpf_map__fd(map(name)), &k)) {
    if (errno == ENOENT) return false;
    throw std::runtime_error(std::string("delete from ") + name + ": " + errstr(errno));
  }
  gen_->bump();
  return true;
}

void TestDatapath::add_fdb_batch(const std::vector<nwbpf_fdb_key>& keys,
                                 const std::vector<nwbpf_fdb_entry>& entries) {
  if (keys.size() != entries.size())
    throw std::invalid_argument("add_fdb_batch: " + std::to_string(keys.size()) + " keys, " +
                                std::to_string(entries.size()) + " entries");
  uint32_t count = keys.size();  // in: entries; out: entries written
  if (bpf_map_update_batch(bpf_map__fd(map("fdb")), keys.data(), entries.data(), &count, nullptr))
    throw std::runtime_error("batch update of fdb stopped after " + std::to_string(count) +
                             " of " + std::to_string(keys.size()) + " entries: " + errstr(errno));
  gen_->bump();
}

void TestDatapath::add_learned(uint32_t vni, const MacAddr& m, const nwbpf_fdb_entry& e) {
  auto k = fdb_key(vni, m);
  update(map("fdb_learned"), &k, &e);
  gen_->bump();
}

std::optional<nwbpf_fdb_entry> TestDatapath::learned(uint32_t vni, const MacAddr& m) const {
  auto k = fdb_key(vni, m);
  nwbpf_fdb_entry e{};
  if (bpf_map_lookup_elem(bpf_map__fd(map("fdb_learned")), &k, &e)) return std::nullopt;
  return e;
}

size_t TestDatapath::learned_count() const {
  size_t n = 0;
  nwbpf_fdb_key k{}, next{};
  const void* prev = nullptr;
  while (!bpf_map_get_next_key(bpf_map__fd(map("fdb_learned")), prev, &next)) {
    n++;
    k = next;
    prev = &k;
  }
  return n;
}

void TestDatapath::set_peer(uint32_t overlay, uint32_t nbma) {
  nwbpf_peer p{};
  p.nbma = nbma;
  p.overlay = overlay;
  peers().update(overlay, p);
  peer_nbma().update(nwbpf_peer_nbma_key{nbma}, nwbpf_peer_nbma{overlay, nbma});
}

void TestDatapath::set_flood(uint32_t vni, const std::vector<uint32_t>& vteps) {
  nwbpf_flood f{};
  f.count = vteps.size();
  for (size_t i = 0; i < vteps.size(); i++) f.vtep[i] = vteps[i];
  update(map("flood"), &vni, &f);
}

void TestDatapath::set_nexthop(uint32_t nbma, uint32_t ifindex, const MacAddr& smac,
                               const MacAddr& dmac, uint16_t flags) {
  nwbpf_nexthop nh{};
  std::memcpy(nh.dmac, dmac.data(), 6);
  std::memcpy(nh.smac, smac.data(), 6);
  nh.ifindex = ifindex;
  nh.flags = flags;
  nh.nbma = nbma;
  nexthops().update(nbma, nh);
}

void TestDatapath::delete_nexthop(uint32_t nbma) {
  if (!nexthops().erase(nbma)) throw std::runtime_error("delete nexthops entry: not there");
}

uint64_t TestDatapath::counter(bpf_map* map, uint32_t i) const {
  int ncpu = libbpf_num_possible_cpus();
  std::vector<nwbpf_counter> v(ncpu);
  if (bpf_map_lookup_elem(bpf_map__fd(map), &i, v.data()))
    throw std::runtime_error("counter lookup: " + errstr(errno));
  uint64_t sum = 0;
  for (auto& c : v) sum += c.packets;
  return sum;
}

uint64_t TestDatapath::stat(nwbpf_stat i) const { return counter(map("stats"), i); }
uint64_t TestDatapath::drop(nwbpf_drop i) const { return counter(map("drops"), i); }

std::string TestDatapath::drops_summary() const {
  std::string s;
  for (uint32_t i = 0; i < NWBPF_DROP_MAX; i++)
    if (uint64_t n = drop(static_cast<nwbpf_drop>(i)))
      s += std::string(kDropNames[i]) + "=" + std::to_string(n) + " ";
  return s.empty() ? "none" : s;
}

std::vector<nwbpf_event> TestDatapath::events() {
  ring_buffer__consume(rb_);
  return std::exchange(pending_, {});
}

nwbpf_port edge_port(const std::vector<uint16_t>& vlans, bool tagged, bool xdp_tx) {
  nwbpf_port p{};
  p.role = NWBPF_PORT_EDGE;
  p.flags = xdp_tx ? NWBPF_PORT_XDP_TX : 0;
  for (uint16_t v : vlans) {
    p.member[v / 64] |= 1ULL << (v % 64);
    if (!tagged) p.untagged[v / 64] |= 1ULL << (v % 64);
  }
  p.pvid = tagged || vlans.empty() ? 0 : vlans.back();
  return p;
}

nwbpf_fdb_key fdb_key(uint32_t vni, const MacAddr& m) {
  nwbpf_fdb_key k{};
  k.vni = vni;
  std::memcpy(k.mac, m.data(), 6);
  return k;
}

nwbpf_fdb_entry fdb_local(uint32_t ifindex, uint8_t origin) {
  nwbpf_fdb_entry e{};
  e.ifindex = ifindex;
  e.kind = NWBPF_FDB_LOCAL;
  e.origin = origin;
  return e;
}

nwbpf_fdb_entry fdb_remote(uint32_t vtep, uint8_t origin) {
  nwbpf_fdb_entry e{};
  e.vtep = vtep;
  e.kind = NWBPF_FDB_REMOTE;
  e.origin = origin;
  return e;
}

}  // namespace nwbpf::test
