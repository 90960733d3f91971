// SPDX-License-Identifier: Apache-2.0
// show fdb / show stats end to end on real pinned maps: the test mounts a
// private bpffs, creates and pins every data-plane map with the types of
// maps/maps.bpf.h, fills them, and runs `nwbpf --bpffs DIR ...` in-process.
// Needs root (CAP_BPF, CAP_SYS_ADMIN for the mount); skipped otherwise.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <vector>

#include "views/map_snapshot.h"
#include "cli_test_support.h"
#include "common/net_types.h"
#include "maps/acl.h"
#include "maps/fdb.h"
#include "maps/flood.h"
#include "maps/names.h"
#include "maps/nexthop.h"
#include "maps/peer.h"
#include "maps/port.h"
#include "maps/settings.h"
#include "nwbpf/counters.h"

namespace nwbpf::cli {

using namespace nwbpf::views;  // the shared fdb/stats views and tables
namespace {

using testing::run_nwbpf;
using testing::run_nwbpf_as_nobody;

constexpr uint64_t kSec = 1000000000ULL;

class PinnedMaps : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/nwbpf-cli-bpffs.XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    bpffs_ = dir;
    if (mount("bpf", bpffs_.c_str(), "bpf", 0, nullptr) != 0) {
      int err = errno;
      rmdir(bpffs_.c_str());
      bpffs_.clear();
      GTEST_SKIP() << "cannot mount a bpffs (" << std::strerror(err) << "): needs root";
    }
    pin_dir_ = bpffs_ + "/nwbpf/t1";
    ASSERT_EQ(mkdir((bpffs_ + "/nwbpf").c_str(), 0700), 0);
    ASSERT_EQ(mkdir(pin_dir_.c_str(), 0700), 0);
    create(NWBPF_MAP_SETTINGS, BPF_MAP_TYPE_ARRAY, 4, sizeof(nwbpf_settings), 1);
    ports_ = create(NWBPF_MAP_PORTS, BPF_MAP_TYPE_ARRAY, 4, sizeof(nwbpf_port), NWBPF_PORT_SLOTS);
    create(NWBPF_MAP_PORTS_OVERFLOW, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_port), NWBPF_PORT_SLOTS);
    create(NWBPF_MAP_VLAN_PORTS, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_vlan_ports), 4096);
    fdb_ = create(NWBPF_MAP_FDB, BPF_MAP_TYPE_HASH, sizeof(nwbpf_fdb_key), sizeof(nwbpf_fdb_entry),
                  64);
    learned_ = create(NWBPF_MAP_FDB_LEARNED, BPF_MAP_TYPE_LRU_HASH, sizeof(nwbpf_fdb_key),
                      sizeof(nwbpf_fdb_entry), 64);
    create(NWBPF_MAP_FDB_GEN, BPF_MAP_TYPE_ARRAY, 4, sizeof(__u64), 1, BPF_F_MMAPABLE);
    // Direct-mapped (include/nwbpf/slots.h); the peer goes to the overflow,
    // which the CLI must read as well.
    create(NWBPF_MAP_PEERS, BPF_MAP_TYPE_ARRAY, 4, sizeof(nwbpf_peer), NWBPF_ADDR_SLOTS);
    peers_ = create(NWBPF_MAP_PEERS_OVERFLOW, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_peer), 64);
    create(NWBPF_MAP_PEER_NBMA, BPF_MAP_TYPE_ARRAY, 4, sizeof(nwbpf_peer_nbma), NWBPF_ADDR_SLOTS);
    create(NWBPF_MAP_PEER_NBMA_OVERFLOW, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_peer_nbma), 64);
    create(NWBPF_MAP_NEXTHOPS, BPF_MAP_TYPE_ARRAY, 4, sizeof(nwbpf_nexthop), NWBPF_ADDR_SLOTS);
    create(NWBPF_MAP_NEXTHOPS_OVERFLOW, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_nexthop), 64);
    create(NWBPF_MAP_FLOOD, BPF_MAP_TYPE_HASH, 4, sizeof(nwbpf_flood), 64);
    stats_ = create(NWBPF_MAP_STATS, BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(nwbpf_counter),
                    NWBPF_STAT_MAX);
    drops_ = create(NWBPF_MAP_DROPS, BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(nwbpf_counter),
                    NWBPF_DROP_MAX);
    create(NWBPF_MAP_ACL_ACTIVE, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
    create(NWBPF_MAP_ACL_VLANS, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_vlan_key),
           sizeof(nwbpf_acl_vlan), NWBPF_ACL_MAX_VLANS, BPF_F_NO_PREALLOC);
    create(NWBPF_MAP_ACL_IP, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_ip_key), sizeof(nwbpf_acl_hit),
           NWBPF_ACL_MAX_IP_KEYS, BPF_F_NO_PREALLOC);
    create(NWBPF_MAP_ACL_MAC, BPF_MAP_TYPE_HASH, sizeof(nwbpf_acl_mac_key), sizeof(nwbpf_acl_hit),
           NWBPF_ACL_MAX_MACS, BPF_F_NO_PREALLOC);
    create(NWBPF_MAP_ACL_COUNTERS, BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(nwbpf_acl_counter),
           2 * NWBPF_ACL_MAX_RULES);
  }

  void TearDown() override {
    for (int fd : fds_) close(fd);
    if (bpffs_.empty()) return;
    umount2(bpffs_.c_str(), MNT_DETACH);
    rmdir(bpffs_.c_str());
  }

  int create(const char* name, bpf_map_type type, uint32_t key, uint32_t value, uint32_t max,
             uint32_t flags = 0) {
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
    int fd = bpf_map_create(type, name, key, value, max, &opts);
    EXPECT_GE(fd, 0) << name << ": " << std::strerror(errno);
    EXPECT_EQ(bpf_obj_pin(fd, (pin_dir_ + "/" + name).c_str()), 0) << name;
    fds_.push_back(fd);
    return fd;
  }

  template <typename K, typename V>
  void put(int fd, const K& key, const V& value) {
    ASSERT_EQ(bpf_map_update_elem(fd, &key, &value, BPF_ANY), 0) << std::strerror(errno);
  }

  // Counter `index` of a per-CPU map: `first` on CPU 0, `last` on the last CPU.
  void put_counter(int fd, uint32_t index, nwbpf_counter first, nwbpf_counter last) {
    std::vector<nwbpf_counter> v(static_cast<size_t>(libbpf_num_possible_cpus()));
    v.front() = first;
    v.back().packets += last.packets;
    v.back().bytes += last.bytes;
    ASSERT_EQ(bpf_map_update_elem(fd, &index, v.data(), BPF_ANY), 0);
  }

  // `nwbpf --bpffs <this bpffs> --instance INSTANCE ARGS...`
  std::vector<std::string> args(std::vector<std::string> rest, const std::string& instance = "t1") {
    rest.insert(rest.begin(), {"--bpffs", bpffs_, "--instance", instance});
    return rest;
  }

  static nwbpf_fdb_key key(uint32_t vni, const char* mac) {
    nwbpf_fdb_key k{};
    k.vni = vni;
    std::memcpy(k.mac, Mac::parse(mac).value().bytes.data(), 6);
    return k;
  }

  static nwbpf_fdb_entry entry(uint8_t kind, uint8_t origin, __be32 vtep, uint32_t ifindex = 0) {
    nwbpf_fdb_entry e{};
    e.kind = kind;
    e.origin = origin;
    e.vtep = vtep;
    e.ifindex = ifindex;
    return e;
  }

  std::string bpffs_, pin_dir_;
  std::vector<int> fds_;
  int ports_ = -1, fdb_ = -1, learned_ = -1, peers_ = -1, stats_ = -1, drops_ = -1;
};

