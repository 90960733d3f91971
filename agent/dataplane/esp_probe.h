// SPDX-License-Identifier: Apache-2.0
// Can this kernel do what the encrypted overlay needs: ESP with AES-GCM in
// XFRM? Asked once at start, before charon is told anything, so a kernel
// without ESP is a clear start error rather than CHILD_SAs that never come
// up (or, worse, an overlay that quietly runs in plaintext).
#pragma once

#include <optional>
#include <string>

namespace nwbpf::netlink {

// Adds a throwaway ESP SA (transport mode, rfc4106(gcm(aes)), 127.0.0.1 ->
// 127.0.0.2, an SPI from the range IKE never allocates) to the network
// namespace's SAD and deletes it again: the kernel loads esp4 on demand and
// refuses the SA when it has no ESP or no AES-GCM. Returns why encryption
// cannot work here, or nullopt when it can.
std::optional<std::string> esp_unavailable();

}  // namespace nwbpf::netlink
