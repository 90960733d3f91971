// SPDX-License-Identifier: Apache-2.0
#include "config/value_rules.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <sys/un.h>

#include <charconv>
#include <cstdio>

namespace nwbpf::config {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::string escape_controls(std::string_view s) {
  constexpr std::string_view kControl = "\b\t\n\f\r", kLetter = "btnfr";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (size_t k = kControl.find(c); k != std::string_view::npos) {
      out += '\\';
      out += kLetter[k];
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string escaped;
  for (char c : s) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return "\"" + escape_controls(escaped) + "\"";
}

std::optional<std::string> instance_name_problem(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 32;
  for (char c : name)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-');
  if (ok) return std::nullopt;
  return quote(name) + " is not a valid instance name (1-32 characters of A-Z a-z 0-9 _ -)";
}

std::optional<std::string> ifname_problem(std::string_view name) {
  if (name.empty()) return "interface name is empty";
  if (name.size() >= IFNAMSIZ)
    return "interface name " + quote(name) + " is longer than " + std::to_string(IFNAMSIZ - 1) +
           " bytes";
  if (name == "." || name == "..") return quote(name) + " is not a valid interface name";
  for (char c : name) {
    if (c == '/' || c == ':' || c == '%')
      return "interface name " + quote(name) + " contains '" + c + "'";
    if (is_ascii_space(c)) return "interface name " + quote(name) + " contains whitespace";
  }
  return std::nullopt;
}

std::optional<std::string> absolute_path_problem(std::string_view path) {
  if (!path.empty() && path.front() == '/') return std::nullopt;
  return quote(path) + " is not an absolute path";
}

std::optional<std::string> socket_path_problem(std::string_view path) {
  if (auto problem = absolute_path_problem(path)) return problem;
  constexpr size_t max = sizeof(sockaddr_un::sun_path) - 1;
  if (path.size() <= max) return std::nullopt;
  return "socket path is " + std::to_string(path.size()) +
         " bytes; a Unix socket path holds at most " + std::to_string(max);
}

std::optional<std::string> log_level_problem(std::string_view level) {
  for (std::string_view known : {"trace", "debug", "info", "warn", "error", "critical", "off"})
    if (level == known) return std::nullopt;
  return quote(level) +
         " is not one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", \"critical\", "
         "\"off\"";
}

std::optional<std::string> unicast_address_problem(Ipv4 address) {
  uint32_t first = ntohl(address.be) >> 24;
  std::string reason;
  if (first == 0)
    reason = "is in 0.0.0.0/8 (\"this network\")";
  else if (first == 127)
    reason = "is a loopback address";
  else if (first >= 224 && first < 240)
    reason = "is a multicast address";
  else if (first >= 240)
    reason = "is in 240.0.0.0/4 (reserved, broadcast)";
  else
    return std::nullopt;
  return address.str() + " " + reason + "; expected a unicast host address";
}

std::optional<std::string> station_mac_problem(const Mac& mac) {
  if (mac.is_zero()) return "00:00:00:00:00:00 is not a station address";
  if (mac.is_multicast())
    return mac.str() + " is a multicast/broadcast MAC; a static entry needs a unicast MAC";
  return std::nullopt;
}

std::optional<bgp::Prefix4> parse_prefix(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = Ipv4::parse(text.substr(0, slash));
  std::string_view digits = text.substr(slash + 1);
  unsigned length = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  bool canonical = ec == std::errc{} && end == digits.data() + digits.size() &&
                   (digits.size() == 1 || digits.front() != '0');
  if (!address || !canonical || length > 32) return std::nullopt;
  return bgp::Prefix4{*address, static_cast<uint8_t>(length)};
}

std::optional<std::string> prefix_problem(std::string_view text) {
  auto prefix = parse_prefix(text);
  if (!prefix)
    return quote(text) +
           " is not an IPv4 prefix (expected address/length with a length of 0..32, such as "
           "10.0.0.0/16)";
  uint32_t mask = prefix->length == 0 ? 0 : ~uint32_t{0} << (32 - prefix->length);
  Ipv4 network{htonl(ntohl(prefix->address.be) & mask)};
  if (network == prefix->address) return std::nullopt;
  return quote(text) + " has bits set past its length; did you mean " +
         quote(network.str() + "/" + std::to_string(prefix->length)) + "?";
}

}  // namespace nwbpf::config
