// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cli/control_client.h"
#include "cli_test_support.h"

namespace nwbpf::cli {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::ScriptedAgent;

const json kShowPorts = {{"command", "show"}, {"object", "ports"}};

std::string error_of(const std::string& socket, ControlClientOptions options = {}) {
  try {
    control_request(socket, kShowPorts, options);
  } catch (const AgentUnreachable& e) {
    return std::string("unreachable: ") + e.what();
  } catch (const ControlError& e) {
    return e.what();
  }
  return "no exception";
}

TEST(CliControlClient, SendsOneLineAndReturnsTheResult) {
  ScriptedAgent agent(R"({"ok": true, "result": [{"name": "vetha"}]})"
                      "\n");
  EXPECT_EQ(control_request(agent.path(), kShowPorts).dump(), R"([{"name":"vetha"}])");
  EXPECT_EQ(agent.request(), "{\"command\":\"show\",\"object\":\"ports\"}\n");
}

TEST(CliControlClient, OnlyTheFirstLineCounts) {
  ScriptedAgent agent("{\"ok\": true, \"result\": 1}\ntrailing garbage");
  EXPECT_EQ(control_request(agent.path(), kShowPorts), json(1));
}

TEST(CliControlClient, AgentErrorIsItsOwnLine) {
  ScriptedAgent agent(R"({"ok": false, "error": "unknown object \"bgp\""})"
                      "\n");
  EXPECT_EQ(error_of(agent.path()), "nwbpfd: unknown object \"bgp\"");
}

TEST(CliControlClient, NoSocketIsUnreachable) {
  EXPECT_EQ(error_of("/nonexistent/nwbpf.sock"), "unreachable: No such file or directory");
  EXPECT_EQ(error_of("/tmp/" + std::string(120, 'x')),
            "unreachable: socket path is longer than 107 bytes");
}

TEST(CliControlClient, SilentAgentTimesOut) {
  ScriptedAgent agent("", 600ms);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of(agent.path(), {.timeout = 200ms}),
            "nwbpfd at " + agent.path() + " did not answer within 200 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 550ms);
}

TEST(CliControlClient, BrokenAnswersAreReported) {
  {
    ScriptedAgent agent("");
    EXPECT_EQ(error_of(agent.path()),
              "nwbpfd at " + agent.path() + " closed the connection without answering");
  }
  {
    ScriptedAgent agent(R"({"ok": tr)");
    EXPECT_EQ(error_of(agent.path()),
              "nwbpfd at " + agent.path() + " closed the connection in the middle of its answer");
  }
  {
    ScriptedAgent agent("hello\n");
    EXPECT_EQ(error_of(agent.path()),
              "nwbpfd at " + agent.path() + " answered with something that is not JSON");
  }
  {
    ScriptedAgent agent("[1]\n");
    EXPECT_EQ(error_of(agent.path()),
              "nwbpfd at " + agent.path() + " answered without a boolean \"ok\"");
  }
}

TEST(CliControlClient, AnswerLongerThanTheLimitIsRefused) {
  ScriptedAgent agent(R"({"ok": true, "result": "0123456789"})"
                      "\n");
  EXPECT_EQ(error_of(agent.path(), {.max_line = 16}),
            "answer from nwbpfd at " + agent.path() + " is longer than 16 bytes");
}

TEST(CliControlClient, AnswerOfExactlyTheLimitIsAccepted) {
  std::string line = R"({"ok":true,"result":"abc"})";
  ScriptedAgent agent(line + "\n");
  EXPECT_EQ(control_request(agent.path(), kShowPorts, {.max_line = line.size()}), json("abc"));
}

}  // namespace
}  // namespace nwbpf::cli
