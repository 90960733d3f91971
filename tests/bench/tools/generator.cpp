// SPDX-License-Identifier: Apache-2.0
#include "generator.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench_abi.h"
#include "bench_trafficgen.skel.h"
#include "stop_signal.h"

namespace nwbpf::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Aim each BPF_PROG_RUN call at ~50 ms so stop requests and deadlines are
// honoured promptly whatever the path's speed (0.2 to 5 Mpps here).
constexpr double kCallSeconds = 0.05;
constexpr uint32_t kMinRepeat = 256, kMaxRepeat = 1u << 22;

struct Shared {
  Shared(const GeneratorConfig& c, int fd) : config(c), prog_fd(fd) {}
  const GeneratorConfig& config;
  const int prog_fd;
  std::optional<Clock::time_point> deadline;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> packets{0};
  std::atomic<unsigned> running{0};
  std::mutex error_mutex;
  std::string error;
};

// Sends `quota` frames (or until stopped); stores when it finished in `end`.
void worker(Shared& sh, uint64_t quota, std::optional<int> cpu, Clock::time_point& end) {
  if (cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(*cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }
  const Bytes& frame = sh.config.frame;
  // Live frames take data_end == frame length and no metadata (data == 0).
  xdp_md ctx{};
  ctx.data_end = uint32_t(frame.size());
  ctx.ingress_ifindex = uint32_t(sh.config.ifindex);
  uint32_t repeat = kMinRepeat * 16;
  while (quota && !sh.stop.load(std::memory_order_relaxed)) {
    uint32_t n = uint32_t(std::min<uint64_t>(repeat, quota));
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame.data(),
                .data_size_in = uint32_t(frame.size()), .ctx_in = &ctx, .ctx_size_in = sizeof ctx,
                .repeat = int(n), .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
                .batch_size = sh.config.batch);
    auto t0 = Clock::now();
    int err = bpf_prog_test_run_opts(sh.prog_fd, &opts);
    auto t1 = Clock::now();
    if (err) {
      std::lock_guard lock(sh.error_mutex);
      sh.error = std::string("BPF_PROG_RUN (live frames): ") + std::strerror(-err);
      sh.stop = true;
      break;
    }
    sh.packets += n;
    quota -= n;
    if (sh.deadline && t1 >= *sh.deadline) break;
    double took = std::chrono::duration<double>(t1 - t0).count();
    double next = took > 0 ? n * kCallSeconds / took : kMaxRepeat;
    repeat = uint32_t(std::clamp<double>(next, kMinRepeat, kMaxRepeat));
  }
  end = Clock::now();
  sh.running--;
}

}  // namespace

void GeneratorProgram::Destroy::operator()(::bench_trafficgen* s) const {
  bench_trafficgen__destroy(s);
}

GeneratorProgram::GeneratorProgram(const GeneratorConfig& c) : skel_(bench_trafficgen__open()) {
  if (!skel_) throw std::runtime_error("opening the generator's BPF object failed");
  auto* ro = skel_->rodata;
  ro->target_ifindex = uint32_t(c.target_ifindex);
  ro->nr_flows = c.flows;
  if (c.flows > 1) {
    if (c.flow_udp_headers.empty())
      throw std::invalid_argument("--flows needs a frame with an IPv4/UDP header");
    ro->nr_fields = uint32_t(std::min<size_t>(c.flow_udp_headers.size(), BENCH_MAX_FLOW_FIELDS));
    for (uint32_t i = 0; i < ro->nr_fields; ++i) {
      size_t off = c.flow_udp_headers[i];
      uint16_t base = uint16_t(c.frame[off] << 8 | c.frame[off + 1]);
      if (base + uint64_t(c.flows) - 1 > 0xffff)
        throw std::invalid_argument(std::to_string(c.flows) + " flows from UDP source port " +
                                    std::to_string(base) + " would pass 65535");
      ro->fields[i] = {uint16_t(off), base};
    }
  }
  if (int err = bench_trafficgen__load(skel_.get()))
    throw std::runtime_error(std::string("loading the generator's BPF program: ") +
                             std::strerror(-err));
}

GeneratorProgram::~GeneratorProgram() = default;

int GeneratorProgram::fd() const { return bpf_program__fd(skel_->progs.xdp_gen); }

GeneratorResult run_generator(const GeneratorConfig& c) {
  if (c.threads == 0) throw std::invalid_argument("need at least one thread");
  if (c.batch == 0 || c.batch > 256) throw std::invalid_argument("batch must be 1..256");
  GeneratorProgram program(c);

  std::vector<int> cpus;
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
    for (int i = 0; i < CPU_SETSIZE; ++i)
      if (CPU_ISSET(i, &allowed)) cpus.push_back(i);
  if (c.threads > 1 && c.threads > cpus.size())
    throw std::invalid_argument(std::to_string(c.threads) + " threads but only " +
                                std::to_string(cpus.size()) + " CPUs allowed");

  Shared sh(c, program.fd());
  block_stop_signals();
  auto start = Clock::now();
  if (!c.count)
    sh.deadline = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(c.duration_s));
  std::vector<std::thread> threads;
  std::vector<Clock::time_point> ends(c.threads, start);
  sh.running = c.threads;
  for (unsigned i = 0; i < c.threads; ++i) {
    uint64_t quota = c.count ? *c.count / c.threads + (i < *c.count % c.threads) : UINT64_MAX;
    std::optional<int> cpu;
    if (c.threads > 1) cpu = cpus[i];
    threads.emplace_back(worker, std::ref(sh), quota, cpu, std::ref(ends[i]));
  }
  GeneratorResult result;
  while (sh.running > 0) {
    if (wait_for_stop(std::chrono::milliseconds(50))) {
      result.interrupted = true;
      sh.stop = true;
    }
  }
  for (auto& t : threads) t.join();
  // From the workers' own end times: the wait above polls, so "now" is late.
  result.elapsed_s =
      std::chrono::duration<double>(*std::max_element(ends.begin(), ends.end()) - start).count();
  result.packets = sh.packets;
  if (!sh.error.empty()) throw std::runtime_error(sh.error);
  return result;
}

}  // namespace nwbpf::bench
