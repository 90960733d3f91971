// SPDX-License-Identifier: Apache-2.0
#include "progcost_mss.h"

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "progcost_check.h"
#include "support/fresh_frame_run.h"
#include "support/testbed.h"

namespace nwbpf::progcost {

namespace {

using namespace nwbpf::test;

constexpr uint16_t kFrameMss = 1460;  // what Linux offers behind a 1500-byte MTU
constexpr uint16_t kClamp = 1340;     // Nante-WAN's iptables TCPMSS value
constexpr uint8_t kSyn = 0x02, kAck = 0x10;
constexpr size_t kL3 = 14;                 // the inner frames are untagged
constexpr size_t kVxlanOverhead = 50;      // outer Ethernet, IPv4, UDP, VXLAN
constexpr size_t kAckPayload = 64 - 54;    // a 64-byte ACK (no FCS)

// ~ the one's complement sum of the TCP pseudo-header and segment of the
// IPv4 packet at ip (no IP options), RFC 9293 section 3.1: 0 when its
// checksum field is right, the field's value when the field is 0.
uint16_t tcp_checksum(const uint8_t* ip, size_t len) {
  const size_t seg = len - 20;
  Bytes b(ip + 12, ip + 20);  // source and destination address
  b.insert(b.end(), {0, IPPROTO_TCP, uint8_t(seg >> 8), uint8_t(seg)});
  b.insert(b.end(), ip + 20, ip + len);
  if (b.size() % 2) b.push_back(0);
  return ipv4_checksum(b.data(), b.size());
}

// What Linux puts in a SYN (RFC 9293 section 3.2, RFC 7323): MSS, SACK
// permitted, timestamps, NOP, window scale; 20 bytes.
Bytes linux_syn_options(uint16_t mss) {
  return {2, 4, uint8_t(mss >> 8), uint8_t(mss), 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
}

// IPv4 TCP 172.16.0.1:40000 -> 172.16.0.2:5001 in an untagged frame, with
// its TCP checksum; opts a multiple of 4 bytes.
Bytes tcp_frame(const MacAddr& dst, const MacAddr& src, uint8_t flags, const Bytes& opts,
                const Bytes& payload) {
  const Bytes tcp = {0x9c, 0x40, 0x13, 0x89, 0, 0, 0, 1, 0, 0, 0, 0,
                     uint8_t((20 + opts.size()) / 4 << 4), flags, 0xfa, 0xf0, 0, 0, 0, 0};
  Bytes f = ether(dst, src, kEthIp,
                  ipv4(ip4("172.16.0.1"), ip4("172.16.0.2"), IPPROTO_TCP, tcp + opts + payload));
  const uint16_t check = tcp_checksum(f.data() + kL3, f.size() - kL3);
  f[kL3 + 20 + 16] = uint8_t(check >> 8);
  f[kL3 + 20 + 17] = uint8_t(check);
  return f;
}

// The output must carry `want` from offset `inner` on, with a right TCP
// checksum (checked on its own, so that a wrong one is named as such).
void check_output(const std::string& what, const Bytes& out, size_t inner, const Bytes& want) {
  if (out.size() != inner + want.size())
    throw std::runtime_error(what + ": output of " + std::to_string(out.size()) +
                             " bytes, expected " + std::to_string(inner + want.size()));
  const Bytes got(out.begin() + inner, out.end());
  if (tcp_checksum(got.data() + kL3, got.size() - kL3))
    throw std::runtime_error(what + ": wrong TCP checksum in the inner frame " + hex(got));
  if (got != want)
    throw std::runtime_error(what + ": inner frame " + hex(got) + ", expected " + hex(want));
}

// One program on one path, and where its output carries the inner frame.
struct Path {
  const char* program;
  bool xdp;
  int ifindex;
  int verdict;
  nwbpf_stat stat;  // the path's own counter: once per packet
  size_t inner;
};

struct Case {
  std::string kase;
  Bytes in;          // what the program is given
  Bytes want;        // the inner frame its output must carry
  uint16_t mss = 0;  // settings.tcp_mss4
  bool clamped = false;
};

// The four cases of `path` ("encap": frames from H1 to R2 as e1 receives
// them; "decap": from R2 to H1 inside VXLAN from 192.168.0.2).
std::vector<Case> cases(const std::string& path) {
  const bool decap = path == "decap";
  const MacAddr& dst = decap ? kH1 : kR2;
  const MacAddr& src = decap ? kR2 : kH1;
  const Bytes ack = tcp_frame(dst, src, kAck, {}, pattern(kAckPayload));
  const Bytes syn = tcp_frame(dst, src, kSyn, linux_syn_options(kFrameMss), {});
  const Bytes clamped = tcp_frame(dst, src, kSyn, linux_syn_options(kClamp), {});
  auto in = [&](const Bytes& f) { return decap ? Testbed::from_peer(kNbma2, kVlanA, f) : f; };
  const std::string on = "/mss-" + std::to_string(kClamp);
  return {{path + "/ack/mss-off", in(ack), ack, 0, false},
          {path + "/ack" + on, in(ack), ack, kClamp, false},
          {path + "/syn/mss-off", in(syn), syn, 0, false},
          {path + "/syn" + on, in(syn), clamped, kClamp, true}};
}

class MssBench {
 public:
  explicit MssBench(const Settings& s) : s_(s) {
    tb_.setup();
    tb_.dp->add_fdb(kVlanA, kR2, fdb_remote(kVtep2));
    tb_.dp->add_fdb(kVlanA, kH1, fdb_local(tb_.e1));
  }

  std::vector<ProgramCost> run() {
    measure({"xdp_edge", true, tb_.e1, XDP_REDIRECT, NWBPF_STAT_ENCAP, kVxlanOverhead},
            cases("encap"));
    measure({"xdp_wan", true, tb_.wan, XDP_REDIRECT, NWBPF_STAT_DECAP, 0}, cases("decap"));
    tb_.set_mode(NWBPF_MODE_TC);
    measure({"tc_edge", false, tb_.e1, TC_ACT_REDIRECT, NWBPF_STAT_ENCAP, kVxlanOverhead},
            cases("encap"));
    return std::move(rows_);
  }

 private:
  void measure(const Path& p, const std::vector<Case>& cases) {
    const int fd = tb_.dp->prog_fd(p.program);
    std::vector<std::vector<double>> ns(cases.size());  // per case, one per run
    for (uint32_t run = 0; run < s_.runs; run++)
      for (size_t i = 0; i < cases.size(); i++) {
        const Case& c = cases[i];
        set_mss(c.mss);
        Expect e{std::string(p.program) + " " + c.kase, p.xdp, p.verdict,
                 {{p.stat, 1}, {NWBPF_STAT_MSS_CLAMPED, c.clamped}, {NWBPF_STAT_MSS_UNPARSED, 0}}};
        auto run_once = [&] { return once(p, fd, c, e.what); };
        ns[i].push_back(checked_timing(*tb_.dp, e, 1, run_once).median);
      }
    for (size_t i = 0; i < cases.size(); i++)
      rows_.push_back({p.program, cases[i].kase, verdict_name(p.xdp, p.verdict), median(ns[i])});
  }

  Sample once(const Path& p, int fd, const Case& c, const std::string& what) {
    if (p.xdp) {
      RunResult r = fresh_.xdp(fd, c.in, p.ifindex, s_.repeat);
      if (r.verdict == p.verdict) check_output(what, r.out, p.inner, c.want);
      return {r.verdict, double(r.ns_per_run), s_.repeat};
    }
    // The TC runs leave no frame to look at: one more call gives it, and
    // its packet counts as well (not in the time, which is BPF_PROG_RUN's).
    PerCallResult r = fresh_.tc(fd, c.in, p.ifindex, s_.repeat);
    RunResult last = run_tc(fd, c.in, p.ifindex);
    if (r.verdict == p.verdict && last.verdict == p.verdict)
      check_output(what, last.out, p.inner, c.want);
    return {r.verdict == p.verdict ? last.verdict : r.verdict, r.ns_per_run, s_.repeat + 1};
  }

  void set_mss(uint16_t mss) {
    auto st = tb_.dp->settings();
    st.tcp_mss4 = mss;
    tb_.dp->set_settings(st);
  }

  const Settings& s_;
  Testbed tb_;
  FreshFrameRunner fresh_;
  std::vector<ProgramCost> rows_;
};

}  // namespace

std::vector<ProgramCost> measure_mss(const Settings& s) { return MssBench(s).run(); }

}  // namespace nwbpf::progcost
