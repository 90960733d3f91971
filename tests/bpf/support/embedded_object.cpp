// SPDX-License-Identifier: Apache-2.0
// The only test translation unit that includes the skeleton.
#include "support/embedded_object.h"

#include "nwbpf.skel.h"

std::span<const std::byte> nwbpf_test_object() {
  size_t size = 0;
  const void* data = nwbpf__elf_bytes(&size);
  return {static_cast<const std::byte*>(data), size};
}
