// SPDX-License-Identifier: Apache-2.0
#include "evpn/esi.h"

#include <fmt/format.h>

#include <cctype>

namespace nwbpf::evpn {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = char(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Result<Esi> Esi::parse(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error{Errc::bad_text, 0, fmt::format("ESI '{}': {}", text, why)};
  };
  const char* shape = "expected 10 hex bytes separated by ':' (00:11:22:33:44:55:66:77:88:99)";
  // "xx:" nine times and a final "xx".
  constexpr size_t text_length = 10 * 3 - 1;
  if (text.size() != text_length) return bad(shape);
  Esi esi;
  for (size_t i = 0; i < esi.bytes.size(); ++i) {
    size_t at = i * 3;
    int hi = hex_digit(text[at]);
    int lo = hex_digit(text[at + 1]);
    bool separator_ok = i + 1 == esi.bytes.size() || text[at + 2] == ':';
    if (hi < 0 || lo < 0 || !separator_ok) return bad(shape);
    esi.bytes[i] = uint8_t(hi << 4 | lo);
  }
  if (esi.type() > max_type)
    return bad(
        fmt::format("type {} is not defined (RFC 7432 section 5: 0 to {})", esi.type(), max_type));
  return esi;
}

std::string Esi::str() const { return fmt::format("{:02x}", fmt::join(bytes, ":")); }

}  // namespace nwbpf::evpn
