// SPDX-License-Identifier: Apache-2.0
// The VICI client (agent/ipsec/vici_client.h) against a scripted fake charon
// on a temporary Unix socket: the exact bytes it sends, one request on the
// wire at a time, events between a request and its answer, the unknown
// command and event answers, and a lost connection failing what is pending.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "central_io_test_support.h"
#include "ipsec/vici_client.h"
#include "ipsec_vici_client_test_support.h"
#include "ipsec_vici_test_support.h"

namespace nwbpf::ipsec::vici {
namespace {

using test::FakeCharon;
using test::FakePeer;
using test::hex;
using test::kIkeUpdown;
using test::kVersionRequest;
using test::run_until;

constexpr const char* kVersionReply =
    "00000021  01"                           // CMD_RESPONSE
    "03 06 6461656d6f6e 0006 636861726f6e"   // daemon = charon
    "03 07 76657273696f6e 0005 352e392e38";  // version = 5.9.8
constexpr const char* kRegisterIkeUpdown = "0000000c  03 0a 696b652d7570646f776e";
constexpr const char* kConfirm = "00000001  05";

wire::Bytes packet(PacketType type, std::string name = {}, Message message = {}) {
  return encode_packet({type, std::move(name), std::move(message)}).value();
}

wire::Bytes reply(std::string key, std::string value) {
  return packet(PacketType::cmd_response, {}, Message{}.add(std::move(key), std::move(value)));
}

// The fake's side of subscribe("ike-updown") and of request("version").
void confirm_ike_updown(FakePeer& peer) {
  peer.expect(hex(kRegisterIkeUpdown));
  peer.send(hex(kConfirm));
}
void answer_version(FakePeer& peer) {
  peer.expect(hex(kVersionRequest));
  peer.send(hex(kVersionReply));
}

class ViciClientTest : public ::testing::Test {
 protected:
  // Connects the client to the fake charon running `script`.
  void start(std::function<void(FakePeer&)> script) {
    charon.run(std::move(script));
    bool connected = false;
    client.connect(
        [&](Result<void> done) {
          ASSERT_TRUE(done) << done.error().message;
          connected = true;
        },
        [this](const Error& why) { log.push_back("closed: " + why.message); });
    ASSERT_TRUE(run_until(io, [&] { return connected; }));
  }
  // A reply callback that logs "<tag>: <value of key>" or "<tag>: <error>".
  Reply logged(std::string tag, std::string key) {
    return [this, tag, key](Result<Message> r) {
      const Value* value = r ? r.value().value(key) : nullptr;
      log.push_back(tag + ": " + (r ? (value ? *value : "?") : r.error().message));
    };
  }
  Done logged(std::string tag) {
    return
        [this, tag](Result<void> r) { log.push_back(tag + ": " + (r ? "ok" : r.error().message)); };
  }
  bool logged_lines(size_t n) {
    return run_until(io, [&] { return log.size() >= n; });
  }

