// SPDX-License-Identifier: Apache-2.0
// The GRE header NHRP travels in (RFC 2784, key and sequence number from
// RFC 2890; protocol type 0x2001 is NHRP, as FRR nhrpd and Cisco DMVPN send
// it), so the agent can send and receive NHRP on a raw IP socket (protocol
// 47) without a kernel GRE device.
#pragma once

#include <boost/outcome/result.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/wire.h"

namespace nwbpf::nhrp {

inline constexpr uint16_t kGreProtocolNhrp = 0x2001;
inline constexpr uint8_t kIpProtocolGre = 47;

struct GreHeader {
  uint16_t protocol = kGreProtocolNhrp;
  bool checksum = false;             // C: RFC 2784 §2.5, over header and payload
  std::optional<uint32_t> key;       // K: RFC 2890 §2.1 (the tunnel's gre_key)
  std::optional<uint32_t> sequence;  // S: RFC 2890 §2.2
  bool operator==(const GreHeader&) const = default;
};

struct GreFrame {
  GreHeader header;
  std::span<const uint8_t> payload;  // into the decoded buffer
};

// Not an NHRP Error Indication: a bad GRE header is dropped (RFC 2784 §2.3).
struct GreError {
  size_t offset = 0;
  std::string message;
  bool operator==(const GreError&) const = default;
};

// Decodes the GRE header at the start of `bytes` (the IP payload). Fails on
// a version other than 0, on reserved bits 1, 4 and 5 (RFC 2784 §2.3, with
// K and S allowed by RFC 2890), on a cut header and on a bad checksum.
BOOST_OUTCOME_V2_NAMESPACE::checked<GreFrame, GreError> decode_gre(std::span<const uint8_t> bytes);

// The header followed by `payload`, with the checksum filled in if asked.
wire::Bytes encode_gre(const GreHeader& header, std::span<const uint8_t> payload);

}  // namespace nwbpf::nhrp
