// SPDX-License-Identifier: Apache-2.0
// The NHC's registration with its NHSes, with an injected clock: what it
// sends (as FRR nhrpd's NHC), replies, NAT detection, the NHS's protocol
// address learned, retries with backoff, refusals, a registration ended by
// an unanswered renewal, an NHS lost and reachable again.
#include <gtest/gtest.h>

#include <stdexcept>

#include "nhrp/registration_client.h"
#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using std::chrono::seconds;

using test::at;
using test::ip;

const Ipv4 kNhs1 = ip("192.168.0.10");
const Ipv4 kNhs2 = ip("192.168.0.11");

ClientConfig config() {
  ClientConfig c;
  c.protocol = ip("10.0.0.1");
  c.nbma = ip("192.168.0.1");
  c.servers = {kNhs1, kNhs2};
  c.holding_time = 7200;
  c.mtu = 1400;
  return c;
}

// What the NHS answers to `request`: success, from its protocol address.
Packet reply_to(const Packet& request, std::vector<Cie> nat_cies = {}) {
  Packet r = request;
  r.type = PacketType::registration_reply;
  r.dst_protocol = ip("10.0.0.10");
  Cie responder;
  responder.prefix_length = 32;
  responder.nbma = kNhs1;
  responder.protocol = ip("10.0.0.10");
  r.extensions = {Extension{uint16_t(ExtensionType::responder_address), true,
                            std::vector<Cie>{responder}}};
  if (!nat_cies.empty())
    r.extensions.push_back(
        Extension{uint16_t(ExtensionType::nat_address), false, std::move(nat_cies)});
  return r;
}

TEST(NhrpRegistrationClient, StartRegistersWithEveryNhsAsFrrDoes) {
  RegistrationClient client(config(), 100);
  auto out = client.start(at(0));
  ASSERT_EQ(out.send.size(), 2u);
  EXPECT_EQ(out.send[0].nbma, kNhs1);
  EXPECT_EQ(out.send[1].nbma, kNhs2);
  const Packet& p = out.send[0].packet;
  Packet want;
  want.type = PacketType::registration_request;
  want.hop_count = 1;
  want.src_nbma = ip("192.168.0.1");
  want.src_protocol = ip("10.0.0.1");
  want.dst_protocol = ip("10.0.0.1");  // the NHS's protocol address is not known yet
  want.flags = flags::nat | flags::registration_unique;
  want.request_id = 100;
  want.cies = {Cie{0, 0xff, 1400, 7200, std::nullopt, std::nullopt, 0}};
  want.extensions = {
      Extension{uint16_t(ExtensionType::responder_address), true, std::vector<Cie>{}},
      Extension{uint16_t(ExtensionType::forward_transit_nhs), true, std::vector<Cie>{}},
      Extension{uint16_t(ExtensionType::reverse_transit_nhs), true, std::vector<Cie>{}},
      Extension{uint16_t(ExtensionType::nat_address), false,
                std::vector<Cie>{Cie{0, 32, 1400, 0, kNhs1, Ipv4{}, 0}}}};
  EXPECT_EQ(p, want);
  EXPECT_EQ(out.send[1].packet.request_id, 101u);
  // It goes through the codec and comes back the same.
  auto bytes = encode_packet(p);
  ASSERT_TRUE(bytes);
  auto back = decode_packet(bytes.value());
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), p);
  EXPECT_EQ(client.next_deadline(), at(1));
}

