// SPDX-License-Identifier: Apache-2.0
// nwbpf-xdp-redirect: the benchmark's harness ceiling. Holds a bare XDP
// redirect (no parsing, no lookup) from one interface to another until
// SIGINT/SIGTERM, so the cost of the veth chain itself can be measured.
#include <bpf/libbpf.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

#include "bench_redirect.skel.h"
#include "stop_signal.h"
#include "xdp_attach.h"

namespace nb = nwbpf::bench;

namespace {
struct SkelDeleter {
  void operator()(bench_redirect* s) const { bench_redirect__destroy(s); }
};
}  // namespace

int main(int argc, char** argv) {
  std::string in, out, mode = "native";
  CLI::App app{
      "Redirects every frame arriving on --in to --out with a bare XDP program until\n"
      "SIGINT/SIGTERM; prints \"ready\" once attached. --out delivers only if its veth\n"
      "peer has an XDP program (or GRO on).",
      "nwbpf-xdp-redirect"};
  app.add_option("--in", in, "Interface whose frames are redirected")->required();
  app.add_option("--out", out, "Interface they are sent out of")->required();
  app.add_option("--mode", mode, "XDP attach mode")
      ->check(CLI::IsMember({"native", "generic"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    nb::block_stop_signals();
    std::unique_ptr<bench_redirect, SkelDeleter> skel(bench_redirect__open());
    if (!skel) throw std::runtime_error("opening the redirect BPF object failed");
    skel->rodata->out_ifindex = uint32_t(nb::ifindex_of(out));
    if (bench_redirect__load(skel.get()))
      throw std::runtime_error("loading the redirect BPF program failed");
    nb::XdpAttachment attach(in, bpf_program__fd(skel->progs.xdp_redirect_bare),
                             mode == "native" ? nb::XdpMode::native : nb::XdpMode::generic);
    std::puts("ready");
    std::fflush(stdout);
    while (!nb::wait_for_stop(std::chrono::hours(24))) {
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nwbpf-xdp-redirect: %s\n", e.what());
    return 1;
  }
  return 0;
}
