// SPDX-License-Identifier: Apache-2.0
// FDB scale: the cost of xdp_edge encap and xdp_wan decap as the `fdb` map
// holds 1k .. 1M entries. Each (size, case) gets a fresh bench
// (tests/bpf/support/testbed.h) with `fdb` sized to exactly `entries` and
// filled, in one batch update, with that many distinct MACs of VNI 99 behind
// VTEP 10.0.0.2; for decap the targeted entries are local on e1 instead.
// Lookups:
//   one-mac    every packet to the same MAC, the entry in the middle of the
//              fill order: the table's size alone
//   1000-macs  packet i to MAC i mod 1000 of 1000 spread evenly over the
//              fill order (the shim writes it): cache misses as tables grow
// Each also as <lookup>/hash: loaded without the FDB memo
// (bpf/lib/fdb_memo.h), so every lookup takes the hash maps; with the memo,
// one-mac never reaches them and 1000-macs mostly does not.
// encap: H1 on e1 to the MAC; decap: from VTEP 10.0.0.2 to the MAC. Method
// as for the XDP rows of progcost_programs.h, but on three fresh benches per
// figure and reporting the fastest run of them all (see kBenches).
#pragma once

#include <cstdint>
#include <vector>

#include "progcost.h"

namespace nwbpf::progcost {

constexpr uint32_t kFdbMin = 1000;  // the rotation needs 1000 distinct entries
constexpr uint32_t kFdbMax = 10000000;

// Throws std::runtime_error if a packet takes another path than its case's.
std::vector<FdbCost> measure_fdb(const Settings& s, uint32_t entries);

}  // namespace nwbpf::progcost
