// SPDX-License-Identifier: Apache-2.0
#include "nhrp/cie.h"

#include <string>

namespace nwbpf::nhrp {

Result<bool> ipv4_present(uint8_t type_length, const char* field, size_t offset) {
  if (type_length == 0) return false;
  if (type_length == 4) return true;
  std::string what = (type_length & 0x80)   ? "reserved bit set"
                     : (type_length & 0x40) ? "E.164 subaddress type"
                                            : "length " + std::to_string(type_length & 0x3f);
  return Error{ErrorCode::protocol_error, offset,
               std::string(field) + ": " + what + ", an IPv4 address needs type 0 length 0 or 4"};
}

namespace {

Result<Cie> decode_cie(Fields& in, size_t index) {
  const std::string at = "CIE " + std::to_string(index) + " ";
  Cie cie;
  uint8_t nbma_tl = 0, sub_tl = 0, proto_len = 0;
  const size_t start = in.offset();
  if (!in.u8(cie.code, (at + "code").c_str()) ||
      !in.u8(cie.prefix_length, (at + "prefix length").c_str()) ||
      !in.skip(2, (at + "unused").c_str()) || !in.u16(cie.mtu, (at + "MTU").c_str()) ||
      !in.u16(cie.holding_time, (at + "holding time").c_str()) ||
      !in.u8(nbma_tl, (at + "client NBMA type/length").c_str()) ||
      !in.u8(sub_tl, (at + "client NBMA subaddress type/length").c_str()) ||
      !in.u8(proto_len, (at + "client protocol length").c_str()) ||
      !in.u8(cie.preference, (at + "preference").c_str()))
    return in.error();
  auto nbma = ipv4_present(nbma_tl, (at + "client NBMA type/length").c_str(), start + 8);
  if (!nbma) return nbma.error();
  if (sub_tl != 0)
    return Error{ErrorCode::protocol_error, start + 9,
                 at + "client NBMA subaddress: DMVPN has none, length must be 0"};
  // Cli Proto Len is a plain length, not a type/length octet.
  if (proto_len != 0 && proto_len != 4)
    return Error{ErrorCode::protocol_error, start + 10,
                 at + "client protocol length: " + std::to_string(proto_len) +
                     ", an IPv4 protocol address is 4 (0: none)"};
  if (nbma.value() && !in.ipv4(cie.nbma.emplace(), (at + "client NBMA address").c_str()))
    return in.error();
  if (proto_len && !in.ipv4(cie.protocol.emplace(), (at + "client protocol address").c_str()))
    return in.error();
  return cie;
}

}  // namespace

Result<std::vector<Cie>> decode_cies(Fields in) {
  std::vector<Cie> cies;
  while (!in.empty()) {
    auto cie = decode_cie(in, cies.size() + 1);
    if (!cie) return cie.error();
    cies.push_back(cie.value());
  }
  return cies;
}

void encode_cie(const Cie& cie, wire::Writer& out) {
  out.u8(cie.code);
  out.u8(cie.prefix_length);
  out.u16(0);  // unused
  out.u16(cie.mtu);
  out.u16(cie.holding_time);
  out.u8(cie.nbma ? 4 : 0);
  out.u8(0);  // no subaddress
  out.u8(cie.protocol ? 4 : 0);
  out.u8(cie.preference);
  if (cie.nbma) put_ipv4(out, *cie.nbma);
  if (cie.protocol) put_ipv4(out, *cie.protocol);
}

}  // namespace nwbpf::nhrp
