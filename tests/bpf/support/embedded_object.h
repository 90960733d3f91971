// SPDX-License-Identifier: Apache-2.0
// nwbpf.bpf.o as embedded in its skeleton. Outside namespace nwbpf because the
// skeleton's struct is named `nwbpf` too; only embedded_object.cpp includes it.
#pragma once

#include <cstddef>
#include <span>

std::span<const std::byte> nwbpf_test_object();
