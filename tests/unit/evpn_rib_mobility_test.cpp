// SPDX-License-Identifier: Apache-2.0
// MAC mobility (RFC 7432 §15) on an injected clock: the sequence numbers we
// advertise, a remote route taking a MAC away, duplicate detection (5 moves
// in 180 s), and the same through the speaker.
#include "evpn/mac_mobility.h"
#include "evpn_rib_test_support.h"

namespace nwbpf::evpn {
namespace {

using namespace test;
using std::chrono::seconds;

const MacKey kKey{100, mac("02:00:00:00:00:01")};
const auto kRemote = std::optional{remote(100, "02:00:00:00:00:01", "10.0.0.12", 4)};

TEST(EvpnMacMobility, SequenceStartsAtZeroOrOneAboveTheRemote) {
  LocalMacs macs({});
  auto first = macs.learned(kKey, std::nullopt, at(seconds(0)));
  EXPECT_EQ(first.advertise, 0u);
  EXPECT_FALSE(first.withdraw);
  // Learned again while advertised (a move between local ports): nothing.
  EXPECT_FALSE(macs.learned(kKey, kRemote, at(seconds(1))).advertise);
  EXPECT_TRUE(macs.removed(kKey).withdraw);
  EXPECT_FALSE(macs.advertised(kKey));

  auto moved_here = macs.learned(kKey, kRemote, at(seconds(2)));
  EXPECT_EQ(moved_here.advertise, 5u);
  EXPECT_EQ(macs.advertised(kKey), 5u);
  // The sequence does not wrap past the top.
  LocalMacs top({});
  EXPECT_EQ(
      top.learned(kKey, remote(100, "02:00:00:00:00:01", "10.0.0.12", 0xffffffff), at(seconds(0)))
          .advertise,
      0xffffffffu);
}

TEST(EvpnMacMobility, LosingToARemoteRouteWithdraws) {
  LocalMacs macs({});
  macs.learned(kKey, std::nullopt, at(seconds(0)));
  auto lost = macs.lost(kKey, at(seconds(5)));
  EXPECT_TRUE(lost.withdraw);
  EXPECT_FALSE(lost.became_duplicate);
  EXPECT_FALSE(macs.advertised(kKey));
  EXPECT_FALSE(macs.lost(kKey, at(seconds(6))).withdraw);  // nothing left to lose
  EXPECT_FALSE(macs.removed(kKey).withdraw);
}

TEST(EvpnMacMobility, FiveMovesWithin180SecondsMakeADuplicate) {
  LocalMacs macs({});
  macs.learned(kKey, kRemote, at(seconds(0)));                            // move 1: here
  macs.lost(kKey, at(seconds(10)));                                       // 2: away
  EXPECT_EQ(macs.learned(kKey, kRemote, at(seconds(20))).advertise, 5u);  // 3
  EXPECT_FALSE(macs.lost(kKey, at(seconds(30))).became_duplicate);        // 4
  auto fifth = macs.learned(kKey, kRemote, at(seconds(40)));
  EXPECT_TRUE(fifth.became_duplicate);
  EXPECT_FALSE(fifth.advertise);
  EXPECT_TRUE(macs.is_duplicate(kKey));
  EXPECT_EQ(macs.duplicates(), std::vector{kKey});
  // Silenced: learning it again advertises nothing and reports nothing new.
  auto again = macs.learned(kKey, kRemote, at(seconds(50)));
  EXPECT_FALSE(again.advertise);
  EXPECT_FALSE(again.became_duplicate);

  // The operator clears it: advertised again above the remote.
  auto cleared = macs.clear_duplicate(kKey, kRemote);
  EXPECT_EQ(cleared.advertise, 5u);
  EXPECT_FALSE(macs.is_duplicate(kKey));
}

TEST(EvpnMacMobility, MovesOlderThanTheWindowDoNotCount) {
  LocalMacs macs({});
  // Moves at 0, 50, 100, 150, 200: at 200 the first is 200 s old.
  macs.learned(kKey, kRemote, at(seconds(0)));
  macs.lost(kKey, at(seconds(50)));
  macs.learned(kKey, kRemote, at(seconds(100)));
  macs.lost(kKey, at(seconds(150)));
  auto fifth = macs.learned(kKey, kRemote, at(seconds(200)));
  EXPECT_FALSE(fifth.became_duplicate);
  EXPECT_EQ(fifth.advertise, 5u);
  // At 210 the moves of 50..210 are five within 180 s.
  EXPECT_TRUE(macs.lost(kKey, at(seconds(210))).became_duplicate);
}

TEST(EvpnMacMobility, ConfigurableThresholdAndValidation) {
  LocalMacs macs({2, seconds(10)});
  macs.learned(kKey, kRemote, at(seconds(0)));
  EXPECT_TRUE(macs.lost(kKey, at(seconds(9))).became_duplicate);
  EXPECT_THROW(LocalMacs({0, seconds(10)}), std::invalid_argument);
  EXPECT_THROW(LocalMacs({5, seconds(0)}), std::invalid_argument);
}

// Through the speaker: a CE behind one route reflector.
class EvpnSpeakerMobility : public ::testing::Test {
 protected:
  Speaker ce{ce_config("10.0.0.11", {100})};
  void SetUp() override { ce.peer_up(v4("10.0.0.1"), session("10.0.0.1"), at(seconds(0))); }

