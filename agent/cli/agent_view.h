// SPDX-License-Identifier: Apache-2.0
// Tables for the answers nwbpfd gives to `show ports` and `show peers`
// (shapes in control/protocol.h). Pure. Scalars the agent leaves out or
// sends as null print as "-"; a result that is not the documented list of
// objects throws AnswerError, so a version mismatch reads as one clear line.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace nwbpf::cli {

class AnswerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Columns PORT, IFINDEX, ROLE, STATE, VLANS, PVID, EGRESS, PATH, REASON.
std::string ports_table(const nlohmann::json& result);
// Columns OVERLAY, NBMA, VNIS, ORIGIN.
std::string peers_table(const nlohmann::json& result);

// "10-12,99": a sorted list of IDs with runs collapsed, "-" when empty.
// Throws AnswerError (naming `what`) unless `ids` is an array of
// non-negative integers.
std::string id_ranges(const nlohmann::json& ids, const std::string& what);

}  // namespace nwbpf::cli
