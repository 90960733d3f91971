// SPDX-License-Identifier: Apache-2.0
// Datapath::load against the real kernel: pins are created, reused across
// loads (an agent restart), refused with a recovery hint when incompatible;
// DatapathMaps::open_pinned reads what the loader wrote.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dataplane/bpffs.h"
#include "dataplane/datapath.h"
#include "dataplane/embedded_object.h"
#include "loader_support.h"

namespace nwbpf {
namespace {

using test::NamespacedTest;
using ::testing::StartsWith;

const char* const kMapNames[] = {NWBPF_MAP_SETTINGS,  NWBPF_MAP_PORTS,       NWBPF_MAP_VLAN_PORTS,
                                 NWBPF_MAP_FDB,       NWBPF_MAP_FDB_LEARNED, NWBPF_MAP_PEERS,
                                 NWBPF_MAP_PEER_NBMA, NWBPF_MAP_FLOOD,       NWBPF_MAP_STATS,
                                 NWBPF_MAP_DROPS,     NWBPF_MAP_EVENTS};

bpf_map_info pinned_info(const std::string& pin) {
  MapFd fd = MapFd::open_pinned(pin);
  bpf_map_info info{};
  __u32 len = sizeof(info);
  EXPECT_EQ(bpf_obj_get_info_by_fd(fd.get(), &info, &len), 0);
  return info;
}

uint32_t map_id(const std::string& pin) { return pinned_info(pin).id; }

nwbpf_fdb_key fdb_key(uint32_t vni, uint8_t last) {
  nwbpf_fdb_key key{};
  key.vni = vni;
  uint8_t mac[6] = {0x02, 0, 0, 0, 0, last};
  std::memcpy(key.mac, mac, sizeof(mac));
  return key;
}

class LoaderDatapath : public NamespacedTest {};

TEST_F(LoaderDatapath, LoadPinsEveryMapUnderTheInstanceDirectory) {
  Config c = config("ce1");
  auto dp = Datapath::load(c);
  EXPECT_EQ(c.pin_dir(), bpffs_ + "/nwbpf/ce1");
  for (const char* name : kMapNames)
    EXPECT_TRUE(std::filesystem::exists(c.pin_dir() + "/" + name)) << name;
  EXPECT_GE(dp->events_fd(), 0);
}

TEST_F(LoaderDatapath, SecondLoadReusesThePinnedMapsAndTheirContents) {
  Config c = config();
  uint32_t fdb_id = 0;
  {
    auto first = Datapath::load(c);
    nwbpf_settings s{};
    s.local_nbma = htonl(0xc0a80001);
    s.wan_mtu = 1500;
    s.mode = NWBPF_MODE_TC;
    first->maps().settings.update(0, s);
    nwbpf_fdb_entry e{};
    e.kind = NWBPF_FDB_REMOTE;
    e.origin = NWBPF_ORIGIN_STATIC;
    e.vtep = htonl(0x0a000002);
    first->maps().fdb.update(fdb_key(99, 1), e);
    fdb_id = map_id(c.pin_dir() + "/fdb");
  }  // the first "agent" exits; the pins keep the maps alive

  auto second = Datapath::load(c);
  EXPECT_EQ(map_id(c.pin_dir() + "/fdb"), fdb_id);
  auto s = second->maps().settings.lookup(0);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->local_nbma, htonl(0xc0a80001));
  EXPECT_EQ(s->wan_mtu, 1500);
  EXPECT_EQ(s->mode, NWBPF_MODE_TC);
  auto e = second->maps().fdb.lookup(fdb_key(99, 1));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->vtep, htonl(0x0a000002));
  EXPECT_EQ(e->kind, NWBPF_FDB_REMOTE);
  EXPECT_FALSE(second->maps().fdb.lookup(fdb_key(99, 2)));
}

// Every change the agent makes to fdb or fdb_learned moves the FDB
// generation, which BPF's memos of FDB answers are checked against
// (maps/fdb.h); the CLI opening the pins shares it.
TEST_F(LoaderDatapath, FdbWritesBumpTheSharedGeneration) {
  Config c = config();
  auto dp = Datapath::load(c);
  auto generation = [&] {
    int fd = bpf_obj_get((c.pin_dir() + "/" NWBPF_MAP_FDB_GEN).c_str());
    EXPECT_GE(fd, 0);
    uint32_t zero = 0;
    uint64_t g = 0;
    EXPECT_EQ(bpf_map_lookup_elem(fd, &zero, &g), 0);
    close(fd);
    return g;
  };
  uint64_t g0 = generation();
  dp->maps().fdb.update(fdb_key(99, 1), nwbpf_fdb_entry{});
  EXPECT_EQ(generation(), g0 + 1);
  dp->maps().fdb_learned.update(fdb_key(99, 2), nwbpf_fdb_entry{});
  EXPECT_EQ(generation(), g0 + 2);
  EXPECT_TRUE(dp->maps().fdb_learned.erase(fdb_key(99, 2)));
  EXPECT_EQ(generation(), g0 + 3);
  EXPECT_FALSE(dp->maps().fdb.erase(fdb_key(99, 7))) << "absent";
  EXPECT_EQ(generation(), g0 + 3) << "nothing changed, nothing bumped";
  auto cli = DatapathMaps::open_pinned(c.pin_dir());
  cli.fdb.erase(fdb_key(99, 1));
  EXPECT_EQ(generation(), g0 + 4);
}

