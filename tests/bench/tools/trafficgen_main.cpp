// SPDX-License-Identifier: Apache-2.0
// nwbpf-trafficgen: line-rate frames into an interface from BPF_PROG_RUN with
// live frames (Debian's xdp-trafficgen does not run on our kernel). Prints the
// offered rate.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "frame.h"
#include "generator.h"
#include "xdp_attach.h"

namespace nb = nwbpf::bench;
using nwbpf::Ipv4;
using nwbpf::Mac;

namespace {

struct Options {
  std::string interface, redirect_to, template_file;
  size_t size = 64;
  std::string src_mac = "02:00:00:00:01:01", dst_mac = "02:00:00:00:01:02";
  std::string src_ip = "172.16.0.1", dst_ip = "172.16.0.2";
  uint16_t src_port = 1024, dst_port = 9;
  bool vxlan = false;
  std::string outer_src_mac = "02:00:00:00:00:01", outer_dst_mac = "02:00:00:00:00:02";
  std::string outer_src_ip = "192.168.0.2", outer_dst_ip = "192.168.0.1";
  uint16_t outer_src_port = 49152;
  uint32_t vni = 99;
  uint32_t flows = 1;
  double duration = 5;
  uint64_t count = 0;
  unsigned threads = 1, batch = 64;
  bool json = false, print_frame = false;
};

Mac mac_arg(const char* opt, const std::string& text) {
  auto m = Mac::parse(text);
  if (!m) throw std::invalid_argument(std::string(opt) + ": '" + text + "' is not a MAC address");
  return *m;
}

Ipv4 ip_arg(const char* opt, const std::string& text) {
  auto a = Ipv4::parse(text);
  if (!a) throw std::invalid_argument(std::string(opt) + ": '" + text + "' is not an IPv4 address");
  return *a;
}

nb::Bytes make_frame(const Options& o) {
  if (!o.template_file.empty()) {
    std::ifstream in(o.template_file);
    if (!in) throw std::invalid_argument("cannot read " + o.template_file);
    std::stringstream text;
    text << in.rdbuf();
    return nb::parse_hex(text.str(), o.template_file);
  }
  nb::Bytes frame = nb::build_udp_frame({.src_mac = mac_arg("--src-mac", o.src_mac),
                                         .dst_mac = mac_arg("--dst-mac", o.dst_mac),
                                         .src_ip = ip_arg("--src-ip", o.src_ip),
                                         .dst_ip = ip_arg("--dst-ip", o.dst_ip),
                                         .src_port = o.src_port,
                                         .dst_port = o.dst_port,
                                         .size = o.size});
  if (!o.vxlan) return frame;
  return nb::vxlan_encapsulate({.src_mac = mac_arg("--outer-src-mac", o.outer_src_mac),
                                .dst_mac = mac_arg("--outer-dst-mac", o.outer_dst_mac),
                                .src_ip = ip_arg("--outer-src-ip", o.outer_src_ip),
                                .dst_ip = ip_arg("--outer-dst-ip", o.outer_dst_ip),
                                .src_port = o.outer_src_port,
                                .vni = o.vni},
                               frame);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "Sends one frame template at line rate into an interface with BPF_PROG_RUN live\n"
      "frames: the frames enter INTERFACE as if received there and leave it again\n"
      "(XDP_TX, to a veth's peer) or are redirected to --redirect-to. Prints the offered\n"
      "rate. Frames are built from the options below or read from --template.\n"
      "A veth hands them to its peer only if the peer has an XDP program or GRO on;\n"
      "otherwise the kernel drops them without counting: measure delivery with nwbpf-sink.",
      "nwbpf-trafficgen"};
  app.add_option("-i,--interface", o.interface, "Interface the frames enter")->required();
  app.add_option("--redirect-to", o.redirect_to,
                 "XDP_REDIRECT to this interface instead of XDP_TX");

