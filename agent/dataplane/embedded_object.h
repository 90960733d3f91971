// SPDX-License-Identifier: Apache-2.0
// The nwbpf.bpf.o built with this agent, embedded by its bpftool skeleton.
//
// Declared outside namespace nwbpf on purpose: the skeleton names its struct
// `nwbpf`, and C++ forbids a namespace and a class of the same name in one
// scope, so only embedded_object.cpp includes nwbpf.skel.h and everything
// else opens the object through libbpf's bpf_object API.
#pragma once

#include <cstddef>
#include <span>

std::span<const std::byte> nwbpf_embedded_object();
