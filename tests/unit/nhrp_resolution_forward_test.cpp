// SPDX-License-Identifier: Apache-2.0
// The copy of a Resolution Request our NHS forwards to its target (RFC 2332
// §5.2.1, §5.3.2): hop count, Forward Transit record, the requester's NAT'd
// address; and the target CE's answer to it naming the requester's binding,
// each packet through the codec on the way.
#include <gtest/gtest.h>

#include "nhrp/resolution_forward.h"
#include "nhrp/resolution_responder.h"
#include "nhrp/shortcut_table.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp::test {
namespace {

const Ipv4 kNhsNbma = ip("192.0.2.1"), kNhs = ip("10.255.0.1");
const Ipv4 kA = ip("10.255.0.2"), kANbma = ip("192.168.1.2"), kANat = ip("203.0.113.2");
const Ipv4 kB = ip("10.255.0.3"), kBNbma = ip("192.0.2.3");
const Station kUs{kNhsNbma, kNhs};

// CE A's request for B, as ShortcutTable sends it (with the Forward
// Transit record extension FRR and we put in every request).
Packet request_for_b(std::optional<Ipv4> nat = std::nullopt) {
  ShortcutTable table({kA, kANbma, 600, 1400}, 7);
  auto out = table.resolve(kB, kNhsNbma, nat, at(0));
  EXPECT_EQ(out.send.size(), 1u);
  return out.send.empty() ? Packet{} : decode_ok(encode_ok(out.send[0].packet));
}

const std::vector<Cie>* cies(const Packet& p, ExtensionType type) {
  return extension_cies(p.extensions, type);
}

TEST(ResolutionForward, HopCountLessOneAndUsInTheForwardTransitRecord) {
  const Packet request = request_for_b();
  auto copy = forward_to_target(request, kUs, std::nullopt);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->hop_count, request.hop_count - 1);
  const auto* transit = cies(*copy, ExtensionType::forward_transit_nhs);
  ASSERT_NE(transit, nullptr);
  ASSERT_EQ(transit->size(), 1u);
  EXPECT_EQ(transit->front().nbma, kNhsNbma);
  EXPECT_EQ(transit->front().protocol, kNhs);
  // Everything else is the request's, and it still encodes.
  Packet expected = request;
  expected.hop_count = copy->hop_count;
  expected.extensions = copy->extensions;
  EXPECT_EQ(*copy, expected);
  EXPECT_EQ(decode_ok(encode_ok(*copy)), *copy);
}

TEST(ResolutionForward, LastHopIsNotForwarded) {
  Packet request = request_for_b();
  request.hop_count = 1;
  EXPECT_FALSE(forward_to_target(request, kUs, std::nullopt));
}

TEST(ResolutionForward, TheRequestersNatAddressIsAdded) {
  // Its own NAT Address extension (we are NAT'd: ShortcutTable names it)
  // gets the NHS's view appended.
  auto copy = forward_to_target(request_for_b(kANat), kUs, kANat);
  ASSERT_TRUE(copy);
  const auto* nat = cies(*copy, ExtensionType::nat_address);
  ASSERT_NE(nat, nullptr);
  EXPECT_EQ(nat->back().nbma, kANat);
  EXPECT_EQ(nat->back().protocol, kA);
  // A request without the extension gets one.
  Packet bare = request_for_b();
  std::erase_if(bare.extensions, [](const Extension& e) {
    return (e.type & kExtensionTypeMask) == uint16_t(ExtensionType::nat_address);
  });
  copy = forward_to_target(bare, kUs, kANat);
  ASSERT_TRUE(copy);
  nat = cies(*copy, ExtensionType::nat_address);
  ASSERT_NE(nat, nullptr);
  ASSERT_EQ(nat->size(), 1u);
  EXPECT_EQ(nat->front().nbma, kANat);
  EXPECT_EQ(decode_ok(encode_ok(*copy)), *copy);
}

// What the forward is for: B learns A's binding (its NAT'd address when A
// is behind NAT) and answers back to the NHS.
TEST(ResolutionForward, TheTargetLearnsTheRequester) {
  ClientConfig b{kB, kBNbma, {kNhsNbma}, 600, 1400, true, std::nullopt};
  for (auto nat : {std::optional<Ipv4>{}, std::optional<Ipv4>{kANat}}) {
    SCOPED_TRACE(nat ? "requester behind NAT" : "no NAT");
    auto copy = forward_to_target(request_for_b(nat), kUs, nat);
    ASSERT_TRUE(copy);
    const wire::Bytes bytes = encode_ok(*copy);
    auto answer = answer_as_target(b, std::nullopt, decode_ok(bytes), bytes, kNhsNbma);
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer.value().send.nbma, kNhsNbma);
    EXPECT_EQ(answer.value().send.packet.type, PacketType::resolution_reply);
    ASSERT_TRUE(answer.value().requester);
    EXPECT_EQ(answer.value().requester->protocol, kA);
    EXPECT_EQ(answer.value().requester->nbma, nat.value_or(kANbma));
    EXPECT_EQ(answer.value().requester->natted, nat.has_value());
  }
}

}  // namespace
}  // namespace nwbpf::nhrp::test
