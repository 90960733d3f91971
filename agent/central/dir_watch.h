// SPDX-License-Identifier: Apache-2.0
// The config server's watch on its directory (issue 6): which CE's file
// changed, so that CE can be kicked. inotify(7) under Asio's
// stream_descriptor, on the caller's io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net_types.h"

namespace nwbpf::central {

// One file of a CE changed: <directory>/<folder>/<file>, file == ce + ".json".
struct Change {
  std::string folder;
  std::string file;
  Ipv4 ce;
  bool operator==(const Change&) const = default;
};

// The CE a file name is for: "A.B.C.D.json" (a strict dotted quad), else
// nullopt (editors' temporary files, other names).
std::optional<Ipv4> ce_of_file(std::string_view name);

// Reports a Change when a file of a configured folder is written
// (IN_CLOSE_WRITE) or renamed into place (IN_MOVED_TO), the two ways an
// operator or a tool publishes a file. Folders that do not exist yet are
// watched when created (or renamed in); the files written into such a
// folder before its watch was added are reported by a scan then, so a
// file can be reported twice in that short window (a kick is idempotent).
// When the kernel's queue overflows, every file of every watched folder is
// reported: some changes were lost, and which is unknown.
class DirWatch {
 public:
  using Handler = std::function<void(const Change&)>;

  // Throws std::system_error if inotify or the directory's watch fails.
  DirWatch(boost::asio::io_context& io, std::filesystem::path directory,
           std::vector<std::string> folders, Handler handler);
  ~DirWatch();
  DirWatch(const DirWatch&) = delete;
  DirWatch& operator=(const DirWatch&) = delete;

 private:
  void read();
  void on_events(std::size_t bytes);
  void on_root_event(std::uint32_t mask, const std::string& name);
  // Adds a folder's watch; `scan` reports the files already there.
  void watch_folder(const std::string& folder, bool scan);
  void scan(const std::string& folder);
  void report(const std::string& folder, const std::string& file);

  std::filesystem::path directory_;
  std::vector<std::string> folders_;
  Handler handler_;
  boost::asio::posix::stream_descriptor inotify_;
  int root_watch_ = -1;
  std::map<int, std::string> watches_;  // watch descriptor -> folder
  // Aligned for struct inotify_event, as inotify(7) shows.
  alignas(8) char buffer_[64 * 1024];
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace nwbpf::central