TEST(NhrpRegistrationClient, ASuccessfulReplyRegistersAndReRegistersAtAThird) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  auto out = client.receive(kNhs1, reply_to(start.send[0].packet), at(0));
  EXPECT_TRUE(out.send.empty());
  const ServerStatus& s = client.servers()[0];
  EXPECT_TRUE(s.registered);
  EXPECT_EQ(s.protocol, ip("10.0.0.10"));
  EXPECT_EQ(s.expires, at(7200));
  EXPECT_EQ(s.next, at(2400));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: protocol address 10.0.0.10",
                           "NHS 192.168.0.10: registered 10.0.0.1 -> 192.168.0.1 for 7200 s"}));
  // NHS 2 has not answered: it is retried at 1 s, NHS 1 left alone.
  auto retry = client.expire(at(1));
  ASSERT_EQ(retry.send.size(), 1u);
  EXPECT_EQ(retry.send[0].nbma, kNhs2);
  // At a third of the holding time NHS 1 gets a new request, now addressed
  // to its protocol address.
  auto again = client.expire(at(2400));
  auto to_nhs1 = std::find_if(again.send.begin(), again.send.end(),
                              [](const Send& s) { return s.nbma == kNhs1; });
  ASSERT_NE(to_nhs1, again.send.end());
  EXPECT_EQ(to_nhs1->packet.dst_protocol, ip("10.0.0.10"));
  const auto& nat = std::get<std::vector<Cie>>(to_nhs1->packet.extensions.back().value);
  EXPECT_EQ(nat[0].protocol, ip("10.0.0.10"));
}

TEST(NhrpRegistrationClient, NatIsDetectedFromTheSecondNatCie) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  Cie nhs{0, 32, 1400, 0, kNhs1, ip("10.0.0.10"), 0};
  Cie seen{0, 32, 1400, 0, ip("203.0.113.7"), ip("10.0.0.1"), 0};
  auto out = client.receive(kNhs1, reply_to(start.send[0].packet, {nhs, seen}), at(0));
  EXPECT_EQ(client.servers()[0].nat_nbma, ip("203.0.113.7"));
  EXPECT_EQ(client.reachable_nbma(), ip("203.0.113.7"));
  EXPECT_NE(std::find(out.notes.begin(), out.notes.end(),
                      "NHS 192.168.0.10: NAT detected, it sees us at 203.0.113.7"),
            out.notes.end());
  // One CIE only (or our own address): no NAT.
  RegistrationClient plain(config(), 1);
  auto s2 = plain.start(at(0));
  plain.receive(kNhs1, reply_to(s2.send[0].packet, {nhs}), at(0));
  EXPECT_EQ(plain.servers()[0].nat_nbma, std::nullopt);
  EXPECT_EQ(plain.reachable_nbma(), ip("192.168.0.1"));
}

TEST(NhrpRegistrationClient, UnansweredRequestsBackOffLikeNhrpd) {
  ClientConfig c = config();
  c.servers = {kNhs1};
  RegistrationClient client(c, 1);
  client.start(at(0));
  // Waits of 1, 2, 4, ... 64 s, then back to 2 s.
  int t = 0;
  std::vector<int> waits;
  for (int i = 0; i < 9; ++i) {
    auto deadline = client.next_deadline();
    ASSERT_TRUE(deadline);
    int wait = int(std::chrono::duration_cast<seconds>(*deadline - at(t)).count());
    waits.push_back(wait);
    t += wait;
    auto out = client.expire(at(t));
    ASSERT_EQ(out.send.size(), 1u);
    EXPECT_EQ(out.notes.size(), 1u);
  }
  EXPECT_EQ(waits, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 2, 4}));
  EXPECT_EQ(client.servers()[0].last_error, "no reply");
  EXPECT_FALSE(client.servers()[0].registered);
}

TEST(NhrpRegistrationClient, ARefusalOrErrorIndicationIsRetriedLater) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  Packet refused = reply_to(start.send[0].packet);
  refused.cies[0].code = uint8_t(CieCode::unique_address_registered);
  auto out = client.receive(kNhs1, refused, at(0));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: registration refused with CIE code 14; next "
                           "attempt in 2 s"}));
  EXPECT_FALSE(client.servers()[0].registered);
  EXPECT_EQ(client.servers()[0].next, at(2));
  // The refused request is done: its late duplicate is not a success.
  auto late = client.receive(kNhs1, reply_to(start.send[0].packet), at(1));
  EXPECT_FALSE(client.servers()[0].registered);
  ASSERT_EQ(late.notes.size(), 1u);

  Packet error;
  error.type = PacketType::error_indication;
  error.error_code = 11;  // Authentication Failure
  error.error_offset = 20;
  out = client.receive(kNhs2, error, at(0));
  EXPECT_EQ(client.servers()[1].last_error, "Error Indication code 11 (offset 20)");
  EXPECT_EQ(client.servers()[1].next, at(2));
}

