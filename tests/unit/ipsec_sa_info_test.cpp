// SPDX-License-Identifier: Apache-2.0
// SA reports from charon (sa_info.h): an ike-updown and a list-sa as
// Debian's charon 5.9.8 sent them in tests/interop (IKE_SA up, CHILD_SA not
// installed: the host has no ESP), a child-updown with an INSTALLED CHILD_SA
// in vici_query.c's list_child() layout, each required key missing, and
// malformed numbers, ports, SPIs and flags, all with their exact errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ipsec/sa_info.h"

namespace nwbpf::ipsec {
namespace {

using vici::List;
using vici::Message;
using vici::Section;

// list_ike() of the initiator, as 5.9.8 sent it: ESTABLISHED, with the
// proposal keys we do not read and an unknown key a newer charon might add.
Section ike_section() {
  return Section{}
      .add("uniqueid", "1")
      .add("version", "2")
      .add("state", "ESTABLISHED")
      .add("local-host", "192.0.2.1")
      .add("local-port", "500")
      .add("local-id", "192.0.2.1")
      .add("remote-host", "192.0.2.2")
      .add("remote-port", "500")
      .add("remote-id", "192.0.2.2")
      .add("initiator", "yes")
      .add("initiator-spi", "a84724ee92c51da5")
      .add("responder-spi", "f79533e9eb09017e")
      .add("encr-alg", "AES_GCM_16")
      .add("encr-keysize", "256")
      .add("prf-alg", "PRF_HMAC_SHA2_256")
      .add("dh-group", "ECP_256")
      .add("established", "1")
      .add("rekey-time", "13117")
      .add("some-future-key", "whatever");
}

// list_child() of an installed transport-mode SA behind a NAT.
Section installed_child() {
  return Section{}
      .add("name", "nwbpf")
      .add("uniqueid", "3")
      .add("reqid", "1")
      .add("state", "INSTALLED")
      .add("mode", "TRANSPORT")
      .add("protocol", "ESP")
      .add("encap", "yes")
      .add("spi-in", "c1e4011a")
      .add("spi-out", "CD47DABF")
      .add("encr-alg", "AES_GCM_16")
      .add("encr-keysize", "256")
      .add("dh-group", "ECP_256")
      .add("bytes-in", "18446744073709551615")
      .add("packets-in", "12")
      .add("use-in", "1")
      .add("bytes-out", "2048")
      .add("packets-out", "13")
      .add("rekey-time", "3300")
      .add("life-time", "3960")
      .add("install-time", "7")
      .add("local-ts", List{"192.0.2.1/32"})
      .add("remote-ts", List{"192.0.2.2/32"});
}

IkeSaInfo expected_ike() {
  IkeSaInfo sa;
  sa.name = "nwbpf-192.0.2.2";
  sa.uniqueid = 1;
  sa.state = "ESTABLISHED";
  sa.local_host = "192.0.2.1";
  sa.local_port = 500;
  sa.local_id = "192.0.2.1";
  sa.remote_host = "192.0.2.2";
  sa.remote_port = 500;
  sa.remote_id = "192.0.2.2";
  sa.initiator = true;
  sa.established = 1;
  return sa;
}

ChildSaInfo expected_child() {
  ChildSaInfo c;
  c.name = "nwbpf";
  c.uniqueid = 3;
  c.reqid = 1;
  c.state = "INSTALLED";
  c.mode = "TRANSPORT";
  c.protocol = "ESP";
  c.encap = true;
  c.spi_in = 0xc1e4011a;
  c.spi_out = 0xcd47dabf;
  c.bytes_in = 18446744073709551615u;
  c.packets_in = 12;
  c.bytes_out = 2048;
  c.packets_out = 13;
  c.local_ts = {"192.0.2.1/32"};
  c.remote_ts = {"192.0.2.2/32"};
  c.install_time = 7;
  return c;
}

TEST(IpsecSaInfo, IkeUpdownUp) {
  auto parsed = parse_updown(Message{}.add("up", "yes").add("nwbpf-192.0.2.2", ike_section()));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed.value(), (UpDown{true, expected_ike()}));
}

// Down: no `up` key; a CONNECTING SA (nothing established yet, responder,
// behind a NAT on both sides) has no `established` and no `initiator`.
TEST(IpsecSaInfo, IkeUpdownDownOptionalKeys) {
  Section s = Section{}
                  .add("uniqueid", "2")
                  .add("state", "CONNECTING")
                  .add("local-host", "192.0.2.1")
                  .add("local-port", "4500")
                  .add("local-id", "192.0.2.1")
                  .add("remote-host", "198.51.100.7")
                  .add("remote-port", "65535")
                  .add("remote-id", "%any")
                  .add("nat-local", "yes")
                  .add("nat-remote", "yes")
                  .add("nat-any", "yes");
  auto parsed = parse_updown(Message{}.add("nwbpf-any", s));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed.value().up);
  const IkeSaInfo& sa = parsed.value().sa;
  EXPECT_EQ(sa.name, "nwbpf-any");
  EXPECT_EQ(sa.local_port, 4500);
  EXPECT_EQ(sa.remote_port, 65535);
  EXPECT_FALSE(sa.initiator);
  EXPECT_TRUE(sa.nat_local && sa.nat_remote && sa.nat_any);
  EXPECT_EQ(sa.established, std::nullopt);
  EXPECT_TRUE(sa.children.empty());
}