  central::test::TempDir dir;
  boost::asio::io_context io;
  FakeCharon charon{dir.path() / "charon.vici"};
  Client client{io, charon.path()};
  std::vector<std::string> log;
};

TEST_F(ViciClientTest, VersionGoldenBytes) {
  // The golden reply is what the codec builds.
  EXPECT_EQ(hex(kVersionReply), packet(PacketType::cmd_response, {},
                                       Message{}.add("daemon", "charon").add("version", "5.9.8")));
  start([](FakePeer& peer) { answer_version(peer); });
  std::optional<Message> got;
  client.request("version", {}, [&](Result<Message> r) { got = r.value(); });
  ASSERT_TRUE(run_until(io, [&] { return got.has_value(); }));
  EXPECT_EQ(*got, Message{}.add("daemon", "charon").add("version", "5.9.8"));
  EXPECT_TRUE(client.is_open());
}

TEST_F(ViciClientTest, QueuedRequestsGoOneAtATimeInOrder) {
  start([](FakePeer& peer) {
    for (std::string n : {"1", "2", "3"}) {
      peer.expect(packet(PacketType::cmd_request, "cmd" + n, Message{}.add("n", n)));
      peer.expect_silence();  // the next waits for this answer
      peer.send(reply("answer", n));
    }
  });
  for (std::string n : {"1", "2", "3"})
    client.request("cmd" + n, Message{}.add("n", n), logged("cmd" + n, "answer"));
  ASSERT_TRUE(logged_lines(3));
  EXPECT_EQ(log, (std::vector<std::string>{"cmd1: 1", "cmd2: 2", "cmd3: 3"}));
}

TEST_F(ViciClientTest, RequestsBeforeConnectWaitForIt) {
  client.request("version", {}, logged("version", "daemon"));
  start([](FakePeer& peer) { answer_version(peer); });
  ASSERT_TRUE(logged_lines(1));
  EXPECT_EQ(log, (std::vector<std::string>{"version: charon"}));
}

TEST_F(ViciClientTest, EventBetweenRequestAndItsAnswer) {
  start([](FakePeer& peer) {
    confirm_ike_updown(peer);
    peer.expect(hex(kVersionRequest));
    peer.send(hex(kIkeUpdown));
    peer.send(hex(kVersionReply));
  });
  client.subscribe(
      "ike-updown",
      [&](const Message& m) {
        const Section* rs1 = m.section("rs1");
        log.push_back("event: up=" + *m.value("up") + " " + *rs1->value("state"));
      },
      logged("subscribe"));
  client.request("version", {}, logged("version", "version"));
  ASSERT_TRUE(logged_lines(3));
  EXPECT_EQ(log, (std::vector<std::string>{"subscribe: ok", "event: up=yes ESTABLISHED",
                                           "version: 5.9.8"}));
}

TEST_F(ViciClientTest, UnknownCommandFailsOnlyThatRequest) {
  start([](FakePeer& peer) {
    peer.expect(packet(PacketType::cmd_request, "frobnicate"));
    peer.send(hex("00000001  02"));  // CMD_UNKNOWN
    answer_version(peer);
  });
  client.request("frobnicate", {}, logged("frobnicate", "x"));
  client.request("version", {}, logged("version", "daemon"));
  ASSERT_TRUE(logged_lines(2));
  EXPECT_EQ(log, (std::vector<std::string>{"frobnicate: charon does not know command frobnicate",
                                           "version: charon"}));
}

TEST_F(ViciClientTest, UnknownEventFailsTheSubscription) {
  start([](FakePeer& peer) {
    peer.expect(packet(PacketType::event_register, "sa-bounce"));
    peer.send(hex("00000001  06"));  // EVENT_UNKNOWN
  });
  client.subscribe(
      "sa-bounce", [](const Message&) {}, logged("subscribe"));
  ASSERT_TRUE(logged_lines(1));
  EXPECT_EQ(log, (std::vector<std::string>{"subscribe: charon does not know event sa-bounce"}));
}

TEST_F(ViciClientTest, SecondSubscriptionToAnEventIsRefused) {
  start([](FakePeer& peer) { confirm_ike_updown(peer); });
  client.subscribe(
      "ike-updown", [](const Message&) {}, logged("first"));
  client.subscribe(
      "ike-updown", [](const Message&) {}, logged("second"));
  ASSERT_TRUE(logged_lines(2));
  EXPECT_EQ(log, (std::vector<std::string>{
                     "second: VICI " + charon.path() + ": already subscribed to event ike-updown",
                     "first: ok"}));
}

TEST_F(ViciClientTest, PeerClosingMidRequestFailsEveryPendingOne) {
  start([](FakePeer& peer) {
    peer.expect(hex(kVersionRequest));
    peer.close();
  });
  client.request("version", {}, logged("version", "daemon"));
  client.request("stats", {}, logged("stats", "uptime"));
  ASSERT_TRUE(logged_lines(3));
  const std::string why = "VICI " + charon.path() + ": connection closed by charon";
  EXPECT_EQ(log, (std::vector<std::string>{"version: " + why, "stats: " + why, "closed: " + why}));
  EXPECT_FALSE(client.is_open());
  // Later requests fail at once: a Client is one connection.
  client.request("version", {}, logged("late", "daemon"));
  ASSERT_TRUE(logged_lines(4));
  EXPECT_EQ(log.back(), "late: VICI " + charon.path() + ": not connected");
}

TEST_F(ViciClientTest, SegmentOverTheMaximumClosesTheConnection) {
  start([](FakePeer& peer) {
    peer.expect(hex(kVersionRequest));
    peer.send(hex("00080001  01"));  // 512 KiB + 1
    peer.expect_eof();
  });
  std::optional<Error> failed;
  client.request("version", {}, [&](Result<Message> r) { failed = r.error(); });
  ASSERT_TRUE(run_until(io, [&] { return failed.has_value(); }));
  const std::string why = "VICI " + charon.path() + ": segment length 524289, at most 524288";
  EXPECT_EQ(*failed, (Error{0, why}));
  ASSERT_TRUE(logged_lines(1));
  EXPECT_EQ(log, (std::vector<std::string>{"closed: " + why}));
  charon.join();  // expect_eof() passed: the socket is closed
}

TEST_F(ViciClientTest, AnswerWithNothingPendingClosesTheConnection) {
  start([](FakePeer& peer) { peer.send(hex(kConfirm)); });
  ASSERT_TRUE(logged_lines(1));
  EXPECT_EQ(log, (std::vector<std::string>{"closed: VICI " + charon.path() +
                                           ": unexpected EVENT_CONFIRM with no request pending"}));
}

TEST_F(ViciClientTest, RequestTheCodecRefusesFailsAlone) {
  start([](FakePeer& peer) { answer_version(peer); });
  client.request("", {}, logged("empty", "x"));
  client.request("version", {}, logged("version", "daemon"));
  ASSERT_TRUE(logged_lines(2));
  EXPECT_EQ(log, (std::vector<std::string>{"empty: CMD_REQUEST name: empty", "version: charon"}));
}

TEST_F(ViciClientTest, UnreadableEventIsDropped) {
  start([](FakePeer& peer) {
    confirm_ike_updown(peer);
    peer.expect(hex(kVersionRequest));
    peer.send(hex("0000000d  07 0a 696b652d7570646f776e 02"));  // a stray SECTION_END
    peer.send(hex(kVersionReply));
  });
  client.subscribe(
      "ike-updown", [&](const Message&) { log.push_back("event"); }, logged("subscribe"));
  client.request("version", {}, logged("version", "daemon"));
  ASSERT_TRUE(logged_lines(2));
  EXPECT_EQ(log, (std::vector<std::string>{"subscribe: ok", "version: charon"}));
  EXPECT_TRUE(client.is_open());
}

TEST_F(ViciClientTest, UnreadableAnswerClosesTheConnection) {
  start([](FakePeer& peer) {
    peer.expect(hex(kVersionRequest));
    peer.send(hex("00000002  01 02"));  // CMD_RESPONSE, a stray SECTION_END
    peer.expect_eof();
  });
  std::optional<Error> failed;
  client.request("version", {}, [&](Result<Message> r) { failed = r.error(); });
  ASSERT_TRUE(logged_lines(1));
  const std::string why =
      "VICI " + charon.path() + ": bad packet: SECTION_END without SECTION_START";
  EXPECT_EQ(failed, (Error{1, why}));
  EXPECT_EQ(log, (std::vector<std::string>{"closed: " + why}));
}

TEST_F(ViciClientTest, HandlerMayCloseTheClient) {
  start([](FakePeer& peer) {
    confirm_ike_updown(peer);
    peer.expect(hex(kVersionRequest));
    peer.send(hex(kIkeUpdown));
    peer.send(hex(kVersionReply));
    peer.expect_eof();
  });
  client.subscribe(
      "ike-updown",
      [&](const Message&) {
        log.push_back("event");
        client.close();
      },
      logged("subscribe"));
  client.request("version", {}, logged("version", "daemon"));
  ASSERT_TRUE(logged_lines(2));
  charon.join();
  io.restart();
  io.poll();
  EXPECT_EQ(log, (std::vector<std::string>{"subscribe: ok", "event"}));
}

TEST_F(ViciClientTest, CloseCallsNothingAndHangsUp) {
  start([](FakePeer& peer) {
    peer.expect(hex(kVersionRequest));
    peer.expect_eof();
  });
  client.request("version", {}, logged("version", "daemon"));
  io.run_for(std::chrono::milliseconds(200));  // the request goes out
  client.close();
  charon.join();
  io.restart();
  io.poll();
  EXPECT_EQ(log, std::vector<std::string>{});
}

TEST(ViciClient, ConnectFailureNamesThePath) {
  central::test::TempDir dir;
  boost::asio::io_context io;
  const std::string path = (dir.path() / "charon.vici").string();
  Client client(io, path);
  std::vector<std::string> log;
  client.request("version", {}, [&](Result<Message> r) { log.push_back(r.error().message); });
  client.connect([&](Result<void> r) { log.push_back(r.error().message); },
                 [&](const Error&) { log.push_back("on_closed"); });
  ASSERT_TRUE(run_until(io, [&] { return log.size() == 2; }));
  io.poll();  // on_closed stays quiet: the connection never opened
  const std::string why = "VICI " + path + ": No such file or directory";
  EXPECT_EQ(log, (std::vector<std::string>{why, why}));
}

TEST(ViciClient, PathLongerThanSockaddrUn) {
  boost::asio::io_context io;
  const std::string path = "/tmp/" + std::string(103, 'v');  // 108 bytes, no room for the NUL
  Client client(io, path);
  std::optional<Error> failed;
  client.connect([&](Result<void> r) { failed = r.error(); }, [](const Error&) {});
  ASSERT_TRUE(run_until(io, [&] { return failed.has_value(); }));
  EXPECT_EQ(failed->message, "VICI " + path + ": File name too long");
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