  auto* tmpl = app.add_option("--template", o.template_file,
                              "Hex file with one frame (xxd -p style, '#' comments)")
                   ->check(CLI::ExistingFile);
  std::vector<CLI::Option*> builder = {
      app.add_option("--size", o.size,
                     "Frame length in bytes without FCS (inner frame with --vxlan)")
          ->capture_default_str(),
      app.add_option("--src-mac", o.src_mac)->capture_default_str(),
      app.add_option("--dst-mac", o.dst_mac)->capture_default_str(),
      app.add_option("--src-ip", o.src_ip)->capture_default_str(),
      app.add_option("--dst-ip", o.dst_ip)->capture_default_str(),
      app.add_option("--src-port", o.src_port, "UDP source port (first flow)")
          ->capture_default_str(),
      app.add_option("--dst-port", o.dst_port)->capture_default_str()};
  auto* vxlan = app.add_flag("--vxlan", o.vxlan, "Encapsulate the frame in VXLAN");
  std::vector<CLI::Option*> outer = {
      app.add_option("--vni", o.vni)->capture_default_str(),
      app.add_option("--outer-src-mac", o.outer_src_mac)->capture_default_str(),
      app.add_option("--outer-dst-mac", o.outer_dst_mac)->capture_default_str(),
      app.add_option("--outer-src-ip", o.outer_src_ip)->capture_default_str(),
      app.add_option("--outer-dst-ip", o.outer_dst_ip)->capture_default_str(),
      app.add_option("--outer-src-port", o.outer_src_port, "Outer UDP source port (first flow)")
          ->capture_default_str()};
  for (auto* opt : builder) tmpl->excludes(opt);
  tmpl->excludes(vxlan);
  for (auto* opt : outer) opt->needs(vxlan);

  app.add_option("--flows", o.flows,
                 "Spread frames round-robin over N flows: the UDP source port (outer and inner "
                 "for VXLAN) of frame k is its template value + k mod N")
      ->check(CLI::Range(1u, 65536u))
      ->capture_default_str();
  auto* count = app.add_option("-n,--count", o.count, "Send this many frames, then stop")
                    ->check(CLI::PositiveNumber);
  app.add_option("-d,--duration", o.duration, "Seconds to run (unless --count)")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str()
      ->excludes(count);
  app.add_option("--threads", o.threads,
                 "Generator threads (more than one: each pinned to its own CPU)")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_option("--batch", o.batch, "Frames per kernel batch")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  app.add_flag("--json", o.json, "Print the result as one JSON object");
  app.add_flag("--print-frame", o.print_frame,
               "Print the frame as hex (usable as --template) and exit without sending");
  CLI11_PARSE(app, argc, argv);

  try {
    nb::Bytes frame = make_frame(o);
    if (o.print_frame) {
      std::cout << nb::to_hex(frame);
      return 0;
    }
    nb::GeneratorConfig config{
        .frame = frame,
        .ifindex = nb::ifindex_of(o.interface),
        .target_ifindex = o.redirect_to.empty() ? 0 : nb::ifindex_of(o.redirect_to),
        .flows = o.flows,
        .flow_udp_headers = nb::find_flow_udp_headers(frame),
        .count = o.count ? std::optional<uint64_t>(o.count) : std::nullopt,
        .duration_s = o.duration,
        .threads = o.threads,
        .batch = o.batch};
    nb::GeneratorResult r = nb::run_generator(config);
    double pps = r.elapsed_s > 0 ? r.packets / r.elapsed_s : 0;
    if (o.json) {
      nlohmann::json j = {{"interface", o.interface},
                          {"action", o.redirect_to.empty() ? "tx" : "redirect"},
                          {"frame_bytes", frame.size()},
                          {"flows", o.flows},
                          {"threads", o.threads},
                          {"packets", r.packets},
                          {"elapsed_s", r.elapsed_s},
                          {"pps", pps},
                          {"bits_per_s", pps * frame.size() * 8},
                          {"interrupted", r.interrupted}};
      if (!o.redirect_to.empty()) j["redirect_to"] = o.redirect_to;
      std::cout << j.dump() << "\n";
    } else {
      std::printf("sent %llu frames of %zu bytes in %.3f s: %.3f Mpps (%.3f Gbit/s)%s\n",
                  (unsigned long long)r.packets, frame.size(), r.elapsed_s, pps / 1e6,
                  pps * frame.size() * 8 / 1e9, r.interrupted ? " (interrupted)" : "");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nwbpf-trafficgen: %s\n", e.what());
    return 1;
  }
  return 0;
}
