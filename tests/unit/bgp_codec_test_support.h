// SPDX-License-Identifier: Apache-2.0
// Helpers for the BGP codec's golden-byte tests: hex literals, framing a body
// with the 19-byte header, and decoding with readable failures.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

#include "hex_bytes.h"
#include "bgp/message.h"

namespace nwbpf::bgp::test {

using hex_bytes::hex;

inline wire::Bytes cat(std::initializer_list<wire::Bytes> parts) {
  wire::Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Marker, length and type in front of `body` (RFC 4271 §4.1).
inline wire::Bytes framed(MessageType type, const wire::Bytes& body) {
  wire::Bytes out(16, 0xff);
  const size_t length = 19 + body.size();
  out.push_back(uint8_t(length >> 8));
  out.push_back(uint8_t(length));
  out.push_back(uint8_t(type));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// An UPDATE body with no withdrawn routes, the given attribute bytes and NLRI.
inline wire::Bytes update_body(const wire::Bytes& attributes, const wire::Bytes& nlri = {}) {
  return cat(
      {{0, 0, uint8_t(attributes.size() >> 8), uint8_t(attributes.size())}, attributes, nlri});
}

template <class T>
T decode_ok(const wire::Bytes& message, SessionOptions options = {}) {
  auto result = decode_message(message, options);
  if (auto* error = std::get_if<Error>(&result)) {
    ADD_FAILURE() << "decode failed: " << error->text;
    return T{};
  }
  auto* value = std::get_if<T>(&std::get<Message>(result));
  if (!value) {
    ADD_FAILURE() << "decoded another message type";
    return T{};
  }
  return *value;
}

inline Error decode_error(const wire::Bytes& message, SessionOptions options = {}) {
  auto result = decode_message(message, options);
  if (auto* error = std::get_if<Error>(&result)) return *error;
  ADD_FAILURE() << "decode succeeded where an error was expected";
  return Error{};
}

}  // namespace nwbpf::bgp::test

namespace nwbpf::bgp {

inline void PrintTo(const Error& e, std::ostream* os) {
  *os << "Error{code " << int(e.code) << ", subcode " << int(e.subcode) << ", offset " << e.offset
      << ", data " << e.data.size() << " octets, \"" << e.text << "\"}";
}

inline void PrintTo(const AsSegment& s, std::ostream* os) {
  *os << "{type " << int(s.type) << ":";
  for (uint32_t asn : s.asns) *os << " " << asn;
  *os << "}";
}

}  // namespace nwbpf::bgp
