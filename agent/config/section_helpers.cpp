// SPDX-License-Identifier: Apache-2.0
#include "config/section_helpers.h"

namespace nwbpf::config {

std::vector<Ipv4> read_distinct_ipv4(const toml::array& array, const std::string& path,
                                     std::string_view noun, Diagnostics& diag) {
  auto read_one = [&](const toml::node& node, const std::string& at) {
    return read_ipv4(node, at, diag);
  };
  auto describe = [](Ipv4 address) { return address.str(); };
  std::vector<Ipv4> addresses;
  for (auto address : read_distinct<Ipv4>(array, path, noun, diag, read_one, describe))
    addresses.push_back(address.value_or(Ipv4{}));
  return addresses;
}

}  // namespace nwbpf::config