TEST_F(LoaderDatapath, InstancesHaveSeparatePins) {
  auto a = Datapath::load(config("a"));
  auto b = Datapath::load(config("b"));
  a->maps().fdb.update(fdb_key(1, 1), nwbpf_fdb_entry{});
  EXPECT_TRUE(a->maps().fdb.lookup(fdb_key(1, 1)));
  EXPECT_FALSE(b->maps().fdb.lookup(fdb_key(1, 1)));
}

TEST_F(LoaderDatapath, IncompatiblePinIsRefusedWithMapPathAndRecovery) {
  Config c = config("test", 1024);
  Datapath::load(c);
  c.dataplane.fdb_size = 2048;
  const std::string pin = c.pin_dir();
  try {
    Datapath::load(c);
    FAIL() << "load over an fdb pinned with another size succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "pinned map 'fdb' at " + pin +
            "/fdb is incompatible with this nwbpf build and config (max_entries 1024 pinned, 2048 "
            "wanted). "
            "To recover, stop nwbpfd, remove the pin directory (rm -r " +
            pin +
            ") and start nwbpfd again: forwarding state is rebuilt from the config and relearned");
  }
  // The pins are untouched: the old agent's state is still there to use.
  EXPECT_NO_THROW(Datapath::load(config("test", 1024)));
}

// Pins an empty map of that shape at `path` in place of what is there: what
// another nwbpf build would have left.
void pin_other_build(const std::string& path, bpf_map_type type, uint32_t value_size,
                     uint32_t max_entries) {
  std::filesystem::remove(path);
  int fd = bpf_map_create(type, nullptr, sizeof(__u32), value_size, max_entries, nullptr);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  EXPECT_EQ(bpf_obj_pin(fd, path.c_str()), 0) << std::strerror(errno);
  ::close(fd);
}

uint32_t max_entries(const std::string& pin) { return pinned_info(pin).max_entries; }

TEST_F(LoaderDatapath, CountersPinnedByABuildWithFewerAreReplacedAndForwardingStateKept) {
  Config c = config();
  Datapath::load(c)->maps().fdb.update(fdb_key(1, 1), nwbpf_fdb_entry{});
  const std::string stats = c.pin_dir() + "/" NWBPF_MAP_STATS;
  const std::string drops = c.pin_dir() + "/" NWBPF_MAP_DROPS;
  pin_other_build(stats, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(nwbpf_counter), NWBPF_STAT_MAX - 2);
  pin_other_build(drops, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(nwbpf_counter), NWBPF_DROP_MAX - 3);
  const uint32_t fdb_id = map_id(c.pin_dir() + "/" NWBPF_MAP_FDB);

  auto dp = Datapath::load(c);
  EXPECT_EQ(max_entries(stats), static_cast<uint32_t>(NWBPF_STAT_MAX));
  EXPECT_EQ(max_entries(drops), static_cast<uint32_t>(NWBPF_DROP_MAX));
  EXPECT_EQ(map_id(c.pin_dir() + "/" NWBPF_MAP_FDB), fdb_id);
  EXPECT_TRUE(dp->maps().fdb.lookup(fdb_key(1, 1)));
  EXPECT_NO_THROW(dp->maps().stats.lookup(NWBPF_STAT_RELAY));
}

TEST_F(LoaderDatapath, SettingsPinnedByABuildWithoutTheMssClampAreReplacedAndStateKept) {
  // 24 bytes: settings before tcp_mss4/tcp_mss6. The agent writes settings
  // before it attaches programs, so a fresh map loses nothing.
  Config c = config();
  Datapath::load(c)->maps().fdb.update(fdb_key(1, 1), nwbpf_fdb_entry{});
  const std::string settings = c.pin_dir() + "/" NWBPF_MAP_SETTINGS;
  pin_other_build(settings, BPF_MAP_TYPE_ARRAY, 24, 1);

  auto dp = Datapath::load(c);
  EXPECT_EQ(pinned_info(settings).value_size, sizeof(nwbpf_settings));
  EXPECT_TRUE(dp->maps().fdb.lookup(fdb_key(1, 1)));
  nwbpf_settings s{};
  s.tcp_mss4 = 1360;
  dp->maps().settings.update(0, s);
  EXPECT_EQ(DatapathMaps::open_pinned(c.pin_dir()).settings.lookup(0)->tcp_mss4, 1360);
}

