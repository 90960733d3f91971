// SPDX-License-Identifier: Apache-2.0
// The NHC's shortcuts with an injected clock: the Resolution Request as
// FRR nhrpd sends it, replies (plain, NAT'd target), negative entries,
// re-resolution of bindings in use, expiry, purges.
#include <gtest/gtest.h>

#include "nhrp/shortcut_table.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using std::chrono::seconds;

using test::at;
using test::ip;

const Ipv4 kNhs = ip("192.168.0.10");
const Ipv4 kTarget = ip("10.0.0.3");
const Ipv4 kTargetNbma = ip("192.168.0.3");

ResolverConfig config() {
  ResolverConfig c;
  c.protocol = ip("10.0.0.1");
  c.nbma = ip("192.168.0.1");
  c.holding_time = 600;
  c.mtu = 1400;
  return c;
}

// The target's answer to `request`: its binding for `holding` seconds.
Packet answer(const Packet& request, uint16_t holding = 300, std::vector<Cie> nat = {}) {
  Packet r = request;
  r.type = PacketType::resolution_reply;
  r.cies = {Cie{0, 32, 1400, holding, kTargetNbma, kTarget, 0}};
  r.extensions = {};
  if (!nat.empty())
    r.extensions.push_back(Extension{uint16_t(ExtensionType::nat_address), false, std::move(nat)});
  return r;
}

TEST(NhrpShortcuts, AMissSendsOneResolutionRequestAsFrrDoes) {
  ShortcutTable table(config(), 7);
  auto out = table.resolve(kTarget, kNhs, std::nullopt, at(0));
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(out.send[0].nbma, kNhs);
  Packet want;
  want.type = PacketType::resolution_request;
  want.src_nbma = ip("192.168.0.1");
  want.src_protocol = ip("10.0.0.1");
  want.dst_protocol = kTarget;
  want.flags = flags::resolution_source_is_router | flags::resolution_authoritative |
               flags::resolution_source_stable | flags::nat;
  want.request_id = 7;
  want.cies = {Cie{0, 0xff, 1400, 600, std::nullopt, std::nullopt, 0}};
  want.extensions = request_extensions();
  want.extensions.push_back(
      Extension{uint16_t(ExtensionType::nat_address), false, std::vector<Cie>{}});
  EXPECT_EQ(out.send[0].packet, want);
  auto bytes = encode_packet(want);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(decode_packet(bytes.value()).value(), want);
  // More misses while it is pending ask nothing more.
  EXPECT_TRUE(table.resolve(kTarget, kNhs, std::nullopt, at(0)).send.empty());
  // Behind NAT, the request names our NAT'd address.
  ShortcutTable natted(config(), 1);
  auto n = natted.resolve(kTarget, kNhs, ip("203.0.113.7"), at(0));
  EXPECT_EQ(std::get<std::vector<Cie>>(n.send[0].packet.extensions.back().value),
            (std::vector<Cie>{Cie{0, 32, 1400, 0, ip("203.0.113.7"), ip("10.0.0.1"), 0}}));
}

TEST(NhrpShortcuts, TheReplyInstallsTheBindingForItsHoldingTime) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  auto out = table.receive(kTargetNbma, answer(req), at(1));
  EXPECT_EQ(out.installed, (std::vector<ShortcutBinding>{{kTarget, kTargetNbma}}));
  EXPECT_EQ(out.notes, (std::vector<std::string>{"shortcut 10.0.0.3 -> 192.168.0.3 for 300 s"}));
  const Shortcut& s = table.entries().at(kTarget);
  EXPECT_EQ(s.state, Shortcut::State::resolved);
  EXPECT_EQ(s.refresh, at(201));
  EXPECT_EQ(s.expires, at(301));
  // Holding time 0 in the CIE: ours.
  ShortcutTable other(config(), 1);
  auto req2 = other.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  other.receive(kTargetNbma, answer(req2, 0), at(0));
  EXPECT_EQ(other.entries().at(kTarget).expires, at(600));
}

TEST(NhrpShortcuts, ANattedTargetIsReachedAtItsNatAddress) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  std::vector<Cie> nat{Cie{0, 32, 0, 0, ip("198.51.100.9"), ip("10.0.0.99"), 0},
                       Cie{0, 32, 0, 0, ip("203.0.113.3"), kTarget, 0}};
  auto out = table.receive(ip("203.0.113.3"), answer(req, 300, nat), at(0));
  EXPECT_EQ(out.installed, (std::vector<ShortcutBinding>{{kTarget, ip("203.0.113.3")}}));
  EXPECT_TRUE(table.entries().at(kTarget).natted);
}

