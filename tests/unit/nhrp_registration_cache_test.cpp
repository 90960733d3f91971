// SPDX-License-Identifier: Apache-2.0
// The NHS registration cache (RFC 2332 §5.2.3-§5.2.6) with an injected
// clock: reply codes, binding changes, purges, NAT, holding times.
#include "nhrp/registration_cache.h"

#include <gtest/gtest.h>

#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp::test {
namespace {

using std::chrono::seconds;
using Kind = BindingChange::Kind;

const TimePoint t0{seconds(1000)};
const Ipv4 kNhsNbma = ip("192.0.2.1"), kNhs = ip("10.255.0.1");
const Ipv4 kSpoke = ip("10.255.0.2"), kSpokeNbma = ip("192.0.2.2");

RegistrationCacheConfig config() { return {kNhsNbma, kNhs, 1400, 7200, std::nullopt}; }

// A Registration Request as FRR nhrpd sends it: the CIE leaves both
// addresses to the mandatory part.
Packet request(Ipv4 overlay, Ipv4 nbma, uint16_t holding_time, uint16_t flags = 0) {
  Packet p;
  p.type = PacketType::registration_request;
  p.src_nbma = nbma;
  p.src_protocol = overlay;
  p.dst_protocol = kNhs;
  p.flags = flags;
  p.request_id = 0x11223344;
  p.cies.push_back({0, 32, 1400, holding_time, std::nullopt, std::nullopt, 0});
  return p;
}

RegistrationOutcome ok(RegistrationCache& cache, const Packet& p, Ipv4 source, TimePoint now) {
  auto result = cache.register_client(p, source, now);
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return {};
  }
  return result.value();
}

Binding binding(Ipv4 overlay, Ipv4 nbma, uint16_t holding_time, TimePoint at,
                std::optional<Ipv4> nat = std::nullopt, bool unique = false) {
  return {overlay, nbma, nat, 1400, holding_time, at + seconds(holding_time), unique};
}

TEST(NhrpRegistrationCache, GoldenReplyWithNatExtension) {
  RegistrationCache cache(config());
  Packet p = request(kSpoke, kSpokeNbma, 7200, flags::registration_unique | flags::nat);
  p.extensions.push_back({uint16_t(ExtensionType::nat_address), false, std::vector<Cie>{}});
  const Ipv4 seen = ip("203.0.113.9");  // the client is behind NAT
  auto out = ok(cache, p, seen, t0);
  // Reply: ar$src.nbma/proto of the request, destination the NHS, flags
  // U|NAT, request ID kept, CIE code 0, NAT Address extension with the
  // address the NHS saw (checksum computed apart from this code).
  EXPECT_EQ(hex(
                "0001 0800 0000000000 40 0050 5b4d 0034 01 04 04 00"
                "0404 8002 11223344 c0000202 0aff0002 0aff0001"
                "00 20 0000 0578 1c20 00 00 00 00"
                "0009 0014 00 20 0000 0578 0000 04 00 04 00 cb007109 0aff0002"
                "8000 0000"),
            encode_ok(out.reply));
  const Binding added = binding(kSpoke, kSpokeNbma, 7200, t0, seen, true);
  EXPECT_EQ(std::vector<BindingChange>({{Kind::added, added, {}}}), out.changes);
  EXPECT_TRUE(out.purges.empty());
  EXPECT_EQ(seen, cache.bindings().at(kSpoke).reachable_at());
  EXPECT_EQ((Resolved{kSpokeNbma, seen, seconds(7200), 1400}), cache.resolve(kSpoke, t0));
}

