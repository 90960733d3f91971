// SPDX-License-Identifier: Apache-2.0
// The VICI client against Debian's real charon (charon-systemd 5.9.8), which
// ipsec_vici_charon.sh starts in a private mount and network namespace with
// its own /run: the default socket path, version, the unknown command and
// event answers, a PSK loaded and read back, a failure reply (success = no,
// a value, not an error), and control-log events arriving while initiate is
// in flight. Run alone it fails unless a charon answers on /run/charon.vici.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "ipsec/vici_client.h"
#include "ipsec_vici_client_test_support.h"

namespace nwbpf::ipsec::vici {
namespace {

using test::run_until;

class CharonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<Result<void>> connected;
    client.connect([&](Result<void> r) { connected = r; },
                   [](const Error& why) { ADD_FAILURE() << "lost: " << why.message; });
    ASSERT_TRUE(run_until(io, [&] { return connected.has_value(); }));
    ASSERT_TRUE(*connected) << connected->error().message;
  }
  // One command, waited for.
  Result<Message> call(std::string command, Message message = {}) {
    std::optional<Result<Message>> reply;
    client.request(std::move(command), std::move(message),
                   [&](Result<Message> r) { reply = std::move(r); });
    if (!run_until(io, [&] { return reply.has_value(); })) return Error{0, "no reply in 5 s"};
    return *reply;
  }
  Result<void> subscribe(std::string event, EventHandler handler) {
    std::optional<Result<void>> done;
    client.subscribe(std::move(event), std::move(handler), [&](Result<void> r) { done = r; });
    if (!run_until(io, [&] { return done.has_value(); })) return Error{0, "no answer in 5 s"};
    return *done;
  }
  static std::string value(const Result<Message>& reply, std::string_view key) {
    if (!reply) return "error: " + reply.error().message;
    const Value* v = reply.value().value(key);
    return v ? *v : "(no " + std::string(key) + ")";
  }

  boost::asio::io_context io;
  Client client{io};  // kDefaultSocketPath, charon's own /run in the namespace
};

TEST_F(CharonTest, Version) {
  auto reply = call("version");
  // Debian's charon names itself after its binary.
  EXPECT_EQ(value(reply, "daemon"), "charon-systemd");
  EXPECT_TRUE(std::regex_match(value(reply, "version"), std::regex(R"(5\.9\.\d+)")))
      << value(reply, "version");
  EXPECT_EQ(value(reply, "sysname"), "Linux");
}

TEST_F(CharonTest, UnknownCommandAndEvent) {
  auto reply = call("frobnicate");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "charon does not know command frobnicate");
  auto registered = subscribe("frobnicated", [](const Message&) {});
  ASSERT_FALSE(registered);
  EXPECT_EQ(registered.error().message, "charon does not know event frobnicated");
  // The connection stays usable after both.
  EXPECT_EQ(value(call("version"), "daemon"), "charon-systemd");
  EXPECT_TRUE(subscribe("ike-updown", [](const Message&) {})) << "ike-updown";
  EXPECT_TRUE(subscribe("child-updown", [](const Message&) {})) << "child-updown";
}

TEST_F(CharonTest, SharedKeyLoadedReadBackAndUnloaded) {
  auto loaded = call("load-shared", Message{}
                                        .add("id", "nwbpf-vici-test")
                                        .add("type", "IKE")
                                        .add("data", "s3cr3t-psk")
                                        .add("owners", List{"192.0.2.1", "192.0.2.2"}));
  EXPECT_EQ(value(loaded, "success"), "yes") << value(loaded, "errmsg");
  auto keys = call("get-shared");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_NE(keys.value().list("keys"), nullptr);
  EXPECT_EQ(*keys.value().list("keys"), List{"nwbpf-vici-test"});

  auto unloaded = call("unload-shared", Message{}.add("id", "nwbpf-vici-test"));
  EXPECT_EQ(value(unloaded, "success"), "yes") << value(unloaded, "errmsg");
  keys = call("get-shared");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_NE(keys.value().list("keys"), nullptr);
  EXPECT_EQ(*keys.value().list("keys"), List{});
}

TEST_F(CharonTest, FailureIsAReplyNotAnError) {
  auto reply = call("load-shared", Message{}.add("type", "BOGUS").add("data", "x"));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(value(reply, "success"), "no");
  EXPECT_EQ(value(reply, "errmsg"), "invalid shared key type: BOGUS");
}

// initiate streams its log as control-log events on the same connection
// before its reply: events interleaved with a command in flight.
TEST_F(CharonTest, ControlLogEventsWhileInitiateRuns) {
  std::vector<std::string> seen;
  ASSERT_TRUE(subscribe("control-log", [&](const Message& m) {
    const Value* msg = m.value("msg");
    seen.push_back(msg ? *msg : "(no msg)");
  }));
  auto conn = Section{}
                  .add("version", "2")
                  .add("local_addrs", List{"192.0.2.1"})
                  .add("remote_addrs", List{"192.0.2.2"})
                  .add("local", Section{}.add("auth", "psk"))
                  .add("remote", Section{}.add("auth", "psk"))
                  .add("children", Section{}.add("c", Section{}.add("mode", "transport")));
  auto loaded = call("load-conn", Message{}.add("nwbpf-test", std::move(conn)));
  ASSERT_EQ(value(loaded, "success"), "yes") << value(loaded, "errmsg");

  bool replied = false;
  size_t events_before_reply = 0;
  std::string success, errmsg;
  client.request("initiate", Message{}.add("child", "c").add("timeout", "500"),
                 [&](Result<Message> r) {
                   replied = true;
                   events_before_reply = seen.size();
                   success = value(r, "success");
                   errmsg = value(r, "errmsg");
                 });
  ASSERT_TRUE(run_until(io, [&] { return replied; }));
  // Nothing answers at 192.0.2.2 in the namespace (only lo is up).
  EXPECT_EQ(success, "no");
  EXPECT_EQ(errmsg, "CHILD_SA 'c' not established after 500ms");
  ASSERT_GT(events_before_reply, 0u);
  EXPECT_TRUE(std::regex_match(
      seen[0], std::regex(R"(initiating IKE_SA nwbpf-test\[\d+\] to 192\.0\.2\.2)")))
      << seen[0];
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
