// SPDX-License-Identifier: Apache-2.0
// The control socket, for real: a ControlServer in a temporary directory and
// a client on a real Unix socket (no root needed).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "control/protocol.h"
#include "daemon/control_server.h"

namespace nwbpf::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using stream = asio::local::stream_protocol;

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/nwbpf-control-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/run/agent.sock";  // "run" does not exist yet
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ControlBackend backend() {
    ControlBackend b;
    b.show_ports = [] { return nlohmann::json::array({"vetha"}); };
    return b;
  }

  // Sends `request` as is and returns everything the server wrote until it
  // closed, running the server's io_context meanwhile.
  std::string ask(const std::string& request, bool shutdown_write = false) {
    auto answer = std::async(std::launch::async, [&] {
      asio::io_context client_io;
      stream::socket s(client_io);
      s.connect(stream::endpoint(path_));
      asio::write(s, asio::buffer(request));
      if (shutdown_write) s.shutdown(stream::socket::shutdown_send);
      std::string out;
      boost::system::error_code ec;
      asio::read(s, asio::dynamic_buffer(out), ec);
      return out;
    });
    while (answer.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
      io_.run_for(std::chrono::milliseconds(10));
      io_.restart();
    }
    return answer.get();
  }

  asio::io_context io_;
  std::string dir_;
  std::string path_;
};

TEST_F(ControlServerTest, AnswersOneRequestPerConnection) {
  ControlServer server(io_, path_, backend());
  EXPECT_EQ(ask("{\"command\":\"show\",\"object\":\"ports\"}\n"),
            "{\"ok\":true,\"result\":[\"vetha\"]}\n");
  EXPECT_EQ(ask("show fdb\n"), "{\"error\":\"malformed JSON at byte 1\",\"ok\":false}\n");
}

TEST_F(ControlServerTest, RequestWithoutNewlineBeforeShutdownIsAnswered) {
  ControlServer server(io_, path_, backend());
  EXPECT_EQ(ask("{\"command\":\"show\",\"object\":\"ports\"}", true),
            "{\"ok\":true,\"result\":[\"vetha\"]}\n");
}

TEST_F(ControlServerTest, OversizeLineGetsAnError) {
  ControlServer server(io_, path_, backend());
  EXPECT_EQ(ask(std::string(control::kMaxLine + 10, ' ')),
            "{\"error\":\"request longer than 16777216 bytes\",\"ok\":false}\n");
}

TEST_F(ControlServerTest, SocketIsPrivate) {
  ControlServer server(io_, path_, backend());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ControlServerTest, RefusesWhenAnotherAgentAnswers) {
  ControlServer first(io_, path_, backend());
  try {
    ControlServer second(io_, path_, backend());
    FAIL() << "second server started";
  } catch (const ControlSocketError& e) {
    EXPECT_EQ(std::string(e.what()),
              "another agent answers on " + path_ + " (same agent.instance?); refusing to start");
  }
  EXPECT_EQ(ask("{\"command\":\"show\",\"object\":\"ports\"}\n"),
            "{\"ok\":true,\"result\":[\"vetha\"]}\n");
}

TEST_F(ControlServerTest, ReplacesAStaleSocket) {
  fs::create_directories(fs::path(path_).parent_path());
  {
    // An agent that died: the file stays, nothing listens.
    stream::acceptor dead(io_, stream::endpoint(path_));
  }
  ASSERT_TRUE(fs::exists(path_));
  ControlServer server(io_, path_, backend());
  EXPECT_EQ(ask("{\"command\":\"show\",\"object\":\"ports\"}\n"),
            "{\"ok\":true,\"result\":[\"vetha\"]}\n");
}

TEST_F(ControlServerTest, RefusesToReplaceAFileThatIsNoSocket) {
  fs::create_directories(fs::path(path_).parent_path());
  std::ofstream(path_) << "keep me";
  try {
    ControlServer server(io_, path_, backend());
    FAIL() << "server started";
  } catch (const ControlSocketError& e) {
    EXPECT_EQ(std::string(e.what()), path_ + " exists and is not a socket; refusing to replace it");
  }
  EXPECT_TRUE(fs::exists(path_));
}

TEST_F(ControlServerTest, StopRemovesTheSocket) {
  ControlServer server(io_, path_, backend());
  server.stop();
  EXPECT_FALSE(fs::exists(path_));
}

}  // namespace
}  // namespace nwbpf::daemon
