// SPDX-License-Identifier: Apache-2.0
// ebconfig ACL cost: xdp_edge / encap (as in progcost_programs.h) with an
// ACL on VLAN 99 of 10 rule shapes, holding 10 rules and then 10,000 rules
// (the same shapes, 1,000 keys each), whose frame matches no rule: every
// shape is looked up and the ip-filter's default (permit) decides, the
// lookup's worst case. Rows "encap/acl-10" and "encap/acl-10000", and
// "encap/no-acl" on the same bench before the ACL is applied; the issue's
// requirement is acl-10000 within 1.2x of acl-10.
#pragma once

#include <vector>

#include "progcost.h"

namespace nwbpf::progcost {

// Throws std::runtime_error if a packet takes another path than encap.
std::vector<ProgramCost> measure_acl(const Settings& s);

}  // namespace nwbpf::progcost
