// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the EVPN NLRI decoder (agent/evpn/nlri.h): any bytes
// either decode or fail with an Error, never crash or read out of bounds;
// whatever decodes encodes back to exactly the same bytes and has a text
// form, so the route reflector passes on what it received unchanged.
#include <cstdint>
#include <cstdlib>

#include "evpn/nlri.h"
#include "evpn/route_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace nwbpf;
  auto routes = evpn::decode_routes({data, size});
  if (!routes) return 0;
  wire::Bytes again;
  for (const auto& route : routes.value()) {
    if (!evpn::encode_route(route, again)) std::abort();
    if (evpn::to_string(route).empty()) std::abort();
  }
  if (again != wire::Bytes(data, data + size)) std::abort();
  return 0;
}
