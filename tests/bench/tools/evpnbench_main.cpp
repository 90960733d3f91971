// SPDX-License-Identifier: Apache-2.0
// nwbpf-evpnbench: how long a CE running nwbpfd takes to bring a route
// reflector's table of EVPN type-2 routes into its BPF FDB (issue 4's
// figure: 100,000 routes after End-of-RIB in under 5 s), and nwbpfd's
// memory with them. See evpnbench_run.h and tests/bench/README.md.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <stdexcept>

#include "evpnbench_run.h"

namespace eb = nwbpf::evpnbench;

namespace {

nwbpf::Ipv4 address(const std::string& text, const char* what) {
  auto a = nwbpf::Ipv4::parse(text);
  if (!a) throw std::invalid_argument(std::string(what) + ": not an IPv4 address: " + text);
  return *a;
}

}  // namespace

int main(int argc, char** argv) {
  eb::RunSettings s;
  std::string local, peer, cluster_id = "10.255.255.1";
  std::vector<std::string> vteps{"192.168.0.10", "192.168.0.11", "192.168.0.12", "192.168.0.13"};
  unsigned timeout_s = 120;
  bool no_withdraw = false;
  CLI::App app{
      "Plays the route reflector of a CE running nwbpfd with the agent's own BGP stack:\n"
      "listens for the CE (its [bgp] route_reflectors names --listen), advertises --routes\n"
      "EVPN type-2 routes of --vni (distinct MACs, next hops round-robin over --vteps,\n"
      "RT AS:VNI, VXLAN encapsulation, label = VNI) packed many per UPDATE, then End-of-RIB,\n"
      "and polls the CE's pinned fdb map until every route is there (and checks each entry);\n"
      "then withdraws them all and polls until none is left. Prints one JSON document:\n"
      "send_s (first UPDATE to End-of-RIB queued), install_s (End-of-RIB to all in fdb),\n"
      "withdraw.remove_s, and nwbpfd's VmRSS/VmHWM before, with the routes and after.",
      "nwbpf-evpnbench"};
  app.add_option("--listen", local, "Our address (the CE connects to it)")->required();
  app.add_option("--peer", peer, "The CE's address (the source of its connection)")->required();
  app.add_option("--port", s.port, "BGP port")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_option("--as", s.table.as, "AS of both sides (iBGP)")
      ->check(CLI::Range(1u, 4294967294u))
      ->capture_default_str();
  app.add_option("--cluster-id", cluster_id, "Our BGP Identifier and CLUSTER_ID")
      ->capture_default_str();
  app.add_option("--routes", s.table.count, "Type-2 routes to advertise")
      ->check(CLI::Range(1u, 16777216u))
      ->capture_default_str();
  app.add_option("--vni", s.table.vni, "VNI of every route (a VLAN of the CE's port)")
      ->check(CLI::Range(1u, 16777215u))
      ->capture_default_str();
  app.add_option("--vteps", vteps, "Next hops, comma-separated")->delimiter(',')->capture_default_str();
  app.add_option("--pin-dir", s.pin_dir, "The CE's pin directory (<bpffs>/nwbpf/<instance>)")
      ->required();
  app.add_option("--agent-pid", s.agent_pid, "PID of the CE's nwbpfd")->required();
  app.add_option("--timeout", timeout_s, "Seconds each phase may take")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
  app.add_flag("--no-withdraw", no_withdraw, "Stop once every route is installed");
  CLI11_PARSE(app, argc, argv);

  try {
    if (geteuid() != 0) throw std::runtime_error("needs root (BPF maps)");
    s.local = address(local, "--listen");
    s.peer = address(peer, "--peer");
    s.table.cluster_id = address(cluster_id, "--cluster-id");
    for (const auto& v : vteps) s.table.vteps.push_back(address(v, "--vteps"));
    s.withdraw = !no_withdraw;
    s.timeout = std::chrono::seconds(timeout_s);
    std::printf("%s\n", eb::run(s).dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nwbpf-evpnbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