TEST_F(LoaderDatapath, PeersPinnedWithAnotherValueSizeAreRefusedWithRecovery) {
  // peers kept its size when the used mark and the epoch took its zero
  // padding, so older pins load as they are; a
  // table whose value size did change is refused, never misread.
  Config c = config();
  Datapath::load(c);
  const std::string pin = c.pin_dir();
  pin_other_build(pin + "/" NWBPF_MAP_PEERS, BPF_MAP_TYPE_ARRAY, 16, NWBPF_ADDR_SLOTS);
  try {
    Datapath::load(c);
    FAIL() << "load over a peers map with 16-byte values succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), StartsWith("pinned map 'peers' at " + pin +
                                     "/peers is incompatible with this nwbpf build and config "
                                     "(value_size 16 pinned, 12 wanted). To recover, stop nwbpfd, "
                                     "remove the pin directory (rm -r " +
                                     pin + ")"));
  }
}

TEST_F(LoaderDatapath, RemovingThePinDirectoryRecovers) {
  Config c = config("test", 1024);
  Datapath::load(c);
  c.dataplane.fdb_size = 2048;
  EXPECT_THROW(Datapath::load(c), std::runtime_error);
  std::filesystem::remove_all(c.pin_dir());
  auto dp = Datapath::load(c);
  MapFd fd = MapFd::open_pinned(c.pin_dir() + "/fdb_learned");
  bpf_map_info info{};
  __u32 len = sizeof(info);
  ASSERT_EQ(bpf_obj_get_info_by_fd(fd.get(), &info, &len), 0);
  EXPECT_EQ(info.max_entries, 2048u);
}

TEST_F(LoaderDatapath, MountsABpffsWhereThereIsNone) {
  Config c = config();
  c.agent.bpffs = dir_ + "/not-yet-bpffs";
  ASSERT_FALSE(is_bpffs(c.agent.bpffs));
  auto dp = Datapath::load(c);
  EXPECT_TRUE(is_bpffs(c.agent.bpffs));
  EXPECT_TRUE(std::filesystem::exists(c.pin_dir() + "/" NWBPF_MAP_FDB));
  ::umount2(c.agent.bpffs.c_str(), MNT_DETACH);
}

TEST_F(LoaderDatapath, OpenPinnedSeesWhatTheLoaderWrote) {
  Config c = config();
  auto dp = Datapath::load(c);
  nwbpf_peer peer{};
  peer.nbma = htonl(0xc0a80002);
  peer.overlay = htonl(0x0a000002);
  dp->maps().peers.update(htonl(0x0a000002), peer);

  DatapathMaps pinned = DatapathMaps::open_pinned(c.pin_dir());
  auto got = pinned.peers.lookup(htonl(0x0a000002));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->nbma, htonl(0xc0a80002));
  auto stats = pinned.stats.lookup(NWBPF_STAT_ENCAP);
  EXPECT_EQ(stats.size(), static_cast<size_t>(libbpf_num_possible_cpus()));
}

TEST_F(LoaderDatapath, OpenPinnedNamesTheMissingMap) {
  std::filesystem::create_directories(bpffs_ + "/nwbpf/none");
  try {
    DatapathMaps::open_pinned(bpffs_ + "/nwbpf/none");
    FAIL() << "opened maps that do not exist";
  } catch (const BpfError& e) {
    EXPECT_EQ(std::string(e.what()),
              "pinned map " + bpffs_ +
                  "/nwbpf/none/settings does not exist (is nwbpfd running, or has it run, "
                  "with this instance and bpffs?): No such file or directory");
  }
}

TEST_F(LoaderDatapath, OpenPinnedRefusesAMapOfAnotherLayout) {
  // A "ports" pin whose value size is not sizeof(nwbpf_port), as an older
  // nwbpf might have left behind.
  std::string dir = bpffs_ + "/nwbpf/old";
  Datapath::load(config("old"));
  std::filesystem::remove(dir + "/ports");
  int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ports", 4, 8, 16, nullptr);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(bpf_obj_pin(fd, (dir + "/ports").c_str()), 0);
  ::close(fd);
  try {
    DatapathMaps::open_pinned(dir);
    FAIL() << "accepted a ports map with 8-byte values";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "map " + dir +
                  "/ports is of type hash with key/value size 4/8, but this nwbpf expects type "
                  "array with 4/" +
                  std::to_string(sizeof(nwbpf_port)) +
                  ": it was made by a different nwbpf version");
  }
}

TEST_F(LoaderDatapath, LoadsAnObjectFileNamedInTheConfig) {
  // The same object as the embedded one, but from a file (agent.bpf_object).
  std::string path = dir_ + "/nwbpf.bpf.o";
  auto bytes = nwbpf_embedded_object();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Config c = config();
  c.agent.bpf_object = path;
  auto dp = Datapath::load(c);
  EXPECT_TRUE(std::filesystem::exists(c.pin_dir() + "/" NWBPF_MAP_SETTINGS));
}

TEST_F(LoaderDatapath, MissingObjectFileIsAClearError) {
  Config c = config();
  c.agent.bpf_object = dir_ + "/missing.bpf.o";
  try {
    Datapath::load(c);
    FAIL() << "loaded a missing object";
  } catch (const BpfError& e) {
    EXPECT_THAT(e.what(),
                StartsWith("cannot open BPF object " + c.agent.bpf_object + " (agent.bpf_object)"));
    EXPECT_EQ(e.err(), ENOENT);
  }
}

}  // namespace
}  // namespace nwbpf
