// SPDX-License-Identifier: Apache-2.0
// The whole `nwbpf` command line, run in-process: parsing, --help at each
// level, exit codes, error lines, and show ports/peers against a real Unix
// socket answered by a scripted agent.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "cli/app.h"
#include "cli_test_support.h"

namespace nwbpf::cli {
namespace {

using testing::ScriptedAgent;

using testing::run_nwbpf;
using testing::run_nwbpf_as_nobody;

// A config file in a temporary directory, removed at the end of the test.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text) {
    char dir[] = "/tmp/nwbpf-cli-config.XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/ce1.toml";
    std::ofstream(path_) << text;
  }
  ~TempConfig() {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

constexpr const char* kNode = "[node]\noverlay_address = \"10.0.0.1\"\n";

TEST(CliApp, HelpAtEveryLevelListsWhatIsBelow) {
  auto top = run_nwbpf({"--help"});
  EXPECT_EQ(top.code, 0);
  EXPECT_EQ(top.err, "");
  for (const char* s :
       // CLI11 lists the excluded options in the order of their addresses:
       // the test names only the first word.
       {"Usage: nwbpf [OPTIONS] SUBCOMMAND", "-c,--config FILE Excludes: --",
        "--instance NAME=default", "--bpffs DIR=/sys/fs/bpf", "--socket PATH",
        "[default: /run/nwbpf/<instance>.sock]", "show", "config", "Examples:"})
    EXPECT_NE(top.out.find(s), std::string::npos) << s << "\n" << top.out;

  auto show = run_nwbpf({"show", "--help"});
  EXPECT_EQ(show.code, 0);
  for (const char* s :
       {"fdb", "ports", "peers", "stats", "works while nwbpfd is down", "asks nwbpfd"})
    EXPECT_NE(show.out.find(s), std::string::npos) << s << "\n" << show.out;

  auto fdb = run_nwbpf({"show", "fdb", "--help"});
  EXPECT_EQ(fdb.code, 0);
  for (const char* s : {"--vni VNI:1..16777215", "-j,--json"})
    EXPECT_NE(fdb.out.find(s), std::string::npos) << s << "\n" << fdb.out;

  EXPECT_EQ(fdb.out.find("Examples:"), std::string::npos) << "the footer is for the top level";
  EXPECT_NE(fdb.out.find("Which node: -c FILE | --instance NAME"), std::string::npos) << fdb.out;

  auto bgp = run_nwbpf({"show", "bgp", "--help"});
  for (const char* s : {"summary", "evpn"})
    EXPECT_NE(bgp.out.find(s), std::string::npos) << s << "\n" << bgp.out;
  auto evpn = run_nwbpf({"show", "bgp", "evpn", "--help"});
  for (const char* s : {"FILTER", "type T (1-5, ead, macip, multicast, es, prefix)", "-j,--json"})
    EXPECT_NE(evpn.out.find(s), std::string::npos) << s << "\n" << evpn.out;

  auto nhrp = run_nwbpf({"show", "nhrp", "--help"});
  EXPECT_EQ(nhrp.code, 0);
  for (const char* s : {"TABLE", "cache", "nhs", "shortcut", "-j,--json"})
    EXPECT_NE(nhrp.out.find(s), std::string::npos) << s << "\n" << nhrp.out;
  EXPECT_NE(show.out.find("nhrp"), std::string::npos) << show.out;

  auto stats = run_nwbpf({"show", "stats", "--help"});
  EXPECT_NE(stats.out.find("--all"), std::string::npos) << stats.out;

  auto check = run_nwbpf({"config", "check", "--help"});
  EXPECT_NE(check.out.find("FILE TEXT REQUIRED"), std::string::npos) << check.out;
}

TEST(CliApp, CommandLineMistakesExitTwo) {
  auto none = run_nwbpf({});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.err, "A subcommand is required\nRun with --help for more information.\n");
  EXPECT_EQ(none.out, "");

  auto both = run_nwbpf({"-c", "x.toml", "--instance", "ce1", "show", "fdb"});
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.err, "--config excludes --instance\nRun with --help for more information.\n");