TEST(IpsecSaInfo, ChildUpdownInstalled) {
  auto parsed = parse_updown(Message{}.add("up", "yes").add(
      "nwbpf-192.0.2.2",
      ike_section().add("child-sas", Section{}.add("nwbpf-3", installed_child()))));
  ASSERT_TRUE(parsed) << parsed.error().message;
  IkeSaInfo want = expected_ike();
  want.children = {expected_child()};
  EXPECT_EQ(parsed.value(), (UpDown{true, want}));
}

// list-sa as 5.9.8 sent it with the CHILD_SA's install failed: an empty
// child-sas section; then one with a child not installed (no SPIs yet).
TEST(IpsecSaInfo, ListSa) {
  auto parsed =
      parse_list_sa(Message{}.add("nwbpf-192.0.2.2", ike_section().add("child-sas", Section{})));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed.value(), expected_ike());

  Section created = Section{}
                        .add("name", "nwbpf")
                        .add("uniqueid", "4")
                        .add("reqid", "0")
                        .add("state", "CREATED")
                        .add("mode", "TRANSPORT")
                        .add("local-ts", List{})
                        .add("remote-ts", List{});
  parsed = parse_list_sa(Message{}.add(
      "nwbpf-192.0.2.2", ike_section().add("child-sas", Section{}
                                                           .add("nwbpf-3", installed_child())
                                                           .add("nwbpf-4", created))));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed.value().children.size(), 2u);
  EXPECT_EQ(parsed.value().children[0], expected_child());
  ChildSaInfo c = parsed.value().children[1];
  EXPECT_EQ(c.state, "CREATED");
  EXPECT_EQ(c.spi_in, 0u);
  EXPECT_EQ(c.install_time, std::nullopt);
}

TEST(IpsecSaInfo, EventShape) {
  auto e = parse_updown(Message{}.add("up", "yes"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "updown event has no IKE_SA section");
  e = parse_updown(Message{}.add("a", ike_section()).add("b", ike_section()));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "updown event has more than one IKE_SA section: a, b");
  e = parse_updown(Message{}.add("up", "no").add("a", ike_section()));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "updown event: up \"no\" is not yes");
  auto l = parse_list_sa(Message{});
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().message, "list-sa event has no IKE_SA section");
}

// Removes `key` from a copy of `s`.
Section without(Section s, std::string_view key) {
  auto& e = s.entries();
  std::erase_if(e, [&](const vici::Entry& x) { return x.name == key; });
  return s;
}
Section with(Section s, std::string_view key, std::string value) {
  for (auto& e : s.entries())
    if (e.name == key) e.content = std::move(value);
  return s;
}

std::string ike_error(const Section& s) {
  auto r = parse_ike_sa("nwbpf-192.0.2.2", s);
  EXPECT_FALSE(r);
  return r ? std::string() : r.error().message;
}
std::string child_error(const Section& child) {
  return ike_error(ike_section().add("child-sas", Section{}.add("nwbpf-3", child)));
}

TEST(IpsecSaInfo, IkeRequiredKeys) {
  for (const char* key : {"uniqueid", "state", "local-host", "local-port", "local-id",
                          "remote-host", "remote-port", "remote-id"}) {
    EXPECT_EQ(ike_error(without(ike_section(), key)),
              "IKE_SA nwbpf-192.0.2.2: " + std::string(key) + " missing");
  }
}

TEST(IpsecSaInfo, ChildRequiredKeys) {
  for (const char* key : {"name", "uniqueid", "reqid", "state", "mode", "local-ts", "remote-ts",
                          "protocol", "spi-in", "spi-out", "bytes-in", "packets-in", "bytes-out",
                          "packets-out", "install-time"}) {
    EXPECT_EQ(child_error(without(installed_child(), key)),
              "IKE_SA nwbpf-192.0.2.2: child-sas nwbpf-3: " + std::string(key) + " missing");
  }
}

// A value charon would not send, and the problem the error names.
struct Bad {
  const char* key;
  const char* value;
  const char* problem;
};

TEST(IpsecSaInfo, MalformedValues) {
  const std::string ike = "IKE_SA nwbpf-192.0.2.2: ";
  const std::string child = ike + "child-sas nwbpf-3: ";
  const std::vector<Bad> ike_values{
      {"uniqueid", "1x", "is not a decimal number"},
      {"uniqueid", "-1", "is not a decimal number"},
      {"uniqueid", "", "is not a decimal number"},
      {"uniqueid", "4294967296", "is out of range (0-4294967295)"},
      {"local-port", "65536", "is out of range (0-65535)"},
      {"remote-port", " 500", "is not a decimal number"},
      {"established", "99999999999999999999", "is out of range (0-18446744073709551615)"},
      {"initiator", "no", "is not yes"},
  };
  const std::vector<Bad> child_values{
      {"spi-in", "zz", "is not hex"},
      {"spi-out", "0x1234ab", "is not hex"},
      {"spi-in", "c1e4011", "is not 8 hex digits"},
      {"spi-in", "", "is not hex"},
      {"reqid", "4294967296", "is out of range (0-4294967295)"},
      {"bytes-in", "18446744073709551616", "is out of range (0-18446744073709551615)"},
      {"encap", "no", "is not yes"},
  };
  auto message = [](const std::string& where, const Bad& bad) {
    return where + bad.key + " \"" + bad.value + "\" " + bad.problem;
  };
  for (const Bad& bad : ike_values)
    EXPECT_EQ(ike_error(with(ike_section(), bad.key, bad.value)), message(ike, bad));
  for (const Bad& bad : child_values)
    EXPECT_EQ(child_error(with(installed_child(), bad.key, bad.value)), message(child, bad));
}

}  // namespace
}  // namespace nwbpf::ipsec
