// SPDX-License-Identifier: Apache-2.0
#include "central/config_server.h"

#include <spdlog/fmt/ranges.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/log.h"

namespace nwbpf::central {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

namespace {

// A CE fetches a small file and goes; a connection idle this long is dropped
// so a stuck client does not hold a socket for ever.
constexpr auto kIdleTimeout = std::chrono::seconds(30);
// Requests are bodiless GETs; anything bigger is not one of ours.
constexpr std::uint64_t kRequestBodyLimit = 8 * 1024;

constexpr std::string_view kSuffix = ".json";

bool plain_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

ServeDecision refuse(unsigned status, std::string reason) {
  return {status, {}, std::move(reason)};
}

// True when `inner` is `outer` or below it; both canonical.
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto [end, _] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return end == outer.end();
}

}  // namespace

ServeDecision decide(std::string_view method, std::string_view target, const fs::path& directory,
                     const std::vector<std::string>& folders) {
  if (method != "GET") return refuse(405, "only GET is served");
  // Exactly "/<folder>/<name>.json": no query, no escapes (a CE asks for a
  // plain name), no empty or extra components, so no "..".
  if (!target.starts_with('/')) return refuse(400, "the target is not an absolute path");
  std::string_view rest = target.substr(1);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    return refuse(400, "the target is not /<folder>/<file>.json");
  std::string_view folder = rest.substr(0, slash), name = rest.substr(slash + 1);
  if (std::find(folders.begin(), folders.end(), folder) == folders.end())
    return refuse(400, "no such folder");
  if (!plain_name(name)) return refuse(400, "the file name is not a plain name");
  if (!name.ends_with(kSuffix) || name.size() == kSuffix.size())
    return refuse(400, "only .json files are served");

  fs::path base = directory / folder;
  std::error_code ec;
  fs::path file = fs::canonical(base / name, ec);  // resolves every symlink
  if (ec) return refuse(404, "no such file");
  fs::path canonical_base = fs::canonical(base, ec);
  // A symlink out of the folder (or a folder that is a symlink out of the
  // directory) is not served: the directory is all the operator published.
  if (ec || !is_within(canonical_base, directory) || !is_within(file, canonical_base))
    return refuse(404, "no such file");
  if (!fs::is_regular_file(file, ec)) return refuse(404, "no such file");
  return {200, file, {}};
}

namespace detail {

struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(asio::io_context& io, fs::path dir, std::vector<std::string> f)
      : acceptor(io), directory(std::move(dir)), folders(std::move(f)) {}

  tcp::acceptor acceptor;
  fs::path directory;
  std::vector<std::string> folders;
  std::shared_ptr<spdlog::logger> log = log::get("central");

  void accept();
};

}  // namespace detail

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<const detail::ServerState> server)
      : stream_(std::move(socket)), server_(std::move(server)) {}

  void read() {
    parser_.emplace();
    parser_->body_limit(kRequestBodyLimit);
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return close();
    if (ec) return;  // timeout, reset, or a malformed request: just drop it
    const auto& request = parser_->get();
    std::string_view method(request.method_string().data(), request.method_string().size());
    std::string_view target(request.target().data(), request.target().size());
    ServeDecision decision = decide(method, target, server_->directory, server_->folders);
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request.version());
    response->keep_alive(request.keep_alive());
    response->set(http::field::server, "nwbpf");
    if (decision.status == 200 && !read_file(decision.file, response->body()))
      decision = {404, {}, "no such file"};  // removed between the check and the read
    response->result(decision.status);
    if (decision.status == 200) {
      response->set(http::field::content_type, "application/json");
    } else {
      response->set(http::field::content_type, "text/plain");
      response->body() = decision.reason + "\n";
      if (decision.status == 405) response->set(http::field::allow, "GET");
      server_->log->debug("config server: {} {} from {}: {} {}", method, target, peer(),
                          decision.status, decision.reason);
    }
    response->prepare_payload();
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (response->need_eof()) return self->close();
                        self->read();
                      });
  }

  static bool read_file(const fs::path& file, std::string& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = std::move(text).str();
    return !in.bad();
  }

  std::string peer() {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    return ec ? "?" : endpoint.address().to_string();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const detail::ServerState> server_;
};

}  // namespace

void detail::ServerState::accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (ec)
      self->log->warn("config server: accept failed: {}", ec.message());
    else
      std::make_shared<Session>(std::move(socket), self)->read();
    self->accept();
  });
}

ConfigServer::ConfigServer(asio::io_context& io, fs::path directory,
                           std::vector<std::string> folders)
    : state_(std::make_shared<detail::ServerState>(io, fs::canonical(directory),
                                                   std::move(folders))) {}

ConfigServer::~ConfigServer() { close(); }

void ConfigServer::listen(const tcp::endpoint& endpoint) {
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  state_->log->info("config server: serving {} ({}) on {}:{}", state_->directory.string(),
                    fmt::join(state_->folders, ", "), endpoint.address().to_string(),
                    state_->acceptor.local_endpoint().port());
  state_->accept();
}

tcp::endpoint ConfigServer::local_endpoint() const { return state_->acceptor.local_endpoint(); }

void ConfigServer::close() {
  beast::error_code ec;
  state_->acceptor.close(ec);
}

}  // namespace nwbpf::central