TEST_F(PinnedMaps, ShowFdbMergesStaticAndLearnedWithAges) {
  __be32 vtep2 = Ipv4::parse("10.0.0.2")->be, vtep9 = Ipv4::parse("10.0.0.9")->be;
  put(peers_, vtep2, nwbpf_peer{.nbma = Ipv4::parse("192.168.0.2")->be, .overlay = vtep2});
  nwbpf_port lo{};
  lo.role = NWBPF_PORT_EDGE;
  lo.ifindex = 1;
  lo.pvid = 99;
  lo.member[1] = lo.untagged[1] = 1ULL << (99 - 64);
  put(ports_, uint32_t{1}, lo);  // slot 1: ifindex 1 is "lo" in every network namespace

  put(fdb_, key(99, "02:00:00:00:00:02"), entry(NWBPF_FDB_REMOTE, NWBPF_ORIGIN_STATIC, vtep2));
  put(fdb_, key(100, "02:00:00:00:00:09"), entry(NWBPF_FDB_REMOTE, NWBPF_ORIGIN_STATIC, vtep9));
  auto learned = entry(NWBPF_FDB_LOCAL, NWBPF_ORIGIN_LEARNED, 0, 1);
  learned.last_seen_ns = monotonic_now_ns() - 42 * kSec - kSec / 2;
  put(learned_, key(99, "02:00:00:00:00:01"), learned);

  auto r = run_nwbpf(args({"show", "fdb"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "VNI  MAC                WHERE                           ORIGIN   AGE\n"
            " 99  02:00:00:00:00:01  port lo vlan 99 untagged        learned  42s\n"
            " 99  02:00:00:00:00:02  vtep 10.0.0.2 nbma 192.168.0.2  static     -\n"
            "100  02:00:00:00:00:09  vtep 10.0.0.9 nbma ?            static     -\n");

  r = run_nwbpf(args({"show", "fdb", "--vni", "99", "-j"}));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(
      r.out,
      R"([{"vni":99,"mac":"02:00:00:00:00:01","kind":"local","port":"lo","ifindex":1,"vlan":99,)"
      R"("untagged":true,"origin":"learned","age_s":42},)"
      R"({"vni":99,"mac":"02:00:00:00:00:02","kind":"remote","vtep":"10.0.0.2",)"
      R"("nbma":"192.168.0.2","nbma_port":4789,"origin":"static","age_s":null}])"
      "\n");
}

TEST_F(PinnedMaps, ShowStatsSumsCpusAndExplainsDrops) {
  put_counter(stats_, NWBPF_STAT_EDGE_RX, {10, 1000}, {5, 500});
  put_counter(stats_, NWBPF_STAT_ENCAP, {7, 700}, {0, 0});
  put_counter(drops_, NWBPF_DROP_UNKNOWN_PEER, {0, 0}, {2, 200});

  auto r = run_nwbpf(args({"show", "stats"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "COUNTER  PACKETS  BYTES  DESCRIPTION\n"
            "edge_rx       15   1500  frames received on edge ports\n"
            "encap          7    700  unicast edge -> VTEP (encapsulated)\n"
            "\n"
            "DROP REASON   PACKETS  BYTES  DESCRIPTION\n"
            "unknown_peer        2    200  VXLAN from a source that is not a peer\n");

  r = run_nwbpf(args({"show", "stats", "-j"}));
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with(R"({"stats":[{"name":"edge_rx","description":"frames received on )"
                                R"(edge ports","packets":15,"bytes":1500},{"name":"wan_rx",)"))
      << r.out;
  EXPECT_NE(
      r.out.find(R"({"name":"unknown_peer","description":"VXLAN from a source that is not a peer",)"
                 R"("packets":2,"bytes":200})"),
      std::string::npos)
      << r.out;
}

TEST_F(PinnedMaps, MissingPinsNameThePathAndTheLikelyCause) {
  auto r = run_nwbpf(args({"show", "stats"}, "ce7"));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "nwbpf: pinned map " + bpffs_ +
                       "/nwbpf/ce7/settings does not exist (is nwbpfd running, or has it run, "
                       "with this instance and bpffs?): No such file or directory\n");
}

TEST_F(PinnedMaps, PinsOutOfReachSayRootIsNeeded) {
  auto r = run_nwbpf_as_nobody(args({"show", "fdb"}));
  if (!r) GTEST_SKIP() << "needs root to run a child as nobody";
  EXPECT_EQ(r->code, 1);
  EXPECT_EQ(r->err, "nwbpf: cannot open pinned map " + pin_dir_ +
                        "/settings: Permission denied (reading BPF maps needs root)\n");
}

}  // namespace
}  // namespace nwbpf::cli
