// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

#include "views/fdb_view.h"
#include "nwbpf/consts.h"

namespace nwbpf::views {
namespace {

constexpr uint64_t kSec = 1000000000ULL;
constexpr uint64_t kNow = 1000 * kSec;

nwbpf_fdb_key key(uint32_t vni, const char* mac) {
  nwbpf_fdb_key k{};
  k.vni = vni;
  std::memcpy(k.mac, Mac::parse(mac).value().bytes.data(), 6);
  return k;
}

__be32 ip(const char* text) { return Ipv4::parse(text).value().be; }

nwbpf_fdb_entry local(uint32_t ifindex, uint8_t origin, uint64_t last_seen_ns = 0) {
  nwbpf_fdb_entry e{};
  e.kind = NWBPF_FDB_LOCAL;
  e.ifindex = ifindex;
  e.origin = origin;
  e.last_seen_ns = last_seen_ns;
  return e;
}

nwbpf_fdb_entry remote(const char* vtep, uint8_t origin, uint64_t last_seen_ns = 0) {
  nwbpf_fdb_entry e{};
  e.kind = NWBPF_FDB_REMOTE;
  e.vtep = ip(vtep);
  e.origin = origin;
  e.last_seen_ns = last_seen_ns;
  return e;
}

nwbpf_port edge_port(uint16_t vlan, bool untagged) {
  nwbpf_port p{};
  p.role = NWBPF_PORT_EDGE;
  p.member[vlan / 64] |= 1ULL << (vlan % 64);
  if (untagged) {
    p.pvid = vlan;
    p.untagged[vlan / 64] |= 1ULL << (vlan % 64);
  }
  return p;
}

nwbpf_peer peer(const char* nbma, uint16_t port = 0) {
  return {.nbma = ip(nbma), .nbma_port = htons(port), .flags = 0, .overlay = 0};
}

std::optional<std::string> names(uint32_t ifindex) {
  if (ifindex == 3) return "vetha";
  if (ifindex == 4) return "vethb";
  return std::nullopt;
}

// Every kind of row, deliberately out of order.
FdbSnapshot snapshot() {
  FdbSnapshot s;
  s.now_ns = kNow;
  s.fdb = {
      {key(100, "02:00:00:00:00:03"), remote("10.0.0.3", NWBPF_ORIGIN_EVPN)},
      {key(99, "02:00:00:00:00:09"), remote("10.0.0.9", NWBPF_ORIGIN_STATIC)},
      {key(99, "02:00:00:00:00:02"), remote("10.0.0.2", NWBPF_ORIGIN_STATIC)},
  };
  nwbpf_fdb_entry odd{};
  odd.kind = 9;
  odd.origin = 7;
  s.fdb.emplace_back(key(5, "02:00:00:00:00:10"), odd);
  s.learned = {
      {key(100, "0a:00:00:00:00:01"), local(4, NWBPF_ORIGIN_LEARNED, kNow + kSec)},  // clock skew
      {key(99, "02:00:00:00:00:05"), local(7, NWBPF_ORIGIN_LEARNED, kNow)},
      // Learned before the static entry for the same MAC was configured.
      {key(99, "02:00:00:00:00:02"), remote("10.0.0.2", NWBPF_ORIGIN_LEARNED, kNow - 300 * kSec)},
      // The origin byte is ignored for fdb_learned: the map decides.
      {key(99, "02:00:00:00:00:01"), local(3, 0, kNow - 12 * kSec - kSec / 2)},
  };
  s.ports = {{3, edge_port(99, true)}, {4, edge_port(100, false)}};
  s.peers = {{ip("10.0.0.2"), peer("192.168.0.2")}, {ip("10.0.0.3"), peer("192.168.0.3", 8472)}};
  return s;
}

TEST(CliFdbView, TableMergesBothMapsSortedByVniThenMac) {
  EXPECT_EQ(fdb_table(fdb_rows(snapshot(), names, std::nullopt)),
            "VNI  MAC                WHERE                                ORIGIN       AGE\n"
            "  5  02:00:00:00:00:10  unknown kind 9                       unknown(7)     -\n"
            " 99  02:00:00:00:00:01  port vetha vlan 99 untagged          learned      12s\n"
            " 99  02:00:00:00:00:02  vtep 10.0.0.2 nbma 192.168.0.2       static         -\n"
            " 99  02:00:00:00:00:02  vtep 10.0.0.2 nbma 192.168.0.2       learned     300s\n"
            " 99  02:00:00:00:00:05  port ? (ifindex 7) vlan 99           learned       0s\n"
            " 99  02:00:00:00:00:09  vtep 10.0.0.9 nbma ?                 static         -\n"
            "100  02:00:00:00:00:03  vtep 10.0.0.3 nbma 192.168.0.3:8472  evpn           -\n"
            "100  0a:00:00:00:00:01  port vethb vlan 100 tagged           learned       0s\n");
}

TEST(CliFdbView, VniFilterKeepsOnlyThatVni) {
  EXPECT_EQ(fdb_table(fdb_rows(snapshot(), names, 100)),
            "VNI  MAC                WHERE                                ORIGIN   AGE\n"
            "100  02:00:00:00:00:03  vtep 10.0.0.3 nbma 192.168.0.3:8472  evpn       -\n"
            "100  0a:00:00:00:00:01  port vethb vlan 100 tagged           learned   0s\n");
  EXPECT_EQ(fdb_table(fdb_rows(snapshot(), names, 4094)), "VNI  MAC  WHERE  ORIGIN  AGE\n");
}

TEST(CliFdbView, DefaultVxlanPortIsNotPrinted) {
  FdbSnapshot s;
  s.fdb = {{key(1, "02:00:00:00:00:01"), remote("10.0.0.2", NWBPF_ORIGIN_STATIC)}};
  s.peers = {{ip("10.0.0.2"), peer("192.168.0.2", NWBPF_VXLAN_PORT)}};
  EXPECT_EQ(fdb_table(fdb_rows(s, names, std::nullopt)),
            "VNI  MAC                WHERE                           ORIGIN  AGE\n"
            "  1  02:00:00:00:00:01  vtep 10.0.0.2 nbma 192.168.0.2  static    -\n");
}

TEST(CliFdbView, JsonHasTheSameFieldsWithNumbersAsNumbers) {
  auto rows = fdb_rows(snapshot(), names, std::nullopt);
  nlohmann::ordered_json j = fdb_json(rows);
  ASSERT_EQ(j.size(), 8u);
  EXPECT_EQ(j[0].dump(), R"j({"vni":5,"mac":"02:00:00:00:00:10","kind":"unknown(9)",)j"
                         R"j("origin":"unknown(7)","age_s":null})j");
  EXPECT_EQ(j[1].dump(), R"({"vni":99,"mac":"02:00:00:00:00:01","kind":"local","port":"vetha",)"
                         R"("ifindex":3,"vlan":99,"untagged":true,"origin":"learned","age_s":12})");
  EXPECT_EQ(j[2].dump(),
            R"({"vni":99,"mac":"02:00:00:00:00:02","kind":"remote","vtep":"10.0.0.2",)"
            R"("nbma":"192.168.0.2","nbma_port":4789,"origin":"static","age_s":null})");
  EXPECT_EQ(j[4].dump(), R"({"vni":99,"mac":"02:00:00:00:00:05","kind":"local","port":null,)"
                         R"("ifindex":7,"vlan":99,"untagged":null,"origin":"learned","age_s":0})");
  EXPECT_EQ(j[5].dump(), R"({"vni":99,"mac":"02:00:00:00:00:09","kind":"remote","vtep":"10.0.0.9",)"
                         R"("nbma":null,"nbma_port":null,"origin":"static","age_s":null})");
  EXPECT_EQ(j[6]["nbma_port"], 8472);
  EXPECT_EQ(j[7]["untagged"], false);
  EXPECT_EQ(fdb_json({}).dump(), "[]");
}

}  // namespace
}  // namespace nwbpf::views
