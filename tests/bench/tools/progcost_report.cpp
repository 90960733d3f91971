// SPDX-License-Identifier: Apache-2.0
#include "progcost_report.h"

#include <cmath>
#include <cstdio>

namespace nwbpf::progcost {

namespace {
// Tenths of a nanosecond: finer is noise.
double tenths(double ns) { return std::round(ns * 10) / 10; }

std::string format(const char* fmt, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), fmt, args...);
  return buf;
}
}  // namespace

nlohmann::ordered_json to_json(const Report& r) {
  nlohmann::ordered_json programs = nlohmann::ordered_json::array();
  for (const auto& p : r.programs)
    programs.push_back(
        {{"program", p.program}, {"case", p.kase}, {"ns", tenths(p.ns)}, {"verdict", p.verdict}});
  nlohmann::ordered_json fdb = nlohmann::ordered_json::array();
  for (const auto& f : r.fdb_scale)
    fdb.push_back({{"entries", f.entries},
                   {"program", f.program},
                   {"case", f.kase},
                   {"lookup", f.lookup},
                   {"ns", tenths(f.ns)}});
  return {{"repeat", r.settings.repeat},
          {"runs", r.settings.runs},
          {"kernel", r.kernel},
          {"programs", programs},
          {"fdb_scale", fdb}};
}

std::string to_table(const Report& r) {
  std::string out = format("nwbpf-progcost: kernel %s, %u packets per run, median of %u runs\n",
                           r.kernel.c_str(), r.settings.repeat, r.settings.runs);
  out +=
      "XDP: one BPF_PROG_RUN per run; TC: one per packet (see --help). Compare each row\n"
      "with its hook's baseline, which carries the same overhead.\n\n";
  out += format("%-14s %-20s %-16s %10s\n", "program", "case", "verdict", "ns/packet");
  for (const auto& p : r.programs)
    out += format("%-14s %-20s %-16s %10.1f\n", p.program.c_str(), p.kase.c_str(),
                  p.verdict.c_str(), p.ns);
  if (r.fdb_scale.empty()) return out;
  out += "\nFDB scale (fdb map holding that many entries of VNI 99; fastest run of 3 benches)\n";
  out += format("%9s %-10s %-6s %-14s %10s  %s\n", "entries", "program", "case", "lookup",
                "ns/packet", "destination");
  for (const auto& f : r.fdb_scale)
    out += format("%9u %-10s %-6s %-14s %10.1f  %s\n", f.entries, f.program.c_str(),
                  f.kase.c_str(), f.lookup.c_str(), f.ns, f.target.c_str());
  return out;
}

}  // namespace nwbpf::progcost
