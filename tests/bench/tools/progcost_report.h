// SPDX-License-Identifier: Apache-2.0
// nwbpf-progcost's output: the JSON document scripts/bench reads, or a
// table for people.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "progcost.h"

namespace nwbpf::progcost {

struct Report {
  Settings settings;
  std::string kernel;
  std::vector<ProgramCost> programs;
  std::vector<FdbCost> fdb_scale;
};

// {"repeat","runs","kernel","programs":[{"program","case","ns","verdict"}],
//  "fdb_scale":[{"entries","program","case","lookup","ns"}]}
nlohmann::ordered_json to_json(const Report& r);
std::string to_table(const Report& r);

}  // namespace nwbpf::progcost