  auto bad_instance = run_nwbpf({"--instance", "../x", "show", "fdb"});
  EXPECT_EQ(bad_instance.code, 2);
  EXPECT_EQ(
      bad_instance.err,
      "--instance: \"../x\" is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -)\n"
      "Run with --help for more information.\n");

  auto vni = run_nwbpf({"show", "fdb", "--vni", "0"});
  EXPECT_EQ(vni.code, 2);
  EXPECT_EQ(vni.err,
            "--vni: Value 0 not in range 1 to 16777215\nRun with --help for more information.\n");

  EXPECT_EQ(run_nwbpf({"show", "neighbours"}).code, 2);
}

TEST(CliApp, AgentDownIsOneLineNamingSocketAndInstance) {
  auto r = run_nwbpf({"--instance", "ce9", "--socket", "/nonexistent/ce9.sock", "show", "ports"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "nwbpf: cannot reach nwbpfd at /nonexistent/ce9.sock: No such file or directory (is it "
            "running with instance ce9?)\n");
}

TEST(CliApp, SocketOfAnotherUserSaysWhoMayUseIt) {
  char dir[] = "/tmp/nwbpf-cli-perm.XXXXXX";
  ASSERT_TRUE(mkdtemp(dir));
  std::string path = std::string(dir) + "/agent.sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);  // as nwbpfd makes it

  auto r = run_nwbpf_as_nobody({"--socket", path, "show", "ports"});
  ::close(fd);
  ::unlink(path.c_str());
  ::rmdir(dir);
  if (!r) GTEST_SKIP() << "needs root to run a child as nobody";
  EXPECT_EQ(r->code, 1);
  EXPECT_EQ(r->err, "nwbpf: cannot reach nwbpfd at " + path +
                        ": Permission denied (only the agent's user, normally root, may use the "
                        "socket)\n");
}

TEST(CliApp, ShowPortsAsksTheAgentAndPrintsATable) {
  ScriptedAgent agent(
      R"({"ok": true, "result": [{"name": "vetha", "ifindex": 3, "role": "edge", "state": "up",)"
      R"( "tagged": false, "vlans": [99], "pvid": 99, "path": "tc",)"
      R"( "path_reason": "peer veth has no XDP program and GRO off"}]})"
      "\n");
  // Global options may also follow the subcommand.
  auto r = run_nwbpf({"show", "ports", "--socket", agent.path()});
  EXPECT_EQ(r.code, 0) << r.err;
  // Table rows stay whole lines, as the operator sees them.
  // clang-format off
  EXPECT_EQ(r.out,
            "PORT   IFINDEX  ROLE  STATE  VLANS  PVID  EGRESS    PATH  REASON\n"
            "vetha        3  edge  up     99       99  untagged  tc    peer veth has no XDP program and GRO off\n");
  // clang-format on
  EXPECT_EQ(agent.request(), "{\"command\":\"show\",\"object\":\"ports\"}\n");
}

TEST(CliApp, JsonPassesTheAgentsResultThrough) {
  ScriptedAgent agent(
      R"({"ok": true, "result": [{"overlay": "10.0.0.2", "nbma": "192.168.0.2", "vnis": [99], "origin": "static"}]})"
      "\n");
  auto r = run_nwbpf({"--socket", agent.path(), "show", "peers", "-j"});
  EXPECT_EQ(r.code, 0) << r.err;
  // nlohmann::json orders keys; the values are the agent's.
  EXPECT_EQ(r.out, R"([{"nbma":"192.168.0.2","origin":"static","overlay":"10.0.0.2","vnis":[99]}])"
                   "\n");
  EXPECT_EQ(agent.request(), "{\"command\":\"show\",\"object\":\"peers\"}\n");
}

TEST(CliApp, ShowBgpSendsTheFilters) {
  const std::string answer = R"({"ok": true, "result": {"routes": []}})"
                             "\n";
  {
    ScriptedAgent agent(answer);
    auto r = run_nwbpf({"--socket", agent.path(), "show", "bgp", "evpn", "vni", "100", "type",
                        "macip", "-j"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"routes\":[]}\n");
    EXPECT_EQ(agent.request(),
              "{\"command\":\"show\",\"object\":\"bgp-evpn\",\"type\":2,\"vni\":100}\n");
  }
  {
    ScriptedAgent agent(answer);
    EXPECT_EQ(run_nwbpf({"--socket", agent.path(), "show", "bgp", "evpn", "-j"}).code, 0);
    EXPECT_EQ(agent.request(), "{\"command\":\"show\",\"object\":\"bgp-evpn\"}\n");
  }
  {
    ScriptedAgent agent(answer);
    EXPECT_EQ(run_nwbpf({"--socket", agent.path(), "show", "bgp", "summary", "-j"}).code, 0);
    EXPECT_EQ(agent.request(), "{\"command\":\"show\",\"object\":\"bgp-summary\"}\n");
  }
}

TEST(CliApp, BadBgpEvpnFiltersExitTwo) {
  auto bad = [](std::vector<std::string> words) {
    std::vector<std::string> args{"--socket", "/nonexistent.sock", "show", "bgp", "evpn"};
    args.insert(args.end(), words.begin(), words.end());
    auto r = run_nwbpf(args);
    EXPECT_EQ(r.code, 2) << r.out;
    return r.err.substr(0, r.err.find('\n'));
  };
  EXPECT_EQ(bad({"type", "6"}),
            "FILTER: route type \"6\" is not 1-5, ead, macip, multicast, es or prefix");
  EXPECT_EQ(bad({"vni", "0"}), "FILTER: VNI \"0\" is not a number from 1 to 16777215");
  EXPECT_EQ(bad({"vni", "16777216"}), "FILTER: VNI \"16777216\" is not a number from 1 to 16777215");
  EXPECT_EQ(bad({"vni", "10x"}), "FILTER: VNI \"10x\" is not a number from 1 to 16777215");
  EXPECT_EQ(bad({"vni"}), "FILTER: \"vni\" needs a value");
  EXPECT_EQ(bad({"type", "2", "type", "3"}), "FILTER: \"type\" given twice");
  EXPECT_EQ(bad({"mac", "00:11:22:33:44:55"}), "FILTER: unknown filter \"mac\" (type T, vni N)");
  EXPECT_EQ(run_nwbpf({"show", "bgp"}).code, 2);
}

TEST(CliApp, ShowNhrpSendsTheTable) {
  const std::string answer = R"({"ok": true, "result": {"overlay": "10.0.0.1"}})"
                             "\n";
  auto request_for = [&](std::vector<std::string> words) {
    ScriptedAgent agent(answer);
    std::vector<std::string> args{"--socket", agent.path(), "show", "nhrp"};
    args.insert(args.end(), words.begin(), words.end());
    auto r = run_nwbpf(args);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"overlay\":\"10.0.0.1\"}\n");  // -j: the agent's result as is
    return agent.request();
  };
  EXPECT_EQ(request_for({"-j"}), "{\"command\":\"show\",\"object\":\"nhrp\"}\n");
  EXPECT_EQ(request_for({"cache", "-j"}),
            "{\"command\":\"show\",\"object\":\"nhrp\",\"table\":\"cache\"}\n");
  EXPECT_EQ(request_for({"-j", "nhs"}),
            "{\"command\":\"show\",\"object\":\"nhrp\",\"table\":\"nhs\"}\n");
  EXPECT_EQ(request_for({"shortcut", "--json"}),
            "{\"command\":\"show\",\"object\":\"nhrp\",\"table\":\"shortcut\"}\n");
}

TEST(CliApp, ShowNhrpPrintsTheTable) {
  ScriptedAgent agent(
      R"({"ok": true, "result": {"overlay": "10.0.0.1", "nbma": "192.168.0.1", "nat_nbma": null,)"
      R"( "roles": ["ce"], "nhs": [{"nbma": "192.168.0.10", "protocol": "10.0.0.10",)"
      R"( "registered": true, "expires_in_s": 7000, "nat_nbma": null, "retry_s": 1,)"
      R"( "last_error": ""}]}})"
      "\n");
  auto r = run_nwbpf({"show", "nhrp", "nhs", "--socket", agent.path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "NBMA          PROTOCOL   STATE        EXPIRES  NAT  RETRY  LAST ERROR\n"
            "192.168.0.10  10.0.0.10  registered  01:56:40  -        -  -\n");
}

TEST(CliApp, BadNhrpTableExitsTwo) {
  auto unknown = run_nwbpf({"--socket", "/nonexistent.sock", "show", "nhrp", "neighbors"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err,
            "TABLE: unknown table \"neighbors\" (cache, nhs, shortcut)\n"
            "Run with --help for more information.\n");
  auto two = run_nwbpf({"--socket", "/nonexistent.sock", "show", "nhrp", "cache", "nhs"});
  EXPECT_EQ(two.code, 2);
  EXPECT_EQ(two.err,
            "The following argument was not expected: nhs\n"
            "Run with --help for more information.\n");
}

TEST(CliApp, AgentRefusalIsItsErrorLine) {
  ScriptedAgent agent(R"({"ok": false, "error": "not ready: datapath still loading"})"
                      "\n");
  auto r = run_nwbpf({"--socket", agent.path(), "show", "peers"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "nwbpf: nwbpfd: not ready: datapath still loading\n");
}

TEST(CliApp, ConfigFileNamesTheSocket) {
  ScriptedAgent agent(R"({"ok": true, "result": []})"
                      "\n");
  TempConfig config("[agent]\ninstance = \"ce1\"\ncontrol_socket = \"" + agent.path() + "\"\n" +
                    kNode);
  auto r = run_nwbpf({"-c", config.path(), "show", "peers"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "OVERLAY  NBMA  VNIS  ORIGIN\n");
}

TEST(CliApp, OutputThatCannotBeWrittenIsAnError) {
  TempConfig good(kNode);
  std::ostream broken(nullptr);  // like stdout on a full disk: badbit
  std::ostringstream err;
  std::vector<const char*> argv{"nwbpf", "config", "check", good.path().c_str()};
  EXPECT_EQ(run(static_cast<int>(argv.size()), argv.data(), broken, err), 1);
  EXPECT_EQ(err.str(), "nwbpf: cannot write the output\n");
}

TEST(CliApp, ConfigCheckSaysOkOrListsEveryProblem) {
  TempConfig good(kNode);
  auto ok = run_nwbpf({"config", "check", good.path()});
  EXPECT_EQ(ok.code, 0);
  EXPECT_EQ(ok.out, good.path() + ": OK\n");
  EXPECT_EQ(ok.err, "");

  TempConfig bad(std::string(kNode) + "[agent]\nname = \"x\"\n[dataplane]\nttl = 0\n");
  auto r = run_nwbpf({"config", "check", bad.path()});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, bad.path() +
                       ":4:1: agent.name: unknown key (valid here: instance, roles, bpffs, "
                       "control_socket, log_level, bpf_object, detach_on_exit)\n" +
                       bad.path() + ":6:7: dataplane.ttl: 0 out of range 1..255\n");

  auto missing = run_nwbpf({"config", "check", "/nonexistent/ce1.toml"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "/nonexistent/ce1.toml: cannot open: No such file or directory\n");
}

TEST(CliApp, BadConfigForShowIsReportedLikeConfigCheck) {
  auto r = run_nwbpf({"-c", "/nonexistent/ce1.toml", "show", "fdb"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "/nonexistent/ce1.toml: cannot open: No such file or directory\n");
}

}  // namespace
}  // namespace nwbpf::cli