// The NHS answered a Resolution Request of ours (the shortcut table's)
// with an Error Indication while our registration was pending: that
// registration has not failed, and its reply is still taken.
TEST(NhrpRegistrationClient, AnErrorIndicationOfAnotherRequestLeavesTheRegistration) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  Packet resolution;
  resolution.type = PacketType::resolution_request;
  resolution.request_id = 1000;
  resolution.src_nbma = config().nbma;
  resolution.src_protocol = config().protocol;
  resolution.dst_protocol = ip("10.0.0.3");
  Packet error;
  error.type = PacketType::error_indication;
  error.error_code = 6;  // Protocol Address Unreachable
  error.payload = encode_packet(resolution).value();
  auto out = client.receive(kNhs1, error, at(0));
  EXPECT_TRUE(out.notes.empty());
  EXPECT_EQ(client.servers()[0].last_error, "");
  client.receive(kNhs1, reply_to(start.send[0].packet), at(0));
  EXPECT_TRUE(client.servers()[0].registered);
  // The same error naming our registration request fails it.
  auto again = client.reregister(kNhs1, at(1));
  error.payload = encode_packet(again.send[0].packet).value();
  client.receive(kNhs1, error, at(1));
  EXPECT_EQ(client.servers()[0].last_error, "Error Indication code 6 (offset 0)");
}

TEST(NhrpRegistrationClient, OthersAndStrayRepliesAreIgnored) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  auto out = client.receive(ip("192.0.2.1"), reply_to(start.send[0].packet), at(0));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHRP packet from 192.0.2.1, which is no NHS of ours: ignored"}));
  Packet wrong_id = reply_to(start.send[0].packet);
  wrong_id.request_id = 999;
  out = client.receive(kNhs1, wrong_id, at(0));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: unexpected packet type 4 (request id 999): "
                           "ignored"}));
  Packet no_cie = reply_to(start.send[0].packet);
  no_cie.cies.clear();
  client.receive(kNhs1, no_cie, at(0));
  EXPECT_EQ(client.servers()[0].last_error, "registration reply without a CIE");
  EXPECT_FALSE(client.servers()[0].registered);
}

// A client of NHS 1 alone, registered with it at 0 s.
RegistrationClient registered_alone(uint16_t holding_time) {
  ClientConfig c = config();
  c.servers = {kNhs1};
  c.holding_time = holding_time;
  RegistrationClient client(c, 1);
  auto start = client.start(at(0));
  client.receive(kNhs1, reply_to(start.send[0].packet), at(0));
  return client;
}

TEST(NhrpRegistrationClient, AnUnansweredReRegistrationEndsTheRegistration) {
  RegistrationClient client = registered_alone(30);
  EXPECT_EQ(client.next_deadline(), at(10));
  ASSERT_EQ(client.expire(at(10)).send.size(), 1u);  // re-registration
  EXPECT_TRUE(client.servers()[0].registered);
  // Unanswered after its 2 s: no relay any more, long before 30 s.
  auto out = client.expire(at(12));
  EXPECT_FALSE(client.servers()[0].registered);
  EXPECT_EQ(client.servers()[0].expires, std::nullopt);
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: no reply; next attempt in 4 s"}));
}

TEST(NhrpRegistrationClient, ATinyHoldingTimeExpiresBeforeTheRenewalFails) {
  RegistrationClient client = registered_alone(3);
  ASSERT_EQ(client.expire(at(1)).send.size(), 1u);  // re-registration
  auto out = client.expire(at(3));
  EXPECT_FALSE(client.servers()[0].registered);
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: registration expired",
                           "NHS 192.168.0.10: no reply; next attempt in 4 s"}));
}

