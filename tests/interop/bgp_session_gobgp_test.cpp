// SPDX-License-Identifier: Apache-2.0
// Our speaker and GoBGP (gobgpd 3.10) peer over loopback: gobgpd runs with
// a generated TOML config (one iBGP neighbor, us, with the L2VPN EVPN
// family, both sides connecting), the session comes up, `gobgp neighbor`
// shows it Established, and a type-3 route added with the gobgp CLI
// arrives here as an EVPN MP_REACH_NLRI. gobgpd is stopped at the end.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "bgp_session_test_support.h"

extern char** environ;

namespace nwbpf::bgp::session_test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUs = "127.0.20.1";
constexpr const char* kGobgp = "127.0.20.2";
constexpr const char* kApiHost = "127.0.0.1";  // gobgpd's gRPC, for the CLI
constexpr int kApiPort = 50179;

std::string config_toml() {
  return std::string(R"([global.config]
  as = 65000
  router-id = ")") +
         kGobgp + R"("
  port = 17900
  local-address-list = [")" +
         kGobgp + R"("]

[[neighbors]]
  [neighbors.config]
    neighbor-address = ")" +
         kUs + R"("
    peer-as = 65000
  [neighbors.transport.config]
    local-address = ")" +
         kGobgp + R"("
    remote-port = 17900
  [neighbors.timers.config]
    hold-time = 9
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
)";
}

// gobgpd from spawn to SIGTERM, its output in `log`.
class Gobgpd {
 public:
  Gobgpd(const fs::path& config, const fs::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const std::string config_arg = "--config-file=" + config.string();
    const std::string api_arg =
        std::string("--api-hosts=") + kApiHost + ":" + std::to_string(kApiPort);
    std::array<const char*, 6> argv{"gobgpd",          config_arg.c_str(), api_arg.c_str(),
                                    "--pprof-disable", "--log-plain",      nullptr};
    if (posix_spawnp(&pid_, "gobgpd", &actions, nullptr, const_cast<char**>(argv.data()),
                     environ) != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Gobgpd() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

// Runs a gobgp CLI command; its standard output, or "" if it failed.
std::string gobgp(const std::string& args) {
  const std::string command = std::string("gobgp -u ") + kApiHost + " -p " +
                              std::to_string(kApiPort) + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return "";
  std::string out;
  std::array<char, 4096> buffer;
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  return ::pclose(pipe) == 0 ? out : "failed: " + out;
}

bool on_path(const char* program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t start = 0, end; start <= dirs.size(); start = end + 1) {
    end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    if (::access((fs::path(dirs.substr(start, end - start)) / program).c_str(), X_OK) == 0)
      return true;
  }
  return false;
}

TEST(BgpInteropGobgp, SessionEstablishesAndAnEvpnRouteArrives) {
  if (!on_path("gobgpd") || !on_path("gobgp"))
    GTEST_SKIP() << "gobgpd/gobgp not installed (Debian package gobgpd)";
  const fs::path dir = fs::temp_directory_path() / ("nwbpf-gobgp-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "gobgpd.toml") << config_toml();

  asio::io_context io;
  Speaker us(io, speaker_config(kUs, {peer(kGobgp)}));
  {
    Gobgpd daemon(dir / "gobgpd.toml", dir / "gobgpd.log");
    ASSERT_TRUE(daemon.running());
    us.manager.start();
    ASSERT_TRUE(run_until(
        io, [&] { return us.up(kGobgp); }, 15s))
        << "no session; gobgpd's log is in " << dir;
    const Session& s = us.established.at(0).second;
    EXPECT_EQ(s.peer_id, ip(kGobgp));
    EXPECT_EQ(s.hold_time, 3s);  // ours, below gobgpd's 9 s
    EXPECT_EQ(s.families, std::vector<Family>{kL2vpnEvpn});

    // The CLI blocks: the io_context keeps the session alive meanwhile.
    auto neighbor = std::async(std::launch::async, [] { return gobgp("neighbor"); });
    ASSERT_TRUE(run_until(io, ready(neighbor), 10s));
    const std::string table = neighbor.get();
    EXPECT_NE(table.find(kUs), std::string::npos) << table;
    EXPECT_NE(table.find("Establ"), std::string::npos) << table;

    auto add = std::async(std::launch::async, [] {
      return gobgp("global rib -a evpn add multicast 10.0.0.9 etag 0 rd 65000:100 rt 65000:100");
    });
    ASSERT_TRUE(run_until(io, ready(add), 10s));
    EXPECT_EQ(add.get(), "");
    ASSERT_TRUE(run_until(
        io,
        [&] {
          for (const auto& [peer, update] : us.updates)
            if (update.attributes.mp_reach && update.attributes.mp_reach->family == kL2vpnEvpn)
              return true;
          return false;
        },
        5s));
    EXPECT_TRUE(us.up(kGobgp));
    us.manager.shutdown("test done");
    run_for(io, 500ms);  // the NOTIFICATION goes out
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nwbpf::bgp::session_test
