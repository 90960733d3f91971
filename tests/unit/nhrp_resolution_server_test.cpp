// SPDX-License-Identifier: Apache-2.0
// The NHS answering Resolution Requests from its registration cache
// (RFC 2332 §5.2.1, §5.2.2, §5.2.7): golden replies (plain and NAT'd
// target), our own address, Error Indication for an unknown target, and
// the requester's ShortcutTable installing (or refusing) what comes back,
// each packet through the codec on the way. Checksums computed apart from
// this code.
#include <gtest/gtest.h>

#include "nhrp/resolution_server.h"
#include "nhrp/shortcut_table.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Ipv4 kNhsNbma = ip("192.0.2.1"), kNhs = ip("10.255.0.1");
const Ipv4 kA = ip("10.255.0.2"), kANbma = ip("192.0.2.2"), kANat = ip("203.0.113.2");
const Ipv4 kB = ip("10.255.0.3"), kBNbma = ip("192.0.2.3");
const Ipv4 kC = ip("10.255.0.4"), kCNbma = ip("192.168.1.4"), kCNat = ip("203.0.113.4");

// The route server: B registered directly, C from behind NAT, at at(0).
RegistrationCache route_server() {
  RegistrationCache cache({kNhsNbma, kNhs, 1400, 7200, std::nullopt});
  for (auto [overlay, nbma, seen] : {std::tuple{kB, kBNbma, kBNbma}, {kC, kCNbma, kCNat}}) {
    Packet r = registration_request();
    r.src_nbma = nbma;
    r.src_protocol = overlay;
    r.dst_protocol = kNhs;
    r.extensions.clear();
    EXPECT_TRUE(cache.register_client(r, seen, at(0)));
  }
  return cache;
}

// CE A's shortcut table: asks the route server, request IDs from 7.
ShortcutTable requester() { return ShortcutTable({kA, kANbma, 600, 1400}, 7); }

Packet ask(ShortcutTable& table, Ipv4 target, std::optional<Ipv4> nat = std::nullopt) {
  auto out = table.resolve(target, kNhsNbma, nat, at(100));
  EXPECT_EQ(out.send.size(), 1u);
  return out.send.empty() ? Packet{} : out.send[0].packet;
}

Send answer(const RegistrationCache& cache, const Packet& request, Ipv4 from, TimePoint now) {
  const wire::Bytes bytes = encode_ok(request);
  auto result = answer_resolution(cache, decode_ok(bytes), bytes, from, now);
  if (!result) {
    ADD_FAILURE() << result.error().message;
    return {};
  }
  return result.value();
}

// The answer as the requester gets it: encoded, then decoded.
Packet received(const Send& send) { return decode_ok(encode_ok(send.packet)); }

TEST(NhrpResolutionServer, AnswersFromTheCacheWithTheRemainingHoldingTime) {
  const RegistrationCache cache = route_server();
  ShortcutTable table = requester();
  const Send send = answer(cache, ask(table, kB), kANbma, at(100));
  EXPECT_EQ(send.nbma, kANbma);
  // Flags Q|S kept, A|D set; CIE 0xff with B's binding for 7100 s more;
  // Responder Address = the route server; NAT Address echoed empty.
  expect_golden(send.packet,
                "0001 0800 0000000000 40 0064 3fed 003c 01 02 04 00"
                "04 04 e800 00000007 c0000202 0aff0002 0aff0003"
                "00 ff 0000 0578 1bbc 04 00 04 00 c0000203 0aff0003"
                "8003 0014 00 20 0000 0578 1c20 04 00 04 00 c0000201 0aff0001"
                "8004 0000 8005 0000"
                "0009 0000 8000 0000");
  auto out = table.receive(kNhsNbma, received(send), at(100));
  EXPECT_EQ(out.installed, (std::vector<ShortcutBinding>{{kB, kBNbma}}));
  EXPECT_FALSE(table.entries().at(kB).natted);
  EXPECT_EQ(table.entries().at(kB).expires, at(7200));
}

