// SPDX-License-Identifier: Apache-2.0
// What parse_portconfig() and parse_ebconfig() return. A file is taken or
// rejected as a whole (issue 6: the caller keeps its last good config), so
// the error carries every problem found, not just the first.
#pragma once

#include <boost/outcome/result.hpp>
#include <string>
#include <vector>

namespace nwbpf::central {

// Each problem is one line, "<JSON path>: <message>", such as
// `ports[2].vlans[0]: 5000 is not a VLAN ID (1..4094)`; a problem with the
// document itself says "top level" for the path.
struct Error {
  std::vector<std::string> problems;
  bool operator==(const Error&) const = default;
};

// An accepted file and what it contains that is ignored or can never take
// effect (unknown keys, rules that never match), in the same line format.
template <class T>
struct Parsed {
  T value;
  std::vector<std::string> warnings;
};

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::checked<T, Error>;

}  // namespace nwbpf::central
