// SPDX-License-Identifier: Apache-2.0
#include "evpn/route_text.h"

#include <fmt/format.h>

namespace nwbpf::evpn {

namespace {

std::string text(const EthernetAdKey& k) {
  return fmt::format("[1]:[{}]:[{}]:[32]:[0.0.0.0]:[0]", k.ethernet_tag, k.esi.str());
}

std::string text(const MacIpKey& k) {
  std::string s = fmt::format("[2]:[{}]:[48]:[{}]", k.ethernet_tag, k.mac.str());
  if (k.ip) s += fmt::format(":[{}]:[{}]", bit_length(*k.ip), to_string(*k.ip));
  return s;
}

std::string text(const InclusiveMulticastKey& k) {
  return fmt::format("[3]:[{}]:[{}]:[{}]", k.ethernet_tag, bit_length(k.originator),
                     to_string(k.originator));
}

std::string text(const EthernetSegmentKey& k) {
  return fmt::format("[4]:[{}]:[{}]:[{}]", k.esi.str(), bit_length(k.originator),
                     to_string(k.originator));
}

std::string text(const IpPrefixKey& k) {
  return fmt::format("[5]:[{}]:[{}]:[{}]", k.ethernet_tag, k.prefix_length, to_string(k.prefix));
}

std::string text(const UnknownRouteKey& k) {
  return fmt::format("[{}]:[unknown]:[{:02x}]", k.type, fmt::join(k.value, ""));
}

}  // namespace

std::string to_string(const RouteKey& key) {
  return std::visit([](const auto& k) { return text(k); }, key);
}

}  // namespace nwbpf::evpn
