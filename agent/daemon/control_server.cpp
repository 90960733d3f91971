// SPDX-License-Identifier: Apache-2.0
#include "daemon/control_server.h"

#include <sys/stat.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <filesystem>
#include <memory>

#include "common/log.h"
#include "control/protocol.h"

namespace nwbpf::daemon {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

// A client that connects and says nothing must not hold a descriptor forever.
constexpr std::chrono::seconds kSessionTimeout{10};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(stream::socket socket, std::shared_ptr<const ControlBackend> backend)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        backend_(std::move(backend)),
        // One byte over the limit, so an oversize line is seen as such.
        buffer_(control::kMaxLine + 1) {}

  void start() {
    timer_.expires_after(kSessionTimeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->close();
    });
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       size_t n) { self->on_line(ec, n); });
  }

 private:
  void on_line(const boost::system::error_code& ec, size_t n) {
    std::string line;
    if (!ec) {
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + n - 1);
    } else if ((ec == asio::error::not_found || ec == asio::error::eof) && buffer_.size() > 0) {
      // Full buffer without a newline, or a client that shut down its side
      // without one: answer what arrived (oversize gets its error).
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_end(buffer_.data()));
    } else {
      close();
      return;
    }
    answer_ = answer_line(answer_request(line, *backend_));
    asio::async_write(
        socket_, asio::buffer(answer_),
        [self = shared_from_this()](const boost::system::error_code&, size_t) { self->close(); });
  }

  void close() {
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.shutdown(stream::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  stream::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<const ControlBackend> backend_;
  asio::streambuf buffer_;
  std::string answer_;
};

// Whether something accepts connections on `path` (a running agent).
bool answers(asio::io_context& io, const std::string& path) {
  stream::socket probe(io);
  boost::system::error_code ec;
  probe.connect(stream::endpoint(path), ec);
  return !ec;
}

}  // namespace

ControlServer::ControlServer(asio::io_context& io, std::string path, ControlBackend backend)
    : io_(io),
      path_(std::move(path)),
      backend_(std::make_shared<const ControlBackend>(std::move(backend))),
      acceptor_(io),
      retry_(io) {
  namespace fs = std::filesystem;
  std::error_code fec;
  fs::path dir = fs::path(path_).parent_path();
  if (!dir.empty()) fs::create_directories(dir, fec);
  if (fec) throw ControlSocketError("cannot create " + dir.string() + ": " + fec.message());

  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode))
      throw ControlSocketError(path_ + " exists and is not a socket; refusing to replace it");
    if (answers(io_, path_))
      throw ControlSocketError("another agent answers on " + path_ +
                               " (same agent.instance?); refusing to start");
    log::get("control")->info("removing stale control socket {}", path_);
    fs::remove(path_, fec);
    if (fec) throw ControlSocketError("cannot remove stale " + path_ + ": " + fec.message());
  }

  boost::system::error_code ec;
  acceptor_.open(stream(), ec);
  // umask, not chmod after bind: no window in which others may connect.
  mode_t old_mask = ::umask(0177);
  if (!ec) acceptor_.bind(stream::endpoint(path_), ec);
  ::umask(old_mask);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw ControlSocketError("cannot listen on " + path_ + ": " + ec.message());
  accept();
}

ControlServer::~ControlServer() { stop(); }

void ControlServer::stop() {
  if (!acceptor_.is_open()) return;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  std::error_code fec;
  std::filesystem::remove(path_, fec);
}

void ControlServer::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, stream::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), backend_)->start();
      accept();
      return;
    }
    // Out of descriptors or memory: retrying at once would spin.
    log::get("control")->warn("accept on {}: {}", path_, ec.message());
    retry_.expires_after(std::chrono::milliseconds(200));
    retry_.async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec) accept();
    });
  });
}

}  // namespace nwbpf::daemon
