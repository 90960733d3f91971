// SPDX-License-Identifier: Apache-2.0
#include "daemon/ipv4_sysctl.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace nwbpf::daemon {

bool set_ipv4_conf(const std::string& device, const std::string& key, const std::string& value) {
  const std::string path = "/proc/sys/net/ipv4/conf/" + device + "/" + key;
  std::string current;
  {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    in >> current;
  }
  if (current == value) return false;
  std::ofstream out(path);
  out << value << '\n';
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  return true;
}

}  // namespace nwbpf::daemon