  SpeakerOutput remote_route(uint32_t seq, seconds when = seconds(1)) {
    std::vector<bgp::ExtCommunity> communities{auto_rt(100), vxlan()};
    if (seq > 0) communities.push_back(sequence(seq));
    return ok(ce.receive(v4("10.0.0.1"),
                         announce({mac_route("10.0.0.12:1", "02:00:00:00:00:01", 100)},
                                  vtep_attributes("10.0.0.12", communities)),
                         at(when)));
  }
};

TEST_F(EvpnSpeakerMobility, LearningARemoteMacAdvertisesTheNextSequence) {
  EXPECT_EQ(remote_route(0).import.added,
            std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12")});
  auto out = ce.mac_learned(kKey, at(seconds(2)));
  auto sent = read_sent(out, "10.0.0.1");
  ASSERT_EQ(sent.announced.size(), 1u);
  EXPECT_EQ(sent.announced[0], Route(mac_route("10.0.0.11:1", "02:00:00:00:00:01", 100)));
  const auto& attrs = sent_to(out, "10.0.0.1")[0].attributes;
  EXPECT_EQ(attrs.ext_communities, (std::vector{auto_rt(100), vxlan(), sequence(1)}));
  // Ours wins: the remote entry leaves the data plane.
  EXPECT_EQ(out.import.removed, std::vector{kKey});
  EXPECT_TRUE(out.moved_away.empty());
}

TEST_F(EvpnSpeakerMobility, AHigherRemoteSequenceTakesTheMacAway) {
  ce.mac_learned(kKey, at(seconds(0)));
  auto out = remote_route(1);
  EXPECT_EQ(out.moved_away, std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12", 1)});
  auto sent = read_sent(out, "10.0.0.1");
  EXPECT_EQ(sent.withdrawn, std::vector<Route>{mac_route("10.0.0.11:1", "02:00:00:00:00:01", 100)});
  EXPECT_EQ(out.import.added, std::vector{remote(100, "02:00:00:00:00:01", "10.0.0.12", 1)});
  EXPECT_FALSE(ce.local_macs().advertised(kKey));
}

TEST_F(EvpnSpeakerMobility, ALowerRemoteSequenceLosesToUs) {
  ce.mac_learned(kKey, at(seconds(0)));  // sequence 0, no remote yet
  auto out = remote_route(0);            // 10.0.0.12 > 10.0.0.11: ours stays
  EXPECT_TRUE(out.moved_away.empty());
  EXPECT_TRUE(out.import.empty());
  EXPECT_EQ(ce.local_macs().advertised(kKey), 0u);
}

TEST_F(EvpnSpeakerMobility, ADuplicateIsReportedAndNoLongerAdvertised) {
  SpeakerOutput out;
  for (uint32_t seq = 1; seq <= 5; seq += 2) {  // remote 1, 3, 5 beat our 0, 2, 4
    out = ce.mac_learned(kKey, at(seconds(seq)));
    if (!out.duplicates.empty()) break;
    out = remote_route(seq, seconds(seq));
    if (!out.duplicates.empty()) break;
  }
  EXPECT_EQ(out.duplicates, std::vector{kKey});
  EXPECT_TRUE(ce.local_macs().is_duplicate(kKey));
  EXPECT_THROW(ce.mac_learned({200, mac("02:00:00:00:00:01")}, at(seconds(9))),
               std::invalid_argument);
  EXPECT_THROW(ce.mac_learned({100, mac("01:00:5e:00:00:01")}, at(seconds(9))),
               std::invalid_argument);
}

}  // namespace
}  // namespace nwbpf::evpn