TEST(NhrpRegistrationCache, NatFromSourceAloneAndNoNatCieWithoutExtension) {
  RegistrationCache cache(config());
  auto out = ok(cache, request(kSpoke, kSpokeNbma, 60), ip("203.0.113.9"), t0);
  EXPECT_TRUE(out.reply.extensions.empty());
  EXPECT_EQ(ip("203.0.113.9"), cache.bindings().at(kSpoke).nat_nbma);
  // Not NAT'd: the extension is echoed empty and no NAT'd address kept.
  Packet p = request(ip("10.255.0.3"), ip("192.0.2.3"), 60);
  p.extensions.push_back({uint16_t(ExtensionType::nat_address), false, std::vector<Cie>{}});
  out = ok(cache, p, ip("192.0.2.3"), t0);
  EXPECT_EQ(p.extensions, out.reply.extensions);
  EXPECT_EQ(std::nullopt, cache.bindings().at(ip("10.255.0.3")).nat_nbma);
}

TEST(NhrpRegistrationCache, ResponderAddressIsFilledOtherExtensionsCopied) {
  RegistrationCache cache(config());
  Packet p = request(kSpoke, kSpokeNbma, 60);
  p.extensions.push_back({uint16_t(ExtensionType::responder_address), true, std::vector<Cie>{}});
  p.extensions.push_back({uint16_t(ExtensionType::forward_transit_nhs), true, std::vector<Cie>{}});
  auto out = ok(cache, p, kSpokeNbma, t0);
  ASSERT_EQ(2u, out.reply.extensions.size());
  EXPECT_EQ((Extension{3, true, std::vector<Cie>{{0, 32, 1400, 7200, kNhsNbma, kNhs, 0}}}),
            out.reply.extensions[0]);
  EXPECT_EQ(p.extensions[1], out.reply.extensions[1]);
}

TEST(NhrpRegistrationCache, UniqueRegistrationOfAnAddressHeldElsewhereIsRefused) {
  RegistrationCache cache(config());
  ok(cache, request(kSpoke, kSpokeNbma, 60, flags::registration_unique), kSpokeNbma, t0);
  const Ipv4 other = ip("192.0.2.9");
  auto out = ok(cache, request(kSpoke, other, 60, flags::registration_unique), other, t0);
  EXPECT_EQ(uint8_t(CieCode::unique_address_registered), out.reply.cies.at(0).code);
  EXPECT_TRUE(out.changes.empty());
  EXPECT_TRUE(out.purges.empty());
  EXPECT_EQ(kSpokeNbma, cache.resolve(kSpoke, t0)->nbma);
}

TEST(NhrpRegistrationCache, ReRegistrationRefreshesTheHoldingTime) {
  RegistrationCache cache(config());
  ok(cache, request(kSpoke, kSpokeNbma, 60), kSpokeNbma, t0);
  EXPECT_EQ(t0 + seconds(60), cache.next_deadline());
  auto out = ok(cache, request(kSpoke, kSpokeNbma, 60), kSpokeNbma, t0 + seconds(50));
  EXPECT_EQ(uint8_t(CieCode::success), out.reply.cies.at(0).code);
  EXPECT_TRUE(out.changes.empty());
  EXPECT_EQ(t0 + seconds(110), cache.next_deadline());
  EXPECT_TRUE(cache.expire(t0 + seconds(70)).empty());
  EXPECT_EQ(seconds(40), cache.resolve(kSpoke, t0 + seconds(70))->remaining);
}

TEST(NhrpRegistrationCache, MoveReplacesTheBindingAndPurgesTheOldAddress) {
  RegistrationCache cache(config());
  const Ipv4 natted = ip("203.0.113.9"), moved = ip("192.0.2.7");
  ok(cache, request(kSpoke, kSpokeNbma, 60), natted, t0);
  auto out = ok(cache, request(kSpoke, moved, 90), moved, t0 + seconds(5));
  EXPECT_EQ(uint8_t(CieCode::success), out.reply.cies.at(0).code);
  const Binding old = binding(kSpoke, kSpokeNbma, 60, t0, natted);
  const Binding now = binding(kSpoke, moved, 90, t0 + seconds(5));
  EXPECT_EQ(std::vector<BindingChange>({{Kind::changed, now, old}}), out.changes);
  // §5.2.5: to where the old binding was reachable (the NAT'd address).
  ASSERT_EQ(1u, out.purges.size());
  EXPECT_EQ(natted, out.purges[0].to_nbma);
  Packet purge;
  purge.type = PacketType::purge_request;
  purge.src_nbma = kNhsNbma;
  purge.src_protocol = kNhs;
  purge.dst_protocol = kSpoke;
  purge.request_id = 1;
  purge.cies.push_back({0, 32, 0, 0, kSpokeNbma, kSpoke, 0});
  EXPECT_EQ(purge, out.purges[0].request);
  EXPECT_EQ(t0 + seconds(95), cache.next_deadline());
  out = ok(cache, request(kSpoke, kSpokeNbma, 60), kSpokeNbma, t0 + seconds(6));
  EXPECT_EQ(2u, out.purges.at(0).request.request_id);
  EXPECT_EQ(moved, out.purges.at(0).to_nbma);
}