TEST(NhrpShortcuts, ARefreshGoesToTheNhsNamedThen) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  table.receive(kNhs, answer(req), at(0));
  table.used(kTarget);
  const Ipv4 other = ip("192.168.0.11");  // the first NHS is gone
  auto refresh = table.expire(at(200), other);
  ASSERT_EQ(refresh.send.size(), 1u);
  EXPECT_EQ(refresh.send[0].nbma, other);
  EXPECT_EQ(table.entries().at(kTarget).via, other);
}

TEST(NhrpShortcuts, BindingsInUseAreResolvedAgainAtTwoThirdsOthersExpire) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  table.receive(kTargetNbma, answer(req), at(0));
  EXPECT_EQ(table.next_deadline(), at(200));
  table.used(kTarget);
  auto refresh = table.expire(at(200));
  ASSERT_EQ(refresh.send.size(), 1u);
  EXPECT_EQ(refresh.send[0].packet.dst_protocol, kTarget);
  EXPECT_EQ(refresh.send[0].packet.request_id, 2u);
  // The same answer again: nothing to install, the binding lives on.
  auto again = table.receive(kTargetNbma, answer(refresh.send[0].packet), at(201));
  EXPECT_TRUE(again.installed.empty());
  EXPECT_EQ(table.entries().at(kTarget).expires, at(501));
  // Unused since: no request at 2/3, removed at the end.
  EXPECT_TRUE(table.expire(at(401)).send.empty());
  auto end = table.expire(at(501));
  EXPECT_EQ(end.removed, (std::vector<Ipv4>{kTarget}));
  EXPECT_TRUE(table.entries().empty());
  EXPECT_EQ(table.next_deadline(), std::nullopt);
}

TEST(NhrpShortcuts, UnanswerableTargetsGetANegativeEntry) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  auto bytes = encode_packet(req).value();
  Packet error;
  error.type = PacketType::error_indication;
  error.error_code = 6;  // Protocol Address Unreachable
  error.payload = bytes;
  auto out = table.receive(kNhs, error, at(1));
  EXPECT_EQ(out.notes,
            (std::vector<std::string>{"resolution of 10.0.0.3: protocol address unreachable"}));
  EXPECT_EQ(table.entries().at(kTarget).state, Shortcut::State::negative);
  // For 30 s (negative_time), not the holding time: the target may
  // register any moment.
  EXPECT_EQ(table.entries().at(kTarget).expires, at(31));
  EXPECT_TRUE(table.resolve(kTarget, kNhs, std::nullopt, at(30)).send.empty());
  table.expire(at(31));
  EXPECT_EQ(table.resolve(kTarget, kNhs, std::nullopt, at(31)).send.size(), 1u);
}

TEST(NhrpShortcuts, NoAnswerOrARefusalDropsThePendingEntry) {
  ShortcutTable table(config(), 1);
  table.resolve(kTarget, kNhs, std::nullopt, at(0));
  auto out = table.expire(at(30));
  EXPECT_EQ(out.notes, (std::vector<std::string>{"shortcut 10.0.0.3: no answer"}));
  EXPECT_TRUE(out.removed.empty()) << "nothing was installed";
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(31)).send[0].packet;
  Packet refused = answer(req);
  refused.cies[0].code = uint8_t(CieCode::no_binding_exists);
  out = table.receive(kNhs, refused, at(31));
  EXPECT_EQ(out.notes,
            (std::vector<std::string>{"resolution of 10.0.0.3: refused with CIE code 11"}));
  EXPECT_TRUE(table.entries().empty());
  // A reply to nothing we asked is ignored.
  out = table.receive(kNhs, refused, at(32));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "Resolution Reply from 192.168.0.10 answers no request of ours: "
                           "ignored"}));
}

TEST(NhrpShortcuts, APurgeRemovesTheBindingAndIsAnswered) {
  ShortcutTable table(config(), 1);
  auto req = table.resolve(kTarget, kNhs, std::nullopt, at(0)).send[0].packet;
  table.receive(kTargetNbma, answer(req), at(0));
  Packet purge;
  purge.type = PacketType::purge_request;
  purge.src_nbma = kNhs;
  purge.src_protocol = ip("10.0.0.10");
  purge.dst_protocol = ip("10.0.0.1");
  purge.request_id = 55;
  purge.cies = {Cie{0, 32, 0, 0, std::nullopt, kTarget, 0}};
  auto out = table.receive(kNhs, purge, at(5));
  EXPECT_EQ(out.removed, (std::vector<Ipv4>{kTarget}));
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(out.send[0].nbma, kNhs);
  Packet reply = purge;
  reply.type = PacketType::purge_reply;
  EXPECT_EQ(out.send[0].packet, reply);
  // With the N flag: no reply.
  purge.flags = flags::purge_no_reply;
  EXPECT_TRUE(table.receive(kNhs, purge, at(6)).send.empty());
}

}  // namespace
}  // namespace nwbpf::nhrp
