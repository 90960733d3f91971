// SPDX-License-Identifier: Apache-2.0
// The CE answering a Resolution Request for its own address, as nhrpd
// does behind an FRR NHS that forwards requests (RFC 2332 §5.2.1, §5.2.2):
// the golden reply, the requester's binding (NAT'd or not, from the NHS or
// direct), the refusal of requests for other addresses, and the requester's
// ShortcutTable installing the answer. Checksums computed apart from this code.
#include <gtest/gtest.h>

#include "nhrp/resolution_responder.h"
#include "nhrp/shortcut_table.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp::test {
namespace {

const Ipv4 kNhsNbma = ip("192.0.2.1");
const Ipv4 kA = ip("10.255.0.2"), kANbma = ip("192.0.2.2"), kANat = ip("203.0.113.2");
const Ipv4 kB = ip("10.255.0.3"), kBNbma = ip("192.0.2.3"), kBNat = ip("198.51.100.3");

// CE B, the target, registered with the NHS at 192.0.2.1.
ClientConfig target() {
  ClientConfig c;
  c.protocol = kB;
  c.nbma = kBNbma;
  c.servers = {kNhsNbma};
  c.mtu = 1400;
  return c;
}

// CE A's request for B as the FRR NHS forwards it: hop count 63 and, when
// A is behind NAT, A's NAT'd address in the NAT Address extension.
Packet forwarded(ShortcutTable& a, std::optional<Ipv4> a_nat) {
  auto out = a.resolve(kB, kNhsNbma, a_nat, at(0));
  EXPECT_EQ(out.send.size(), 1u);
  Packet p = out.send.empty() ? Packet{} : out.send[0].packet;
  p.hop_count = 63;
  return p;
}

TargetAnswer answer(const Packet& request, Ipv4 from, std::optional<Ipv4> our_nat = std::nullopt,
                    const ClientConfig& us = target()) {
  const wire::Bytes bytes = encode_ok(request);
  auto result = answer_as_target(us, our_nat, decode_ok(bytes), bytes, from);
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return {};
  }
  return result.value();
}

TEST(NhrpResolutionResponder, AnswersWithItsBindingAsNhrpdDoes) {
  ShortcutTable a({kA, kANbma, 600, 1400}, 7);
  const TargetAnswer out = answer(forwarded(a, kANat), kNhsNbma, kBNat);
  EXPECT_EQ(out.send.nbma, kNhsNbma) << "back through the NHS";
  // Flags Q|S kept, D|A set; our CIE (prefix 32, holding 7200); Responder
  // Address = us; NAT Address = our NAT'd address.
  expect_golden(out.send.packet,
                "0001 0800 0000000000 40 0078 fd6a 003c 01 02 04 00"
                "04 04 e800 00000007 c0000202 0aff0002 0aff0003"
                "00 20 0000 0578 1c20 04 00 04 00 c0000203 0aff0003"
                "8003 0014 00 20 0000 0578 1c20 04 00 04 00 c0000203 0aff0003"
                "8004 0000 8005 0000"
                "0009 0014 00 20 0000 0578 0000 04 00 04 00 c6336403 0aff0003"
                "8000 0000");
  // A behind NAT: the NAT Address extension says where it is reachable.
  EXPECT_EQ(out.requester, (RequesterBinding{kA, kANat, true, 600}));
  // A installs B at B's NAT'd address.
  auto installed = a.receive(kNhsNbma, decode_ok(encode_ok(out.send.packet)), at(1));
  EXPECT_EQ(installed.installed, (std::vector<ShortcutBinding>{{kB, kBNat}}));
}

