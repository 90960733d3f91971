// SPDX-License-Identifier: Apache-2.0
#include "frame.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

#include "bench_abi.h"

namespace nwbpf::bench {

namespace {

constexpr uint16_t kEthIpv4 = 0x0800;
constexpr uint16_t kEthVlan = 0x8100;
constexpr uint16_t kEthQinQ = 0x88a8;
constexpr uint8_t kIpProtoUdp = 17;
constexpr uint16_t kVxlanPort = 4789;  // RFC 7348 section 5

void put16(Bytes& b, size_t off, uint16_t host) {
  b[off] = host >> 8;
  b[off + 1] = host & 0xff;
}

uint16_t get16(const Bytes& b, size_t off) { return uint16_t(b[off] << 8 | b[off + 1]); }

void put_ipv4(Bytes& b, size_t off, Ipv4 a) { std::memcpy(&b[off], &a.be, 4); }

// RFC 1071 sum of big-endian 16-bit words, not yet folded or inverted.
uint32_t sum16(const uint8_t* p, size_t len, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += uint32_t(p[i] << 8 | p[i + 1]);
  if (len & 1) sum += uint32_t(p[len - 1] << 8);
  return sum;
}

uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

void write_eth(Bytes& b, const Mac& dst, const Mac& src) {
  std::memcpy(&b[0], dst.bytes.data(), 6);
  std::memcpy(&b[6], src.bytes.data(), 6);
  put16(b, 12, kEthIpv4);
}

// IPv4 header without options at `off`, protocol UDP, checksum filled in.
void write_ipv4(Bytes& b, size_t off, size_t total_len, Ipv4 src, Ipv4 dst, bool df) {
  b[off] = 0x45;
  put16(b, off + 2, uint16_t(total_len));
  put16(b, off + 6, df ? 0x4000 : 0);
  b[off + 8] = 64;
  b[off + 9] = kIpProtoUdp;
  put_ipv4(b, off + 12, src);
  put_ipv4(b, off + 16, dst);
  put16(b, off + 10, fold(sum16(&b[off], 20)));
}

void check_size(size_t size, size_t min, const char* what) {
  if (size < min || size > BENCH_MAX_FRAME)
    throw std::invalid_argument(std::string(what) + " of " + std::to_string(size) +
                                " bytes: must be " + std::to_string(min) + ".." +
                                std::to_string(BENCH_MAX_FRAME));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Bytes build_udp_frame(const UdpFrameSpec& s) {
  check_size(s.size, kMinUdpFrame, "frame");
  Bytes b(s.size, 0);
  write_eth(b, s.dst_mac, s.src_mac);
  write_ipv4(b, 14, s.size - 14, s.src_ip, s.dst_ip, false);
  const size_t udp = 34, udp_len = s.size - udp;
  put16(b, udp, s.src_port);
  put16(b, udp + 2, s.dst_port);
  put16(b, udp + 4, uint16_t(udp_len));
  // RFC 768 pseudo header: addresses, protocol, UDP length.
  uint32_t sum = sum16(&b[26], 8) + kIpProtoUdp + uint32_t(udp_len);
  uint16_t check = fold(sum16(&b[udp], udp_len, sum));
  put16(b, udp + 6, check ? check : 0xffff);
  return b;
}

Bytes vxlan_encapsulate(const VxlanSpec& s, const Bytes& inner) {
  if (s.vni > 0xffffff)
    throw std::invalid_argument("VNI " + std::to_string(s.vni) + " does not fit 24 bits");
  check_size(inner.size() + kVxlanOverhead, kVxlanOverhead + 14, "VXLAN frame");
  Bytes b(kVxlanOverhead, 0);
  write_eth(b, s.dst_mac, s.src_mac);
  write_ipv4(b, 14, kVxlanOverhead - 14 + inner.size(), s.src_ip, s.dst_ip, true);
  put16(b, 34, s.src_port);
  put16(b, 36, kVxlanPort);
  put16(b, 38, uint16_t(8 + 8 + inner.size()));
  b[42] = 0x08;  // RFC 7348 section 5: I flag
  b[46] = uint8_t(s.vni >> 16);
  b[47] = uint8_t(s.vni >> 8);
  b[48] = uint8_t(s.vni);
  b.insert(b.end(), inner.begin(), inner.end());
  return b;
}

Bytes parse_hex(std::string_view text, const std::string& source) {
  Bytes out;
  size_t line = 1, col = 0;
  int high = -1;  // first digit of a pair awaiting its second
  size_t high_line = 0, high_col = 0;
  auto fail = [&](size_t l, size_t c, const std::string& msg) {
    throw std::invalid_argument(source + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " +
                                msg);
  };
  bool comment = false;
  for (char c : text) {
    ++col;
    if (c == '\n') {
      ++line;
      col = 0;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (c == '#' || c == ' ' || c == '\t' || c == '\r') {
      if (high >= 0) fail(high_line, high_col, "odd number of hex digits");
      comment = c == '#';
      continue;
    }
    int v = hex_value(c);
    if (v < 0) fail(line, col, std::string("'") + c + "' is not a hex digit");
    if (high < 0) {
      high = v;
      high_line = line;
      high_col = col;
    } else {
      out.push_back(uint8_t(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) fail(high_line, high_col, "odd number of hex digits");
  if (out.empty()) throw std::invalid_argument(source + ": no frame bytes");
  if (out.size() > BENCH_MAX_FRAME)
    throw std::invalid_argument(source + ": frame of " + std::to_string(out.size()) +
                                " bytes exceeds " + std::to_string(BENCH_MAX_FRAME));
  return out;
}

std::string to_hex(const Bytes& frame) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < frame.size(); ++i) {
    s += digits[frame[i] >> 4];
    s += digits[frame[i] & 15];
    if (i % 16 == 15 || i + 1 == frame.size()) s += '\n';
  }
  return s;
}

std::vector<size_t> find_flow_udp_headers(const Bytes& f) {
  std::vector<size_t> found;
  size_t eth = 0;
  while (found.size() < BENCH_MAX_FLOW_FIELDS) {
    size_t off = eth + 12;
    if (off + 2 > f.size()) break;
    uint16_t proto = get16(f, off);
    for (int tags = 0; tags < 2 && (proto == kEthVlan || proto == kEthQinQ); ++tags) {
      off += 4;
      if (off + 2 > f.size()) return found;
      proto = get16(f, off);
    }
    size_t ip = off + 2;
    if (proto != kEthIpv4 || ip + 20 > f.size() || f[ip] >> 4 != 4) break;
    size_t ihl = size_t(f[ip] & 15) * 4;
    bool later_fragment = (get16(f, ip + 6) & 0x1fff) != 0;
    if (ihl < 20 || f[ip + 9] != kIpProtoUdp || later_fragment) break;
    size_t udp = ip + ihl;
    if (udp + 8 > f.size()) break;
    found.push_back(udp);
    if (get16(f, udp + 2) != kVxlanPort) break;
    eth = udp + 8 + 8;  // the encapsulated Ethernet frame follows the VXLAN header
  }
  return found;
}

}  // namespace nwbpf::bench
