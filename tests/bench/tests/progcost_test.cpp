// SPDX-License-Identifier: Apache-2.0
// nwbpf-progcost as scripts/bench runs it: a short run must give the JSON
// contract with every program case and every FDB scale row, each with a
// positive figure; bad options must fail with a message.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

namespace {

using nlohmann::json;

struct Result {
  int status = -1;
  std::string out;  // stdout and stderr
};

Result run(const std::string& args, bool with_stderr = false) {
  std::string cmd = std::string(NWBPF_PROGCOST) + " " + args + (with_stderr ? " 2>&1" : "");
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Progcost, ShortRunGivesEveryCaseAsJson) {
  Result r = run("--repeat 2000 --runs 3 --fdb-sizes 1000,3000 --json");
  ASSERT_EQ(r.status, 0) << r.out;
  json j = json::parse(r.out);
  EXPECT_EQ(j["repeat"], 2000);
  EXPECT_EQ(j["runs"], 3);
  EXPECT_FALSE(j["kernel"].get<std::string>().empty());

  std::set<std::pair<std::string, std::string>> cases = {
      {"xdp_edge", "encap"},    {"xdp_edge", "local"},      {"xdp_edge", "to_tc"},
      {"xdp_wan", "decap"},     {"xdp_redirect", "baseline"}, {"tc_edge", "encap"},
      {"tc_edge", "flood"},     {"tc_wan", "decap"},        {"tc_redirect", "baseline"},
      {"tc_tunnel", "decap"},   {"xdp_edge", "encap/no-acl"}, {"xdp_edge", "encap/acl-10"},
      {"xdp_edge", "encap/acl-10000"}};
  for (auto [program, path] : {std::pair{"xdp_edge", "encap"}, {"xdp_wan", "decap"},
                               {"tc_edge", "encap"}})
    for (const char* frame : {"ack", "syn"})
      for (const char* mss : {"mss-off", "mss-1340"})
        cases.insert({program, std::string(path) + "/" + frame + "/" + mss});
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : j["programs"]) {
    seen.insert({p["program"].get<std::string>(), p["case"].get<std::string>()});
    EXPECT_GT(p["ns"].get<double>(), 0) << p;
    EXPECT_FALSE(p["verdict"].get<std::string>().empty()) << p;
  }
  EXPECT_EQ(seen, cases);
  EXPECT_EQ(j["programs"].size(), cases.size());

  std::set<std::string> fdb;
  for (const auto& f : j["fdb_scale"]) {
    fdb.insert(std::to_string(f["entries"].get<int>()) + " " + f["program"].get<std::string>() +
               " " + f["case"].get<std::string>() + " " + f["lookup"].get<std::string>());
    EXPECT_GT(f["ns"].get<double>(), 0) << f;
  }
  std::set<std::string> want;
  for (const char* n : {"1000", "3000"})
    for (const char* c : {"xdp_edge encap", "xdp_wan decap"})
      for (const char* l : {"one-mac", "1000-macs", "one-mac/hash", "1000-macs/hash"})
        want.insert(std::string(n) + " " + c + " " + l);
  EXPECT_EQ(fdb, want);
  EXPECT_EQ(j["fdb_scale"].size(), want.size());
}

TEST(Progcost, TableNamesEveryRow) {
  Result r = run("--repeat 500 --runs 1 --fdb-sizes 1000");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* s :
       {"xdp_edge", "tc_tunnel", "XDP_REDIRECT", "TC_ACT_STOLEN", "encap/syn/mss-1340", "1000-macs",
        "one-mac/hash"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << " missing in\n" << r.out;
}

TEST(Progcost, BadOptionsFailWithAMessage) {
  const std::pair<const char*, const char*> bad[] = {
      {"--repeat 0", "--repeat"},
      {"--runs 0", "--runs"},
      {"--fdb-sizes 999", "--fdb-sizes"},
      {"--fdb-sizes 1000,abc", "--fdb-sizes"},
      {"--fdb-sizes 2000,2000", "twice"},
      {"--bogus", "bogus"},
  };
  for (auto [args, says] : bad) {
    Result r = run(args, true);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_NE(r.out.find(says), std::string::npos) << args << ":\n" << r.out;
  }
}

}  // namespace