TEST(NhrpRegistrationCache, ExpiryReportsBindingsInDeadlineOrder) {
  RegistrationCache cache(config());
  ok(cache, request(ip("10.255.0.2"), ip("192.0.2.2"), 30), ip("192.0.2.2"), t0);
  ok(cache, request(ip("10.255.0.3"), ip("192.0.2.3"), 10), ip("192.0.2.3"), t0);
  ok(cache, request(ip("10.255.0.4"), ip("192.0.2.4"), 20), ip("192.0.2.4"), t0);
  EXPECT_EQ(t0 + seconds(10), cache.next_deadline());
  EXPECT_TRUE(cache.expire(t0 + seconds(9)).empty());
  auto gone = cache.expire(t0 + seconds(20));
  EXPECT_EQ(std::vector<BindingChange>(
                {{Kind::expired, binding(ip("10.255.0.3"), ip("192.0.2.3"), 10, t0), {}},
                 {Kind::expired, binding(ip("10.255.0.4"), ip("192.0.2.4"), 20, t0), {}}}),
            gone);
  EXPECT_EQ(t0 + seconds(30), cache.next_deadline());
  EXPECT_EQ(std::nullopt, cache.resolve(ip("10.255.0.2"), t0 + seconds(30)));
  EXPECT_EQ(1u, cache.expire(t0 + seconds(30)).size());
  EXPECT_EQ(std::nullopt, cache.next_deadline());
  EXPECT_TRUE(cache.bindings().empty());
}

TEST(NhrpRegistrationCache, AnOverdueBindingIsReportedBeforeItsReplacement) {
  RegistrationCache cache(config());
  ok(cache, request(kSpoke, kSpokeNbma, 10), kSpokeNbma, t0);
  const Ipv4 other = ip("192.0.2.9");
  auto out =
      ok(cache, request(kSpoke, other, 10, flags::registration_unique), other, t0 + seconds(10));
  EXPECT_EQ(uint8_t(CieCode::success), out.reply.cies.at(0).code);
  EXPECT_EQ(std::vector<BindingChange>(
                {{Kind::expired, binding(kSpoke, kSpokeNbma, 10, t0), {}},
                 {Kind::added, binding(kSpoke, other, 10, t0 + seconds(10), {}, true), {}}}),
            out.changes);
  EXPECT_TRUE(out.purges.empty());
}

TEST(NhrpRegistrationCache, HoldingTimeZeroDeregisters) {
  RegistrationCache cache(config());
  ok(cache, request(kSpoke, kSpokeNbma, 60), kSpokeNbma, t0);
  // From another NBMA address it may not remove the binding.
  const Ipv4 other = ip("192.0.2.9");
  auto out = ok(cache, request(kSpoke, other, 0), other, t0);
  EXPECT_EQ(uint8_t(CieCode::unique_address_registered), out.reply.cies.at(0).code);
  EXPECT_TRUE(out.changes.empty());
  out = ok(cache, request(kSpoke, kSpokeNbma, 0), kSpokeNbma, t0 + seconds(1));
  EXPECT_EQ(uint8_t(CieCode::success), out.reply.cies.at(0).code);
  EXPECT_EQ(std::vector<BindingChange>(
                {{Kind::removed, binding(kSpoke, kSpokeNbma, 60, t0), {}}}),
            out.changes);
  EXPECT_EQ(std::nullopt, cache.resolve(kSpoke, t0 + seconds(1)));
  EXPECT_EQ(std::nullopt, cache.next_deadline());
  // Nothing registered: nothing to remove, still a success.
  out = ok(cache, request(kSpoke, kSpokeNbma, 0), kSpokeNbma, t0 + seconds(2));
  EXPECT_EQ(uint8_t(CieCode::success), out.reply.cies.at(0).code);
  EXPECT_TRUE(out.changes.empty());
}