TEST(NhrpResolutionResponder, TheRequestersNbmaAddress) {
  ShortcutTable a({kA, kANbma, 0, 1400}, 1);
  // Through the NHS, no NAT: its own NBMA address, our holding time (its CIE says 0).
  EXPECT_EQ(answer(forwarded(a, std::nullopt), kNhsNbma).requester,
            (RequesterBinding{kA, kANbma, false, 7200}));
  // Straight from A through NAT: the address it came from.
  ShortcutTable direct({kA, kANbma, 600, 1400}, 1);
  const TargetAnswer out = answer(forwarded(direct, std::nullopt), kANat);
  EXPECT_EQ(out.requester, (RequesterBinding{kA, kANat, true, 600}));
  EXPECT_EQ(out.send.nbma, kANat);
  // The reply has an empty NAT Address extension when we are not behind NAT.
  EXPECT_EQ(extension_cies(out.send.packet.extensions, ExtensionType::nat_address)->size(), 0u);
  // A CIE naming addresses wins over the header; a non-host prefix gives no binding.
  ShortcutTable other({kA, kANbma, 600, 1400}, 1);
  Packet request = forwarded(other, std::nullopt);
  request.cies[0].nbma = ip("192.0.2.22");
  request.cies[0].protocol = ip("10.255.0.22");
  request.cies[0].prefix_length = 32;
  EXPECT_EQ(answer(request, kNhsNbma).requester,
            (RequesterBinding{ip("10.255.0.22"), ip("192.0.2.22"), false, 600}));
  request.cies[0].prefix_length = 24;
  EXPECT_EQ(answer(request, kNhsNbma).requester, std::nullopt);
}

TEST(NhrpResolutionResponder, TheRequesterIsKeptAsAShortcut) {
  ShortcutTable a({kA, kANbma, 600, 1400}, 7);
  const RequesterBinding learned = *answer(forwarded(a, kANat), kNhsNbma).requester;
  // B was resolving A itself: the learned binding settles it.
  ShortcutTable b({kB, kBNbma, 7200, 1400}, 1);
  b.resolve(kA, kNhsNbma, std::nullopt, at(0));
  auto out = b.learn({learned.protocol, learned.nbma}, learned.natted, learned.holding_time,
                     kNhsNbma, at(1));
  EXPECT_EQ(out.installed, (std::vector<ShortcutBinding>{{kA, kANat}}));
  EXPECT_EQ(out.notes,
            (std::vector<std::string>{"shortcut 10.255.0.2 -> 203.0.113.2 (NAT) for 600 s"}));
  const Shortcut& s = b.entries().at(kA);
  EXPECT_EQ(s.state, Shortcut::State::resolved);
  EXPECT_TRUE(s.natted);
  EXPECT_EQ(s.request_id, 1u);  // B's own request: its answer is still taken
  EXPECT_EQ(s.expires, at(601));
  // Nothing more to ask on a miss; the same binding again installs nothing.
  EXPECT_TRUE(b.resolve(kA, kNhsNbma, std::nullopt, at(2)).send.empty());
  EXPECT_TRUE(b.learn({kA, kANat}, true, 600, kNhsNbma, at(3)).installed.empty());
  // Learned without asking, and used: resolved again through the NHS at
  // 2/3 of its holding time.
  ShortcutTable c({kB, kBNbma, 7200, 1400}, 1);
  c.learn({learned.protocol, learned.nbma}, learned.natted, learned.holding_time, kNhsNbma, at(3));
  EXPECT_EQ(c.entries().at(kA).request_id, 0u);
  c.used(kA);
  auto refresh = c.expire(at(403));
  ASSERT_EQ(refresh.send.size(), 1u);
  EXPECT_EQ(refresh.send[0].nbma, kNhsNbma);
  EXPECT_EQ(refresh.send[0].packet.dst_protocol, kA);
}

TEST(NhrpResolutionResponder, RequestsForAnotherAddressAreRefused) {
  ShortcutTable a({kA, kANbma, 600, 1400}, 7);
  Packet request = forwarded(a, std::nullopt);
  request.dst_protocol = ip("10.255.0.9");
  const wire::Bytes bytes = encode_ok(request);
  const TargetAnswer out = answer(request, kNhsNbma);
  EXPECT_EQ(out.send.nbma, kNhsNbma);
  EXPECT_EQ(out.requester, std::nullopt);
  Packet want;
  want.type = PacketType::error_indication;
  want.src_nbma = kBNbma;
  want.src_protocol = kB;
  want.dst_protocol = kA;
  want.error_code = uint16_t(ErrorCode::protocol_address_unreachable);
  want.error_offset = 36;  // ar$dst.protoaddr
  want.payload = bytes;
  EXPECT_EQ(out.send.packet, want);
}

TEST(NhrpResolutionResponder, OnlyResolutionRequests) {
  auto result = answer_as_target(target(), std::nullopt, registration_request(), {}, kNhsNbma);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(),
            (Error{ErrorCode::protocol_error, 17,
                   "resolution responder: packet type 3 is not a Resolution Request (1)"}));
}

}  // namespace
}  // namespace nwbpf::nhrp::test