TEST(NhrpResolutionServer, ANattedTargetComesWithItsNatAddress) {
  const RegistrationCache cache = route_server();
  ShortcutTable table = requester();
  // A is behind NAT too: its request names its NAT'd address, it comes
  // from there, and the answer goes back there.
  const Packet request = ask(table, kC, kANat);
  const Send send = answer(cache, request, kANat, at(100));
  EXPECT_EQ(send.nbma, kANat);
  // The CIE has C's NBMA address as claimed; the NAT Address extension,
  // which carried A's address, now carries C's NAT'd one.
  expect_golden(send.packet,
                "0001 0800 0000000000 40 0078 eb79 003c 01 02 04 00"
                "04 04 e800 00000007 c0000202 0aff0002 0aff0004"
                "00 ff 0000 0578 1bbc 04 00 04 00 c0a80104 0aff0004"
                "8003 0014 00 20 0000 0578 1c20 04 00 04 00 c0000201 0aff0001"
                "8004 0000 8005 0000"
                "0009 0014 00 20 0000 0578 0000 04 00 04 00 cb007104 0aff0004"
                "8000 0000");
  auto out = table.receive(kNhsNbma, received(send), at(100));
  EXPECT_EQ(out.installed, (std::vector<ShortcutBinding>{{kC, kCNat}}));
  EXPECT_TRUE(table.entries().at(kC).natted);
  // A request without a NAT Address extension gets one all the same.
  Packet bare = request;
  bare.extensions = request_extensions();
  const Send plain = answer(cache, bare, kANbma, at(100));
  EXPECT_EQ(plain.packet.extensions.back(),
            (Extension{uint16_t(ExtensionType::nat_address), false,
                       std::vector<Cie>{Cie{0, 32, 1400, 0, kCNat, kC, 0}}}));
}

TEST(NhrpResolutionServer, UnknownTargetsGetProtocolAddressUnreachable) {
  const RegistrationCache cache = route_server();
  ShortcutTable table = requester();
  const Packet request = ask(table, ip("10.255.0.9"));
  const Send send = answer(cache, request, kANbma, at(100));
  EXPECT_EQ(send.nbma, kANbma);
  // §5.2.7: from the route server to A, code 6 at ar$dst.protoaddr (36),
  // the request as it arrived.
  expect_golden(send.packet,
                "0001 0800 0000000000 40 0070 1617 0000 01 07 04 00"
                "04 04 0000 0006 0024 c0000201 0aff0001 0aff0002"
                "0001 0800 0000000000 40 0048 4542 0034 01 01 04 00"
                "04 04 c802 00000007 c0000202 0aff0002 0aff0009"
                "00 ff 0000 0578 0258 00 00 00 00"
                "8003 0000 8004 0000 8005 0000 0009 0000 8000 0000");
  auto out = table.receive(kNhsNbma, received(send), at(100));
  EXPECT_EQ(table.entries().at(ip("10.255.0.9")).state, Shortcut::State::negative);
  EXPECT_TRUE(out.installed.empty());
  // An expired binding is no binding.
  ShortcutTable late = requester();
  EXPECT_EQ(answer(cache, ask(late, kB), kANbma, at(7200)).packet.type,
            PacketType::error_indication);
}

TEST(NhrpResolutionServer, OurOwnAddressIsAnsweredWithOurselves) {
  const RegistrationCache cache = route_server();
  ShortcutTable table = requester();
  const Send send = answer(cache, ask(table, kNhs), kANbma, at(100));
  ASSERT_EQ(send.packet.cies.size(), 1u);
  EXPECT_EQ(send.packet.cies[0], (Cie{0, 0xff, 1400, 7200, kNhsNbma, kNhs, 0}));
  EXPECT_EQ(table.receive(kNhsNbma, received(send), at(100)).installed,
            (std::vector<ShortcutBinding>{{kNhs, kNhsNbma}}));
}

TEST(NhrpResolutionServer, HoldingTimeIsAtLeastOneSecond) {
  const RegistrationCache cache = route_server();
  ShortcutTable table = requester();
  // 0.5 s left: 0 on the wire would mean "use your own" to the requester.
  const Send send = answer(cache, ask(table, kB), kANbma, at(7199) + milliseconds(500));
  EXPECT_EQ(send.packet.cies.at(0).holding_time, 1);
}

TEST(NhrpResolutionServer, OnlyResolutionRequests) {
  const RegistrationCache cache = route_server();
  const Packet registration = registration_request();
  auto result = answer_resolution(cache, registration, {}, kANbma, at(0));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(),
            (Error{ErrorCode::protocol_error, 17,
                   "resolution server: packet type 3 is not a Resolution Request (1)"}));
}

}  // namespace
}  // namespace nwbpf::nhrp::test
