// SPDX-License-Identifier: Apache-2.0
#include "support/netns.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace nwbpf::test {

TestNetns::TestNetns() {
  if (unshare(CLONE_NEWNET) != 0)
    throw std::runtime_error(std::string("unshare(CLONE_NEWNET): ") + std::strerror(errno));
  sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
  sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
  ip("link set lo up\n");
}

void TestNetns::ip(const std::string& batch) {
  std::string tmpl = "/tmp/nwbpf-ip-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  if (write(fd, batch.data(), batch.size()) != static_cast<ssize_t>(batch.size())) {
    close(fd);
    throw std::runtime_error("cannot write ip batch");
  }
  close(fd);
  FILE* p = popen(("ip -batch " + tmpl + " 2>&1").c_str(), "r");
  std::string out;
  char buf[256];
  while (p && fgets(buf, sizeof(buf), p)) out += buf;
  int status = p ? pclose(p) : -1;
  unlink(tmpl.c_str());
  if (status != 0) throw std::runtime_error("ip -batch failed:\n" + batch + "output:\n" + out);
}

void TestNetns::set_gro(const std::string& name, bool on) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  ethtool_value value{.cmd = ETHTOOL_SGRO, .data = on ? 1u : 0u};
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  req.ifr_data = reinterpret_cast<char*>(&value);
  const int rc = ::ioctl(fd, SIOCETHTOOL, &req);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error("GRO on " + name + ": " + std::strerror(error));
}

void TestNetns::sysctl(const std::string& path, const std::string& value) {
  std::ofstream f(path);
  f << value;
  f.flush();
  if (!f) throw std::runtime_error("cannot write " + path);
}

int TestNetns::ifindex(const std::string& name) {
  unsigned idx = if_nametoindex(name.c_str());
  if (!idx) throw std::runtime_error("no device " + name);
  return static_cast<int>(idx);
}

MacAddr TestNetns::mac_of(const std::string& name) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
  int rc = ioctl(s, SIOCGIFHWADDR, &ifr);
  close(s);
  if (rc != 0) throw std::runtime_error("SIOCGIFHWADDR " + name);
  MacAddr m;
  std::memcpy(m.data(), ifr.ifr_hwaddr.sa_data, 6);
  return m;
}

}  // namespace nwbpf::test