TEST(NhrpRegistrationCache, CodesPerCie) {
  RegistrationCacheConfig c = config();
  c.allowed = Ipv4Prefix{ip("10.255.0.0"), 16};
  RegistrationCache cache(c);
  Packet p = request(kSpoke, kSpokeNbma, 60);
  p.cies.push_back({0, 0, 0, 60, ip("192.0.2.5"), ip("10.255.9.9"), 0});  // CIE addresses win
  p.cies.push_back({0, 32, 0, 60, std::nullopt, ip("10.1.0.1"), 0});      // outside 10.255/16
  p.cies.push_back({0, 24, 0, 60, std::nullopt, ip("10.255.1.0"), 0});    // not a host
  auto out = ok(cache, p, kSpokeNbma, t0);
  std::vector<uint8_t> codes;
  for (const auto& cie : out.reply.cies) codes.push_back(cie.code);
  EXPECT_EQ(std::vector<uint8_t>({0, 0, 4, 13}), codes);
  EXPECT_EQ(2u, cache.bindings().size());
  EXPECT_EQ(ip("192.0.2.5"), cache.bindings().at(ip("10.255.9.9")).nbma);
  EXPECT_EQ(kSpokeNbma, cache.bindings().at(ip("10.255.9.9")).nat_nbma);
  // With the U bit a subnet registration is prohibited (FRR: unique hosts only).
  p.flags = flags::registration_unique;
  EXPECT_EQ(4, ok(cache, p, kSpokeNbma, t0).reply.cies.at(3).code);
}

TEST(NhrpRegistrationCache, BadRequestsAreErrors) {
  RegistrationCache cache(config());
  Packet p = request(kSpoke, kSpokeNbma, 60);
  p.type = PacketType::resolution_request;
  auto result = cache.register_client(p, kSpokeNbma, t0);
  ASSERT_FALSE(result);
  EXPECT_EQ((Error{ErrorCode::protocol_error, 17,
                   "registration cache: packet type 1 is not a Registration Request (3)"}),
            result.error());
  p = request(kSpoke, kSpokeNbma, 60);
  p.cies.clear();
  result = cache.register_client(p, kSpokeNbma, t0);
  ASSERT_FALSE(result);
  EXPECT_EQ((Error{ErrorCode::protocol_error, 40,
                   "registration cache: Registration Request without a CIE"}),
            result.error());
  EXPECT_TRUE(cache.bindings().empty());
}

TEST(NhrpRegistrationCache, PrefixContains) {
  EXPECT_TRUE((Ipv4Prefix{ip("10.255.0.0"), 16}.contains(ip("10.255.200.1"))));
  EXPECT_FALSE((Ipv4Prefix{ip("10.255.0.0"), 16}.contains(ip("10.254.0.1"))));
  EXPECT_TRUE((Ipv4Prefix{ip("0.0.0.0"), 0}.contains(ip("1.2.3.4"))));
  EXPECT_TRUE((Ipv4Prefix{ip("10.0.0.1"), 32}.contains(ip("10.0.0.1"))));
  EXPECT_FALSE((Ipv4Prefix{ip("10.0.0.1"), 32}.contains(ip("10.0.0.2"))));
}

}  // namespace
}  // namespace nwbpf::nhrp::test
