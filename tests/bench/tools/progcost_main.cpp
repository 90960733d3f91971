// SPDX-License-Identifier: Apache-2.0
// nwbpf-progcost: per-packet cost of each nwbpf program through BPF_PROG_RUN,
// so a regression shows without a topology, and the FDB lookup cost from 1k
// to 1M entries. Builds the standard BPF test bench in a network namespace
// of its own (tests/bpf/support/testbed.h); needs root.
#include <sys/utsname.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "progcost_acl.h"
#include "progcost_fdb.h"
#include "progcost_mss.h"
#include "progcost_programs.h"
#include "progcost_report.h"

namespace pc = nwbpf::progcost;

namespace {

constexpr uint32_t kRepeatMax = 10000000;
constexpr uint32_t kRunsMax = 101;

std::string kernel_release() {
  utsname u{};
  if (uname(&u)) throw std::runtime_error("uname failed");
  return u.release;
}

}  // namespace

int main(int argc, char** argv) {
  pc::Settings s;
  bool json = false;
  CLI::App app{
      "Per-packet cost (ns) of each nwbpf program through BPF_PROG_RUN, without a\n"
      "topology (nothing is transmitted), and of the FDB lookup as the fdb map grows.\n"
      "Rows: xdp_edge encap/local/to_tc, xdp_wan decap, tc_edge encap/flood, tc_wan\n"
      "decap, tc_tunnel decap, a bare redirect per hook (baseline), and xdp_edge encap\n"
      "without an ebconfig ACL and with one of 10 shapes holding 10 and 10000 rules;\n"
      "xdp_edge encap, xdp_wan decap and tc_edge encap of a TCP ACK and a SYN (MSS\n"
      "1460) with the MSS clamp off and at 1340, the four cases interleaved.\n"
      "XDP: one BPF_PROG_RUN of --repeat repetitions through a shim that restores the\n"
      "64-byte frame before each (the kernel's repeat reuses the rewritten one). TC:\n"
      "--repeat BPF_PROG_RUNs of one repetition (an skb cannot be encapsulated twice),\n"
      "their mean. Every program figure is the median of --runs; every FDB scale figure\n"
      "the fastest of --runs on each of 3 fresh benches (sizes are compared, and\n"
      "interference only adds time). Each run is checked (verdict, counters, no drops)\n"
      "and a case that takes another path fails the tool.",
      "nwbpf-progcost"};
  app.add_option("--repeat", s.repeat, "Packets per run")
      ->check(CLI::Range(1u, kRepeatMax))
      ->capture_default_str();
  app.add_option("--runs", s.runs, "Runs per figure (programs: the median; FDB scale: the fastest)")
      ->check(CLI::Range(1u, kRunsMax))
      ->capture_default_str();
  app.add_option("--fdb-sizes", s.fdb_sizes, "fdb map sizes for the FDB scale, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(pc::kFdbMin, pc::kFdbMax))
      ->capture_default_str();
  app.add_flag("--json", json, "One JSON document on stdout instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (std::set<uint32_t>(s.fdb_sizes.begin(), s.fdb_sizes.end()).size() != s.fdb_sizes.size()) {
    std::fprintf(stderr, "nwbpf-progcost: --fdb-sizes lists a size twice\n");
    return 2;
  }

  try {
    if (geteuid() != 0)
      throw std::runtime_error("needs root (a network namespace of its own, BPF programs)");
    pc::Report r{s, kernel_release(), {}, {}};
    std::fprintf(stderr, "nwbpf-progcost: programs\n");
    r.programs = pc::measure_programs(s);
    std::fprintf(stderr, "nwbpf-progcost: ebconfig ACL, 10 and 10000 rules\n");
    auto acl = pc::measure_acl(s);
    r.programs.insert(r.programs.end(), acl.begin(), acl.end());
    std::fprintf(stderr, "nwbpf-progcost: TCP MSS clamp off and at 1340\n");
    auto mss = pc::measure_mss(s);
    r.programs.insert(r.programs.end(), mss.begin(), mss.end());
    for (uint32_t n : s.fdb_sizes) {
      std::fprintf(stderr, "nwbpf-progcost: FDB scale, %u entries\n", n);
      auto rows = pc::measure_fdb(s, n);
      r.fdb_scale.insert(r.fdb_scale.end(), rows.begin(), rows.end());
    }
    if (json)
      std::printf("%s\n", pc::to_json(r).dump().c_str());
    else
      std::fputs(pc::to_table(r).c_str(), stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nwbpf-progcost: %s\n", e.what());
    return 1;
  }
  return 0;
}
