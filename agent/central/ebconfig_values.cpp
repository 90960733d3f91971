// SPDX-License-Identifier: Apache-2.0
#include "central/ebconfig_values.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <string_view>

#include "config/value_rules.h"

namespace nwbpf::central {

namespace {

struct NamedProtocol {
  std::string_view name;
  uint8_t number;
};

// The /etc/protocols names (IANA keywords) of the protocols an edge is
// likely to filter; any other is given by number. "ip" is left out on
// purpose: getprotobyname("ip") is 0, a real protocol (IPv6 hop-by-hop),
// not "every protocol", which is "any" here.
constexpr NamedProtocol kProtocols[] = {
    {"icmp", 1},   {"igmp", 2},   {"tcp", 6},    {"udp", 17},  {"dccp", 33},
    {"gre", 47},   {"esp", 50},   {"ah", 51},    {"ospf", 89}, {"pim", 103},
    {"vrrp", 112}, {"l2tp", 115}, {"sctp", 132},
};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Decimal digits only (no sign, no space), value <= max.
std::optional<unsigned> parse_decimal(std::string_view text, unsigned max) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

// The length of a netmask written as an address, if its ones are contiguous.
std::optional<uint8_t> mask_length(Ipv4 mask) {
  uint32_t host_bits = ~ntohl(mask.be);
  if ((host_bits & (host_bits + 1)) != 0) return std::nullopt;
  return static_cast<uint8_t>(32 - std::popcount(host_bits));
}

// `text` as written, before bits past the length are looked at.
std::optional<bgp::Prefix4> parse_prefix_text(std::string_view text, bool& bad_mask) {
  size_t slash = text.find('/');
  if (slash == text.npos) {
    auto address = Ipv4::parse(text);
    return address ? std::optional(bgp::Prefix4{*address, 32}) : std::nullopt;
  }
  std::string_view mask = text.substr(slash + 1);
  if (mask.find('.') == mask.npos) return config::parse_prefix(text);
  auto address = Ipv4::parse(text.substr(0, slash));
  auto mask_address = Ipv4::parse(mask);
  if (!address || !mask_address) return std::nullopt;
  auto length = mask_length(*mask_address);
  bad_mask = !length;
  return length ? std::optional(bgp::Prefix4{*address, *length}) : std::nullopt;
}

}  // namespace

bool Protocol::has_ports() const {
  return number == IPPROTO_TCP || number == IPPROTO_UDP || number == IPPROTO_DCCP ||
         number == IPPROTO_SCTP;
}

std::optional<Action> read_action(const Json& value, const std::string& path, Report& report) {
  if (!value.is_string()) {
    report.wrong_type(value, path, "\"permit\" or \"deny\"");
    return std::nullopt;
  }
  if (value == "permit") return Action::permit;
  if (value == "deny") return Action::deny;
  report.error(path, show(value) + " is not \"permit\" or \"deny\"");
  return std::nullopt;
}

std::optional<Protocol> read_protocol(const Json& value, const std::string& path, Report& report) {
  if (auto number = integer_in(value, 0, 255)) return Protocol{static_cast<uint8_t>(*number)};
  if (value.is_number_integer()) {
    report.error(path, show(value) + " is not a protocol number (0..255)");
    return std::nullopt;
  }
  if (!value.is_string()) {
    report.wrong_type(value, path, "a protocol name or number");
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (text == "any") return Protocol{};
  if (auto number = parse_decimal(text, 255)) return Protocol{static_cast<uint8_t>(*number)};
  for (const auto& p : kProtocols)
    if (equal_ignoring_case(text, p.name)) return Protocol{p.number};
  std::string names;
  for (const auto& p : kProtocols) names += (names.empty() ? "" : ", ") + std::string(p.name);
  report.error(path, show(value) +
                         " is not a protocol (expected \"any\", a number 0..255 or one of " +
                         names + ")");
  return std::nullopt;
}

std::optional<std::string_view> protocol_name(uint8_t number) {
  for (const auto& p : kProtocols)
    if (p.number == number) return p.name;
  return std::nullopt;
}

std::optional<bgp::Prefix4> read_prefix(const Json& value, const std::string& path,
                                        Report& report) {
  if (!value.is_string()) {
    report.wrong_type(value, path, "an IPv4 address or prefix");
    return std::nullopt;
  }
  bool bad_mask = false;
  auto prefix = parse_prefix_text(value.get_ref<const std::string&>(), bad_mask);
  if (!prefix) {
    report.error(path, show(value) + (bad_mask ? " has a netmask whose ones are not contiguous"
                                               : " is not an IPv4 address or prefix (expected "
                                                 "a.b.c.d, a.b.c.d/n or a.b.c.d/m.m.m.m)"));
    return std::nullopt;
  }
  uint32_t mask = prefix->length == 0 ? 0 : ~uint32_t{0} << (32 - prefix->length);
  Ipv4 network{htonl(ntohl(prefix->address.be) & mask)};
  if (network != prefix->address) {
    prefix->address = network;
    report.warn(path, show(value) + " has bits set past its length; it matches " + network.str() +
                          "/" + std::to_string(prefix->length));
  }
  return prefix;
}

std::optional<PortRange> read_port_range(const Json& value, const std::string& path,
                                         Report& report) {
  if (auto port = integer_in(value, 0, 65535)) {
    auto p = static_cast<uint16_t>(*port);
    return PortRange{p, p};
  }
  if (value.is_number_integer()) {
    report.error(path, show(value) + " is not a port (0..65535)");
    return std::nullopt;
  }
  if (!value.is_string()) {
    report.wrong_type(value, path, "a port, a range \"first:last\" or \"any\"");
    return std::nullopt;
  }
  std::string_view text = value.get_ref<const std::string&>();
  if (text == "any") return PortRange{};
  size_t colon = text.find(':');
  std::optional<unsigned> first, last;
  if (colon == text.npos) {
    first = last = parse_decimal(text, 65535);
  } else if (colon + 1 < text.size() || colon > 0) {  // ":" alone names no bound
    std::string_view low = text.substr(0, colon), high = text.substr(colon + 1);
    first = low.empty() ? 0u : parse_decimal(low, 65535);
    last = high.empty() ? 65535u : parse_decimal(high, 65535);
  }
  if (!first || !last) {
    report.error(path, show(value) + " is not a port, a range \"first:last\" or \"any\"");
    return std::nullopt;
  }
  if (*first > *last) {
    report.error(path, show(value) + " is an empty range");
    return std::nullopt;
  }
  return PortRange{static_cast<uint16_t>(*first), static_cast<uint16_t>(*last)};
}

std::optional<Mac> read_mac(const Json& value, const std::string& path, Report& report) {
  if (!value.is_string()) {
    report.wrong_type(value, path, "a MAC address");
    return std::nullopt;
  }
  if (auto mac = Mac::parse(value.get_ref<const std::string&>())) return mac;
  report.error(path, show(value) + " is not a MAC address (expected the form 0a:1b:2c:3d:4e:5f)");
  return std::nullopt;
}

}  // namespace nwbpf::central
