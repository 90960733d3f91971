// SPDX-License-Identifier: Apache-2.0
#include "support/packet.h"

#include <arpa/inet.h>

#include <cstdio>
#include <stdexcept>

namespace nwbpf::test {

namespace {
void put16(Bytes& b, uint16_t v) {
  b.push_back(v >> 8);
  b.push_back(v & 0xff);
}
void put32be(Bytes& b, uint32_t network_order) {
  const auto* p = reinterpret_cast<const uint8_t*>(&network_order);
  b.insert(b.end(), p, p + 4);
}
}  // namespace

Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

uint32_t ip4(const char* dotted) {
  in_addr a{};
  if (inet_pton(AF_INET, dotted, &a) != 1)
    throw std::invalid_argument(std::string("bad IPv4 ") + dotted);
  return a.s_addr;
}

MacAddr mac(const char* text) {
  MacAddr m{};
  unsigned v[6];
  if (std::sscanf(text, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
    throw std::invalid_argument(std::string("bad MAC ") + text);
  for (int i = 0; i < 6; i++) m[i] = static_cast<uint8_t>(v[i]);
  return m;
}

Bytes ether(const MacAddr& dst, const MacAddr& src, uint16_t type, const Bytes& payload,
            std::optional<uint16_t> vid) {
  Bytes b(dst.begin(), dst.end());
  b.insert(b.end(), src.begin(), src.end());
  if (vid) {
    put16(b, kEthVlan);
    put16(b, *vid);
  }
  put16(b, type);
  return b + payload;
}

uint16_t ipv4_checksum(const uint8_t* hdr, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += (hdr[i] << 8) | hdr[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

Bytes ipv4(uint32_t src, uint32_t dst, uint8_t proto, const Bytes& payload, const Ipv4Opts& o) {
  if (o.options.size() % 4)
    throw std::invalid_argument("IPv4 options must be a multiple of 4 bytes");
  const size_t hlen = 20 + o.options.size();
  Bytes b;
  b.push_back(0x40 | (hlen / 4));
  b.push_back(o.tos);
  put16(b, hlen + payload.size());
  put16(b, o.id);
  put16(b, (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | o.frag_offset);
  b.push_back(o.ttl);
  b.push_back(proto);
  put16(b, 0);
  put32be(b, src);
  put32be(b, dst);
  b = b + o.options;
  const uint16_t csum = ipv4_checksum(b.data(), b.size());
  b[10] = csum >> 8;
  b[11] = csum & 0xff;
  return b + payload;
}

Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, 8 + payload.size());
  put16(b, 0);
  return b + payload;
}

Bytes vxlan(uint32_t vni, const Bytes& inner, uint8_t flags) {
  Bytes b{flags, 0, 0, 0};
  b.push_back((vni >> 16) & 0xff);
  b.push_back((vni >> 8) & 0xff);
  b.push_back(vni & 0xff);
  b.push_back(0);
  return b + inner;
}

Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; i++) b[i] = static_cast<uint8_t>(seed + i);
  return b;
}

Bytes arp_body(const MacAddr& sender, uint32_t sender_ip, uint32_t target_ip) {
  Bytes b;
  put16(b, 1);       // Ethernet
  put16(b, kEthIp);  // IPv4
  b.push_back(6);
  b.push_back(4);
  put16(b, 1);  // request
  b.insert(b.end(), sender.begin(), sender.end());
  put32be(b, sender_ip);
  b.insert(b.end(), 6, 0);
  put32be(b, target_ip);
  return b;
}

std::string hex(const Bytes& b) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < b.size(); i++) {
    std::snprintf(buf, sizeof(buf), "%02x", b[i]);
    s += buf;
    s += (i % 16 == 15) ? '\n' : ' ';
  }
  return s;
}

}  // namespace nwbpf::test
