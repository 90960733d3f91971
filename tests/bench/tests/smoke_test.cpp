// SPDX-License-Identifier: Apache-2.0
// The real tools over a veth pair in a private netns: nwbpf-trafficgen sends
// VXLAN frames over 1000 flows into one end, nwbpf-sink counts them on the
// other. Proves the benchmark's instruments agree with each other.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  EXPECT_EQ(status, 0) << cmd << "\n" << out;
  return out;
}

// A child whose stdout is read line by line (the sink reports as it runs).
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds)) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_) fclose(out_);
  }
  // Next line without its newline; empty at end of output.
  std::string line() {
    char buf[4096];
    if (!out_ || !fgets(buf, sizeof buf, out_)) return {};
    std::string s(buf);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  int stop() {
    int status = -1;
    kill(pid_, SIGINT);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

class BenchSmoke : public ::testing::Test {
 protected:
  void SetUp() override {
    run("ip netns add " + ns_);
    // No IPv6: its router solicitations would reach the sink and spoil the count.
    run(exec_ + "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
    run("ip -n " + ns_ + " link add gen0 type veth peer name sink0");
    run("ip -n " + ns_ + " link set gen0 up && ip -n " + ns_ + " link set sink0 up");
  }
  void TearDown() override { run("ip netns del " + ns_); }

  std::string ns_ = "nwbpf-bench-smoke-" + std::to_string(getpid());
  std::string exec_ = "ip netns exec " + ns_ + " ";
};

TEST_F(BenchSmoke, GeneratorFramesReachTheSink) {
  const uint64_t sent = 300000;
  Child sink(
      {"ip", "netns", "exec", ns_, NWBPF_SINK, "-i", "sink0", "--json", "--interval", "0.2"});
  json ready = json::parse(sink.line());
  ASSERT_EQ(ready["event"], "ready");

  json gen = json::parse(run(exec_ + NWBPF_TRAFFICGEN + " -i gen0 --vxlan --size 64 --flows 1000" +
                             " --count " + std::to_string(sent) + " --json"));
  EXPECT_EQ(gen["packets"], sent);
  EXPECT_EQ(gen["frame_bytes"], 114);
  EXPECT_GT(gen["pps"].get<double>(), 0);

  ASSERT_EQ(sink.stop(), 0);
  json total;
  for (std::string l = sink.line(); !l.empty(); l = sink.line()) {
    json r = json::parse(l);
    if (r["event"] == "total") total = r;
  }
  ASSERT_FALSE(total.is_null());
  uint64_t got = total["packets"];
  // Nothing else sends on this pair. Loss is possible only when the sink's
  // NAPI falls behind (veth ring full); on an idle pair it is nil, so allow 1%
  // for a loaded CI machine.
  EXPECT_LE(got, sent);
  EXPECT_GE(got, sent * 99 / 100);
  EXPECT_EQ(total["bytes"], got * 114);
  EXPECT_EQ(total["vxlan"], got);
}

}  // namespace
