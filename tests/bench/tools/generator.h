// SPDX-License-Identifier: Apache-2.0
// The generator's engine: loads xdp_gen and drives BPF_PROG_RUN with
// BPF_F_TEST_XDP_LIVE_FRAMES from one thread per CPU until a packet count or a
// duration is reached (or SIGINT/SIGTERM arrives).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "frame.h"

struct bench_trafficgen;  // the BPF skeleton

namespace nwbpf::bench {

struct GeneratorConfig {
  Bytes frame;
  int ifindex = 0;                       // frames enter here; XDP_TX sends them out of it
  int target_ifindex = 0;                // non-zero: XDP_REDIRECT here instead of XDP_TX
  uint32_t flows = 1;                    // source ports base..base+flows-1 on every flow UDP header
  std::vector<size_t> flow_udp_headers;  // from find_flow_udp_headers()
  std::optional<uint64_t> count;         // else run for duration_s
  double duration_s = 5;
  unsigned threads = 1;  // >1: one thread pinned to each of the first CPUs allowed
  unsigned batch = 64;   // frames per kernel batch (1..256)
};

struct GeneratorResult {
  uint64_t packets = 0;  // frames the program ran on, all sent or redirected
  double elapsed_s = 0;
  bool interrupted = false;  // stopped early by SIGINT/SIGTERM
};

// xdp_gen loaded for `config` (its target, flows and flow headers; each
// header's first port is the one in config.frame). Throws
// std::invalid_argument on flows that cannot work (no UDP header, ports past
// 65535) and std::runtime_error when the kernel refuses the program.
class GeneratorProgram {
 public:
  explicit GeneratorProgram(const GeneratorConfig& config);
  ~GeneratorProgram();
  int fd() const;

 private:
  struct Destroy {
    void operator()(::bench_trafficgen* skel) const;
  };
  std::unique_ptr<::bench_trafficgen, Destroy> skel_;
};

// Throws what GeneratorProgram throws, and std::runtime_error on a run failure (with the kernel's
// error) and std::invalid_argument on a config that cannot work (e.g. flows > 1 with no UDP header,
// or ports that would pass 65535).
GeneratorResult run_generator(const GeneratorConfig& config);

}  // namespace nwbpf::bench
