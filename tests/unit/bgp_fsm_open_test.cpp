// SPDX-License-Identifier: Apache-2.0
// The OPEN exchange: the OPEN we send, and every check on the peer's OPEN
// with the exact NOTIFICATION code, subcode, data, offset and text.
#include <gtest/gtest.h>

#include "bgp/negotiate.h"
#include "bgp_fsm_test_support.h"

namespace nwbpf::bgp::test {
namespace {

Session accepted(const FsmConfig& c, const Open& open) {
  auto result = negotiate(c, open);
  if (const auto* error = std::get_if<Error>(&result)) {
    ADD_FAILURE() << "rejected: " << error->text;
    return {};
  }
  return std::get<Session>(result);
}

Error rejected(const FsmConfig& c, const Open& open) {
  auto result = negotiate(c, open);
  if (std::holds_alternative<Session>(result)) {
    ADD_FAILURE() << "accepted";
    return {};
  }
  return std::get<Error>(result);
}

Error open_error(OpenError subcode, size_t offset, std::string text, wire::Bytes data = {}) {
  return Error{ErrorCode::open_message, uint8_t(subcode), std::move(data), offset, std::move(text)};
}

TEST(LocalOpen, CarriesOurAsHoldTimeIdAndCapabilities) {
  const Open open = local_open(config());
  EXPECT_EQ(open.version, 4);
  EXPECT_EQ(open.my_as, 65000);
  EXPECT_EQ(open.hold_time, 90);
  EXPECT_EQ(open.bgp_id, ip("10.0.0.1"));
  EXPECT_EQ(open.capabilities.multiprotocol, (std::vector<Family>{kL2vpnEvpn}));
  EXPECT_TRUE(open.capabilities.route_refresh);
  EXPECT_EQ(open.capabilities.four_octet_as, 65000u);
  ASSERT_TRUE(open.capabilities.graceful_restart);
  // Helper only: a restart time, no families, not restarting.
  EXPECT_EQ(*open.capabilities.graceful_restart, (GracefulRestart{false, false, 120, {}}));
}

TEST(LocalOpen, PreservedForwardingListsEveryFamilyWithTheFBit) {
  auto c = config();
  c.families = {kL2vpnEvpn, kIpv4Unicast};
  c.forwarding_preserved = true;
  const Open open = local_open(c);
  ASSERT_TRUE(open.capabilities.graceful_restart);
  EXPECT_EQ(*open.capabilities.graceful_restart,
            (GracefulRestart{false, false, 120, {{kL2vpnEvpn, true}, {kIpv4Unicast, true}}}));
  c.graceful_restart_time.reset();  // no capability at all
  EXPECT_FALSE(local_open(c).capabilities.graceful_restart);
}

TEST(LocalOpen, FourOctetAsGoesInTheCapabilityWithAsTrans) {
  auto c = config();
  c.local_as = 4200000000;
  c.graceful_restart_time.reset();
  const Open open = local_open(c);
  EXPECT_EQ(open.my_as, kAsTrans);
  EXPECT_EQ(open.capabilities.four_octet_as, 4200000000u);
  EXPECT_FALSE(open.capabilities.graceful_restart);
}

TEST(Negotiate, AcceptsTheExpectedPeer) {
  const Session s = accepted(config(), peer_open());
  EXPECT_EQ(s.peer_as, 65000u);
  EXPECT_EQ(s.peer_id, ip("10.0.0.2"));
  EXPECT_TRUE(s.internal);
  EXPECT_EQ(s.hold_time, 90s);
  EXPECT_EQ(s.keepalive_time, 30s);
  EXPECT_TRUE(s.four_octet_as);
  EXPECT_TRUE(s.route_refresh);
  EXPECT_EQ(s.families, (std::vector<Family>{kL2vpnEvpn}));
  EXPECT_EQ(s.peer_graceful_restart, peer_open().capabilities.graceful_restart);
}

TEST(Negotiate, HoldTimeIsTheSmallerOneAndKeepaliveAThird) {
  EXPECT_EQ(accepted(config(), peer_open(0)).hold_time, 0s);
  EXPECT_EQ(accepted(config(), peer_open(0)).keepalive_time, 0s);
  EXPECT_EQ(accepted(config(), peer_open(3)).hold_time, 3s);
  EXPECT_EQ(accepted(config(), peer_open(3)).keepalive_time, 1s);
  EXPECT_EQ(accepted(config(), peer_open(4)).keepalive_time, 1s);
  EXPECT_EQ(accepted(config(), peer_open(65535)).hold_time, 90s);
  auto c = config();
  c.hold_time = 0;
  EXPECT_EQ(accepted(c, peer_open(90)).hold_time, 0s);
}

TEST(Negotiate, HoldTimeOfOneOrTwoIsUnacceptable) {
  EXPECT_EQ(rejected(config(), peer_open(1)), open_error(OpenError::unacceptable_hold_time, 22,
                                                         "OPEN: hold time 1 s (0 or at least 3)"));
  EXPECT_EQ(rejected(config(), peer_open(2)), open_error(OpenError::unacceptable_hold_time, 22,
                                                         "OPEN: hold time 2 s (0 or at least 3)"));
}

TEST(Negotiate, PeerAsMustBeTheConfiguredOne) {
  auto open = peer_open();
  open.my_as = 65001;
  open.capabilities.four_octet_as = 65001;
  EXPECT_EQ(rejected(config(), open),
            open_error(OpenError::bad_peer_as, 20, "OPEN: peer AS 65001, expected 65000"));
}

TEST(Negotiate, AnyAsIsAcceptedForAListenRange) {
  auto c = config();
  c.peer_as.reset();
  auto open = peer_open();
  open.my_as = 65001;
  open.capabilities.four_octet_as = 65001;
  const Session s = accepted(c, open);
  EXPECT_EQ(s.peer_as, 65001u);
  EXPECT_FALSE(s.internal);
}

TEST(Negotiate, AsZeroIsBadEvenWhenAnyAsIsAccepted) {
  auto c = config();
  c.peer_as.reset();
  auto open = peer_open();
  open.capabilities.four_octet_as = 0;
  EXPECT_EQ(rejected(c, open),
            open_error(OpenError::bad_peer_as, 20, "OPEN: peer AS 0 is reserved (RFC 7607)"));
}

TEST(Negotiate, FourOctetAsComesFromTheCapability) {
  auto c = config();
  c.peer_as = 4200000001;
  Capabilities caps;
  caps.multiprotocol = {kL2vpnEvpn};
  const Open open = make_open(4200000001, 90, ip("10.0.0.2"), caps);
  ASSERT_EQ(open.my_as, kAsTrans);
  const Session s = accepted(c, open);
  EXPECT_EQ(s.peer_as, 4200000001u);
  EXPECT_TRUE(s.four_octet_as);
  EXPECT_FALSE(s.internal);
}

TEST(Negotiate, AsTransWithoutTheCapabilityIsBadPeerAs) {
  auto c = config();
  c.peer_as.reset();
  auto open = peer_open();
  open.my_as = kAsTrans;
  open.capabilities.four_octet_as.reset();
  EXPECT_EQ(rejected(c, open), open_error(OpenError::bad_peer_as, 20,
                                          "OPEN: AS_TRANS without the 4-octet AS capability"));
}

TEST(Negotiate, TwoOctetSpeakerWithoutTheCapability) {
  auto open = peer_open();
  open.capabilities.four_octet_as.reset();
  const Session s = accepted(config(), open);
  EXPECT_EQ(s.peer_as, 65000u);
  EXPECT_FALSE(s.four_octet_as);
}

TEST(Negotiate, PeerAsIsCheckedBeforeHoldTime) {
  auto open = peer_open(1);
  open.capabilities.four_octet_as = 65001;
  EXPECT_EQ(rejected(config(), open).subcode, uint8_t(OpenError::bad_peer_as));
}

TEST(Negotiate, IdentifierZeroIsBad) {
  auto open = peer_open();
  open.bgp_id = Ipv4{};
  EXPECT_EQ(rejected(config(), open),
            open_error(OpenError::bad_bgp_identifier, 24, "OPEN: BGP identifier 0.0.0.0"));
}

TEST(Negotiate, OurIdentifierIsBadFromAnInternalPeer) {
  auto open = peer_open();
  open.bgp_id = ip("10.0.0.1");
  EXPECT_EQ(rejected(config(), open),
            open_error(OpenError::bad_bgp_identifier, 24, "OPEN: BGP identifier 10.0.0.1 is ours"));
}

TEST(Negotiate, OurIdentifierIsAllowedFromAnExternalPeer) {
  auto c = config();
  c.peer_as = 65001;
  auto open = peer_open();
  open.capabilities.four_octet_as = 65001;
  open.bgp_id = ip("10.0.0.1");
  EXPECT_EQ(accepted(c, open).peer_id, ip("10.0.0.1"));
}

TEST(Negotiate, FamiliesAreThoseBothOfferInOurOrder) {
  auto c = config();
  c.families = {kIpv4Unicast, kL2vpnEvpn};
  auto open = peer_open();
  open.capabilities.multiprotocol = {Family{kAfiIpv6, kSafiUnicast}, kL2vpnEvpn, kIpv4Unicast};
  EXPECT_EQ(accepted(c, open).families, (std::vector<Family>{kIpv4Unicast, kL2vpnEvpn}));
}

TEST(Negotiate, APeerWithoutMultiprotocolSpeaksIpv4Unicast) {
  auto c = config();
  c.families = {kIpv4Unicast, kL2vpnEvpn};
  auto open = peer_open();
  open.capabilities.multiprotocol.clear();
  EXPECT_EQ(accepted(c, open).families, (std::vector<Family>{kIpv4Unicast}));
}

TEST(Negotiate, NoFamilyInCommonIsUnsupportedCapabilityListingOurs) {
  auto open = peer_open();
  open.capabilities.multiprotocol = {kIpv4Unicast};
  // RFC 5492 §3: the data lists our MP capability: code 1, length 4,
  // AFI 25, reserved, SAFI 70.
  EXPECT_EQ(rejected(config(), open),
            open_error(OpenError::unsupported_capability, 28,
                       "OPEN: no address family in common (we offer L2VPN EVPN)",
                       {0x01, 0x04, 0x00, 0x19, 0x00, 0x46}));
  open.capabilities.multiprotocol.clear();
  EXPECT_EQ(rejected(config(), open).subcode, uint8_t(OpenError::unsupported_capability));
}

TEST(Negotiate, GracefulRestartNeedsBothSides) {
  auto c = config();
  c.graceful_restart_time.reset();
  EXPECT_FALSE(accepted(c, peer_open()).peer_graceful_restart);
  auto open = peer_open();
  open.capabilities.graceful_restart.reset();
  EXPECT_FALSE(accepted(config(), open).peer_graceful_restart);
}

// The FSM sends the check's NOTIFICATION and remembers why.
TEST(FsmOpen, ARejectedOpenSendsItsNotificationAndResets) {
  Driver d;
  d.reach(State::open_sent);
  const Actions out = d.feed(event::OpenReceived{peer_open(1)});
  const Notification expected{
      ErrorCode::open_message, uint8_t(OpenError::unacceptable_hold_time), {}};
  EXPECT_EQ(out, (Actions{action::SendNotification{expected}, action::Close{}}));
  EXPECT_EQ(d.fsm.state(), State::idle);
  EXPECT_EQ(d.fsm.last_down(),
            (DownReason{DownCause::error_sent, expected, "OPEN: hold time 1 s (0 or at least 3)"}));
  EXPECT_FALSE(d.fsm.session());
}

TEST(FsmOpen, TheOpenWeSendIsLocalOpen) {
  Driver d;
  d.feed(event::ManualStart{});
  EXPECT_EQ(d.feed(event::TcpCrAcked{}), (Actions{action::SendOpen{local_open(config())}}));
}

TEST(FsmOpen, SessionEstablishedCarriesTheNegotiation) {
  Driver d;
  d.reach(State::open_confirm);
  ASSERT_TRUE(d.fsm.session());
  EXPECT_EQ(d.feed(event::KeepaliveReceived{}),
            (Actions{action::SessionEstablished{accepted(config(), peer_open())}}));
}

}  // namespace
}  // namespace nwbpf::bgp::test
