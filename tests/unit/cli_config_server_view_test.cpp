// SPDX-License-Identifier: Apache-2.0
// The text of `show config-server` from the agent's answers: a server at
// work (kicks kicked, retrying and in flight), one that cannot listen or
// watch yet and has seen nothing, and answers of the wrong shape.
#include <gtest/gtest.h>

#include "cli/agent_view.h"
#include "cli/config_server_view.h"

namespace nwbpf::cli {
namespace {

using nlohmann::json;

const json kWorking = json::parse(R"({
  "listen": "0.0.0.0:80", "listening": true, "listen_error": "",
  "directory": "/srv/nwbpf", "watching": true, "watch_error": "", "kick_tries": 5,
  "folders": [{"name": "portconfig", "kick_port": 8080}, {"name": "ebconfig", "kick_port": 8081}],
  "kicks": {"requested": 4, "coalesced": 1, "tries": 5, "succeeded": 2, "failed": 3,
            "given_up": 0},
  "pending": [
    {"ce": "10.0.0.2", "port": 8080, "tries": 2, "in_flight": false,
     "last_error": "10.0.0.2 is not registered with NHRP"},
    {"ce": "10.0.0.3", "port": 8081, "tries": 1, "in_flight": true, "last_error": ""}],
  "changes": [
    {"time": "2026-11-22T16:20:03.500Z", "folder": "ebconfig", "file": "10.0.0.3.json",
     "ce": "10.0.0.3", "kick_port": 8081, "kick": "pending", "tries": 1, "error": ""},
    {"time": "2026-11-22T16:20:02.250Z", "folder": "portconfig", "file": "10.0.0.2.json",
     "ce": "10.0.0.2", "kick_port": 8080, "kick": "retrying", "tries": 2,
     "error": "10.0.0.2 is not registered with NHRP"},
    {"time": "2026-11-22T16:20:01.123Z", "folder": "portconfig", "file": "10.0.0.1.json",
     "ce": "10.0.0.1", "kick_port": 8080, "kick": "kicked", "tries": 1, "error": ""},
    {"time": "2026-11-22T16:19:00.000Z", "folder": "portconfig", "file": "10.0.0.4.json",
     "ce": "10.0.0.4", "kick_port": 8080, "kick": "gave up", "tries": 5,
     "error": "connect: Connection refused"}]})");

// clang-format off
TEST(CliConfigServerView, AServerAtWork) {
  EXPECT_EQ(config_server_text(kWorking),
    "Config server: listening on 0.0.0.0:80\n"
    "Directory: /srv/nwbpf, watched\n"
    "Folders: portconfig (kick port 8080), ebconfig (kick port 8081)\n"
    "Kicks: requested 4, coalesced 1, tries 5, succeeded 2, failed 3, given up 0 (5 tries per kick)\n"
    "\n"
    "Pending kicks:\n"
    "CE        PORT  TRIES  STATE      LAST ERROR\n"
    "10.0.0.2  8080      2  waiting    10.0.0.2 is not registered with NHRP\n"
    "10.0.0.3  8081      1  in flight  -\n"
    "\n"
    "Recent changes (newest first):\n"
    "TIME                      FILE                      CE        KICK PORT  KICK      TRIES  ERROR\n"
    "2026-11-22T16:20:03.500Z  ebconfig/10.0.0.3.json    10.0.0.3       8081  pending       1  -\n"
    "2026-11-22T16:20:02.250Z  portconfig/10.0.0.2.json  10.0.0.2       8080  retrying      2  10.0.0.2 is not registered with NHRP\n"
    "2026-11-22T16:20:01.123Z  portconfig/10.0.0.1.json  10.0.0.1       8080  kicked        1  -\n"
    "2026-11-22T16:19:00.000Z  portconfig/10.0.0.4.json  10.0.0.4       8080  gave up       5  connect: Connection refused\n");
}

TEST(CliConfigServerView, NotListeningNotWatchingNothingYet) {
  json a = kWorking;
  a["listening"] = false;
  a["listen_error"] = "bind: Address already in use";
  a["watching"] = false;
  a["watch_error"] = "inotify_add_watch /srv/nwbpf: No such file or directory";
  a["folders"] = json::array();
  a["kicks"] = json::parse(R"({"requested": 0, "coalesced": 0, "tries": 0, "succeeded": 0,
                                "failed": 0, "given_up": 0})");
  a["pending"] = json::array();
  a["changes"] = json::array();
  EXPECT_EQ(config_server_text(a),
    "Config server: NOT listening on 0.0.0.0:80: bind: Address already in use (retrying)\n"
    "Directory: /srv/nwbpf, NOT watched: inotify_add_watch /srv/nwbpf: No such file or directory (retrying)\n"
    "Folders: none\n"
    "Kicks: requested 0, coalesced 0, tries 0, succeeded 0, failed 0, given up 0 (5 tries per kick)\n"
    "\n"
    "Pending kicks:\n"
    "No kick pending.\n"
    "\n"
    "Recent changes (newest first):\n"
    "No file changed since the server started.\n");
}
// clang-format on

std::string error_of(const json& answer) {
  try {
    config_server_text(answer);
  } catch (const AnswerError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CliConfigServerView, AnswersOfTheWrongShapeAreOneClearLine) {
  const std::string prefix = "unexpected answer from nwbpfd: ";
  EXPECT_EQ(error_of(json::array()), prefix + "result is not an object");
  json a = kWorking;
  a.erase("listen");
  EXPECT_EQ(error_of(a), prefix + "result has no \"listen\"");
  a = kWorking;
  a["pending"][1].erase("in_flight");
  EXPECT_EQ(error_of(a), prefix + "pending[1] has no \"in_flight\"");
  a = kWorking;
  a["changes"][0]["kick"] = "done";
  EXPECT_EQ(error_of(a),
            prefix + "changes[0].kick is \"done\", not one of pending, retrying, kicked, gave up");
  a = kWorking;
  a["kicks"].erase("given_up");
  EXPECT_EQ(error_of(a), prefix + "kicks has no \"given_up\"");
}

}  // namespace
}  // namespace nwbpf::cli