TEST(NhrpRegistrationClient, AnNhsReachableAgainIsRegisteredWithAtOnce) {
  RegistrationClient client = registered_alone(7200);
  ASSERT_EQ(client.servers()[0].next, at(2400));
  // The NHS restarted (our BGP session to it is back): a request at once,
  // with a new request id, retried after 1 s as after start().
  auto out = client.reregister(kNhs1, at(100));
  ASSERT_EQ(out.send.size(), 1u);
  EXPECT_EQ(out.send[0].nbma, kNhs1);
  EXPECT_EQ(out.send[0].packet.request_id, 2u);
  EXPECT_EQ(out.send[0].packet.dst_protocol, ip("10.0.0.10"));
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: reachable again, registering at once"}));
  const ServerStatus& s = client.servers()[0];
  EXPECT_EQ(s.request_id, 2u);
  EXPECT_EQ(s.retry, seconds(1));
  EXPECT_EQ(s.next, at(101));
  // Its reply renews the registration from then on.
  client.receive(kNhs1, reply_to(out.send[0].packet), at(100));
  EXPECT_TRUE(s.registered);
  EXPECT_EQ(s.expires, at(7300));
  EXPECT_EQ(s.next, at(2500));
  // Unanswered, it backs off as after start(): 1 s, then 2 s.
  out = client.reregister(kNhs1, at(200));
  EXPECT_EQ(client.expire(at(201)).send.size(), 1u);
  EXPECT_EQ(s.next, at(203));
  // A BGP peer that is no NHS of ours: nothing.
  out = client.reregister(ip("192.168.0.99"), at(300));
  EXPECT_TRUE(out.send.empty());
  EXPECT_TRUE(out.notes.empty());
}

TEST(NhrpRegistrationClient, AnNhsLostNoLongerCountsAndIsTriedAgainSoon) {
  RegistrationClient client(config(), 1);
  auto start = client.start(at(0));
  Cie nhs{0, 32, 1400, 0, kNhs1, ip("10.0.0.10"), 0};
  Cie seen{0, 32, 1400, 0, ip("203.0.113.7"), ip("10.0.0.1"), 0};
  client.receive(kNhs1, reply_to(start.send[0].packet, {nhs, seen}), at(0));
  client.receive(kNhs2, reply_to(start.send[1].packet), at(0));
  ASSERT_TRUE(client.servers()[0].registered);
  ASSERT_EQ(client.reachable_nbma(), ip("203.0.113.7"));
  // Our BGP session to NHS 1 went down: its registration no longer counts
  // (the caller's relay moves to NHS 2), and it is asked again in 2 s.
  auto out = client.lost(kNhs1, at(50));
  EXPECT_TRUE(out.send.empty());
  EXPECT_EQ(out.notes, (std::vector<std::string>{
                           "NHS 192.168.0.10: unreachable, its registration no longer counts"}));
  const ServerStatus& s = client.servers()[0];
  EXPECT_FALSE(s.registered);
  EXPECT_EQ(s.expires, std::nullopt);
  EXPECT_EQ(s.next, at(52));
  EXPECT_TRUE(client.servers()[1].registered);
  EXPECT_EQ(client.reachable_nbma(), ip("192.168.0.1"));  // NHS 2 saw no NAT
  EXPECT_EQ(client.next_deadline(), at(52));
  // Unanswered, backing off: 2 s, 4 s.
  EXPECT_EQ(client.expire(at(52)).send.size(), 1u);
  EXPECT_EQ(s.next, at(54));
  EXPECT_EQ(client.expire(at(54)).send.size(), 1u);
  EXPECT_EQ(s.next, at(58));
  // Lost again: no second note; an unknown address: nothing.
  EXPECT_TRUE(client.lost(kNhs1, at(55)).notes.empty());
  EXPECT_TRUE(client.lost(ip("192.168.0.99"), at(55)).notes.empty());
}

TEST(NhrpRegistrationClient, BadConfigIsRefused) {
  auto refusal = [](ClientConfig c) {
    try {
      RegistrationClient client(c, 1);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  ClientConfig c = config();
  c.servers.clear();
  EXPECT_EQ(refusal(c), "NHRP client: no NHS to register with");
  c = config();
  c.servers.push_back(kNhs1);
  EXPECT_EQ(refusal(c), "NHRP client: NHS 192.168.0.10 listed twice");
  c = config();
  c.servers[1] = Ipv4{};
  EXPECT_EQ(refusal(c), "NHRP client: NHS address 0.0.0.0");
  c = config();
  c.nbma = Ipv4{};
  EXPECT_EQ(refusal(c), "NHRP client: our protocol and NBMA addresses must be set");
}

}  // namespace
}  // namespace nwbpf::nhrp
