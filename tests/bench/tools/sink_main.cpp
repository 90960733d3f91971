// SPDX-License-Identifier: Apache-2.0
// nwbpf-sink: an XDP program on an interface counts every frame (per CPU) and
// drops it; the delivered rate is printed every interval and in total at the
// end (SIGINT/SIGTERM or --duration).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench_abi.h"
#include "bench_sink.skel.h"
#include "stop_signal.h"
#include "xdp_attach.h"

namespace nb = nwbpf::bench;
using Clock = std::chrono::steady_clock;

namespace {

struct SkelDeleter {
  void operator()(bench_sink* s) const { bench_sink__destroy(s); }
};

// Sum over CPUs of the one per-CPU stats slot.
bench_sink_stats read_stats(int map_fd, int ncpus) {
  std::vector<bench_sink_stats> per_cpu(ncpus);
  uint32_t key = 0;
  if (bpf_map_lookup_elem(map_fd, &key, per_cpu.data()))
    throw std::runtime_error(std::string("reading the sink's counters: ") + std::strerror(errno));
  bench_sink_stats total{};
  for (const auto& s : per_cpu) {
    total.packets += s.packets;
    total.bytes += s.bytes;
    total.vxlan += s.vxlan;
  }
  return total;
}

nlohmann::json record(const char* event, const std::string& ifname, const bench_sink_stats& d,
                      double seconds) {
  double pps = seconds > 0 ? d.packets / seconds : 0;
  return {{"event", event},     {"interface", ifname},
          {"seconds", seconds}, {"packets", d.packets},
          {"bytes", d.bytes},   {"vxlan", d.vxlan},
          {"pps", pps},         {"bits_per_s", seconds > 0 ? d.bytes * 8 / seconds : 0}};
}

void print(const nlohmann::json& r, bool json) {
  if (json) {
    std::cout << r.dump() << std::endl;  // flushed: a script reads it while we run
    return;
  }
  if (r["event"] == "ready") {
    std::printf("counting on %s\n", r["interface"].get<std::string>().c_str());
  } else {
    std::printf("%-8s %8.3f s %12llu pkts %12llu vxlan %10.3f Mpps\n",
                r["event"].get<std::string>().c_str(), r["seconds"].get<double>(),
                (unsigned long long)r["packets"].get<uint64_t>(),
                (unsigned long long)r["vxlan"].get<uint64_t>(), r["pps"].get<double>() / 1e6);
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string ifname, mode = "native";
  double interval = 1, duration = 0;
  bool json = false, pass_arp = false;
  CLI::App app{
      "Counts and drops every frame arriving on INTERFACE with an XDP program and\n"
      "prints the delivered rate: one line per interval, a total at the end. Runs\n"
      "until SIGINT/SIGTERM or --duration. With --json every line is a JSON object\n"
      "whose \"event\" is \"ready\" (attached), \"interval\" or \"total\".",
      "nwbpf-sink"};
  app.add_option("-i,--interface", ifname, "Interface to count on")->required();
  app.add_option("--interval", interval, "Seconds between reports")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  app.add_option("-d,--duration", duration, "Stop after this many seconds (0: until a signal)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--mode", mode, "XDP attach mode")
      ->check(CLI::IsMember({"native", "generic"}))
      ->capture_default_str();
  app.add_flag("--pass-arp", pass_arp,
               "Hand ARP to the kernel uncounted, so an address on INTERFACE answers it");
  app.add_flag("--json", json, "JSON lines instead of text");
  CLI11_PARSE(app, argc, argv);

  try {
    nb::block_stop_signals();
    std::unique_ptr<bench_sink, SkelDeleter> skel(bench_sink__open());
    if (!skel) throw std::runtime_error("opening the sink's BPF object failed");
    skel->rodata->pass_arp = pass_arp;
    if (bench_sink__load(skel.get()))
      throw std::runtime_error("loading the sink's BPF program failed");
    int ncpus = libbpf_num_possible_cpus();
    if (ncpus <= 0) throw std::runtime_error("cannot count possible CPUs");
    int map_fd = bpf_map__fd(skel->maps.sink_stats);
    nb::XdpAttachment attach(ifname, bpf_program__fd(skel->progs.xdp_sink),
                             mode == "native" ? nb::XdpMode::native : nb::XdpMode::generic);
    auto start = Clock::now(), last = start;
    bench_sink_stats prev{};
    print(record("ready", ifname, prev, 0), json);
    auto step = std::chrono::duration<double>(interval);
    auto end = duration > 0 ? start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(duration))
                            : Clock::time_point::max();
    for (bool stop = false; !stop;) {
      auto next = std::min(last + std::chrono::duration_cast<Clock::duration>(step), end);
      stop = nb::wait_for_stop(next - Clock::now()) || Clock::now() >= end;
      auto now = Clock::now();
      bench_sink_stats cur = read_stats(map_fd, ncpus);
      bench_sink_stats d{cur.packets - prev.packets, cur.bytes - prev.bytes,
                         cur.vxlan - prev.vxlan};
      print(record("interval", ifname, d, std::chrono::duration<double>(now - last).count()), json);
      prev = cur;
      last = now;
    }
    print(record("total", ifname, prev, std::chrono::duration<double>(last - start).count()), json);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nwbpf-sink: %s\n", e.what());
    return 1;
  }
  return 0;
}
