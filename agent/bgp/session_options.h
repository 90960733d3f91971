// SPDX-License-Identifier: Apache-2.0
// What a session negotiated that changes the wire format of its messages.
#pragma once

namespace nwbpf::bgp {

struct SessionOptions {
  // Both sides sent the 4-octet AS capability (RFC 6793 §4): AS_PATH and
  // AGGREGATOR carry 4-octet ASes and AS4_PATH/AS4_AGGREGATOR are not used.
  // On a 2-octet session the codec maps between the two (RFC 6793 §4.2).
  bool four_octet_as = true;
};

}  // namespace nwbpf::bgp
