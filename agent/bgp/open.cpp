// SPDX-License-Identifier: Apache-2.0
#include "bgp/open.h"

namespace nwbpf::bgp {

Open make_open(uint32_t as_number, uint16_t hold_time, Ipv4 bgp_id, Capabilities capabilities) {
  Open open;
  open.my_as = as_number > 0xffff ? kAsTrans : uint16_t(as_number);
  open.hold_time = hold_time;
  open.bgp_id = bgp_id;
  open.capabilities = std::move(capabilities);
  open.capabilities.four_octet_as = as_number;
  return open;
}

}  // namespace nwbpf::bgp
