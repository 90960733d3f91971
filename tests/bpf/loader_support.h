// SPDX-License-Identifier: Apache-2.0
// Shared by the loader_*_test.cpp files: each test process runs in its own
// network and mount namespace (nothing leaks to the host, and whatever a
// test attaches dies with the process), with a private bpffs per test.
#pragma once

#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "config/config.h"

namespace nwbpf::test {

// Runs a shell command; returns its stdout, throws (failing the test) with
// the command and its output if it exits non-zero.
inline std::string sh(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + cmd);
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = ::pclose(p);
  if (status != 0)
    throw std::runtime_error("command failed (" + std::to_string(status) + "): " + cmd + "\n" +
                             out);
  return out;
}

inline int ifindex(const std::string& name) {
  int index = static_cast<int>(if_nametoindex(name.c_str()));
  if (index == 0) throw std::runtime_error("no device " + name);
  return index;
}

// Once per process: a private network namespace (lo up) and mount namespace
// whose mounts do not propagate back to the host.
inline void enter_private_namespaces() {
  static bool entered = false;
  if (entered) return;
  if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0)
    throw std::runtime_error(std::string("unshare(CLONE_NEWNET|CLONE_NEWNS): ") +
                             std::strerror(errno) +
                             " (these tests are labelled root and need CAP_SYS_ADMIN)");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw std::runtime_error(std::string("mount --make-rprivate /: ") + std::strerror(errno));
  sh("ip link set lo up");
  entered = true;
}

// A veth pair, both ends up, deleted at the end of the test.
class Veth {
 public:
  Veth(std::string a, std::string b) : a_(std::move(a)), b_(std::move(b)) {
    sh("ip link add " + a_ + " type veth peer name " + b_);
    sh("ip link set " + a_ + " up && ip link set " + b_ + " up");
  }
  ~Veth() {
    try {
      sh("ip link del " + a_ + " 2>/dev/null || true");
    } catch (...) {
    }
  }
  Veth(const Veth&) = delete;
  Veth& operator=(const Veth&) = delete;
  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }

 private:
  std::string a_, b_;
};

// A second network namespace, held by a child process that only waits; it
// (and any device moved into it) goes away when the child is killed.
class PeerNetns {
 public:
  PeerNetns() {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      if (::unshare(CLONE_NEWNET) != 0) ::_exit(1);
      for (;;) ::pause();
    }
    // Wait until the child has its own namespace.
    std::string mine = std::filesystem::read_symlink("/proc/self/ns/net");
    for (int i = 0; i < 1000 && std::filesystem::read_symlink(path()) == mine; ++i) ::usleep(1000);
  }
  ~PeerNetns() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  PeerNetns(const PeerNetns&) = delete;
  PeerNetns& operator=(const PeerNetns&) = delete;
  std::string path() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }
  pid_t pid() const { return pid_; }
  // Runs a command inside the namespace.
  std::string sh(const std::string& cmd) const {
    return test::sh("nsenter --net=" + path() + " " + cmd);
  }

 private:
  pid_t pid_ = -1;
};

// Per test: a fresh directory with a bpffs mounted on it.
class NamespacedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "needs root (label root)";
    enter_private_namespaces();
    char tmpl[] = "/tmp/nwbpf-loader-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    bpffs_ = dir_ + "/bpffs";
    std::filesystem::create_directory(bpffs_);
    ASSERT_EQ(::mount("bpf", bpffs_.c_str(), "bpf", 0, nullptr), 0) << std::strerror(errno);
  }
  void TearDown() override {
    ::umount2(bpffs_.c_str(), MNT_DETACH);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Config config(const std::string& instance = "test", uint32_t fdb_size = 1024) const {
    Config c;
    c.agent.bpffs = bpffs_;
    c.agent.instance = instance;
    c.dataplane.fdb_size = fdb_size;
    return c;
  }

  std::string dir_;    // scratch directory, removed after the test
  std::string bpffs_;  // a bpffs mounted for this test
};

}  // namespace nwbpf::test
