// SPDX-License-Identifier: Apache-2.0
// A wire::Reader that names each field it reads, so a short packet fails
// with an Error saying which field is cut and where (RFC 2332 §5.2.7's Error
// Offset; the code is Protocol Error, "a generic packet processing error").
// Internal to the NHRP codec.
#pragma once

#include <cstring>
#include <string>

#include "common/net_types.h"
#include "common/wire.h"
#include "nhrp/error.h"

namespace nwbpf::nhrp {

class Fields {
 public:
  explicit Fields(wire::Reader in) : in_(in) {}

  wire::Reader& reader() { return in_; }
  size_t offset() const { return in_.offset(); }
  bool empty() const { return in_.empty(); }

  bool u8(uint8_t& v, const char* field) { return in_.u8(v) || cut(field, 1); }
  bool u16(uint16_t& v, const char* field) { return in_.u16(v) || cut(field, 2); }
  bool u32(uint32_t& v, const char* field) { return in_.u32(v) || cut(field, 4); }
  bool skip(size_t n, const char* field) { return in_.skip(n) || cut(field, n); }
  bool ipv4(Ipv4& v, const char* field) {
    uint8_t b[4];
    if (!in_.copy(b)) return cut(field, 4);
    std::memcpy(&v.be, b, 4);
    return true;
  }
  bool sub(size_t n, Fields& out, const char* field) {
    wire::Reader r({});
    if (!in_.sub(n, r)) return cut(field, n);
    out = Fields(r);
    return true;
  }

  // The error of the last failed read.
  const Error& error() const { return error_; }

 private:
  bool cut(const char* field, size_t need) {
    error_ = {ErrorCode::protocol_error, in_.offset(),
              std::string(field) + ": truncated, " + std::to_string(need) +
                  (need == 1 ? " octet" : " octets") + " needed, " +
                  std::to_string(in_.remaining()) + " left"};
    return false;
  }

  wire::Reader in_;
  Error error_;
};

inline void put_ipv4(wire::Writer& out, Ipv4 address) {
  uint8_t b[4];
  std::memcpy(b, &address.be, 4);
  out.bytes(b);
}

}  // namespace nwbpf::nhrp
