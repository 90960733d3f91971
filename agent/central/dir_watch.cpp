// SPDX-License-Identifier: Apache-2.0
#include "central/dir_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/log.h"

namespace nwbpf::central {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSuffix = ".json";

// A folder: its files' final writes and renames into place, and its own
// removal or renaming away (the watch ends; IN_IGNORED follows).
constexpr uint32_t kFolderMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR;
// The directory: folders appearing, by mkdir or by a rename into it.
constexpr uint32_t kRootMask = IN_CREATE | IN_MOVED_TO | IN_ONLYDIR;

std::system_error errno_error(const std::string& what) {
  return std::system_error(errno, std::generic_category(), what);
}

int open_inotify() {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) throw errno_error("inotify_init1");
  return fd;
}

}  // namespace

std::optional<Ipv4> ce_of_file(std::string_view name) {
  if (!name.ends_with(kSuffix)) return std::nullopt;
  return Ipv4::parse(name.substr(0, name.size() - kSuffix.size()));
}

DirWatch::DirWatch(boost::asio::io_context& io, fs::path directory,
                   std::vector<std::string> folders, Handler handler)
    : directory_(std::move(directory)),
      folders_(std::move(folders)),
      handler_(std::move(handler)),
      inotify_(io, open_inotify()) {
  root_watch_ = ::inotify_add_watch(inotify_.native_handle(), directory_.c_str(), kRootMask);
  if (root_watch_ < 0) throw errno_error("inotify_add_watch " + directory_.string());
  // A folder that exists now is watched without a scan: a CE fetches at
  // start, so only later changes need a kick. A folder missing now is
  // picked up by the root watch.
  for (const auto& folder : folders_)
    if (fs::is_directory(directory_ / folder)) watch_folder(folder, false);
  read();
}

DirWatch::~DirWatch() { *alive_ = false; }

void DirWatch::read() {
  inotify_.async_read_some(boost::asio::buffer(buffer_),
                           [this, alive = alive_](boost::system::error_code ec, std::size_t bytes) {
                             if (!*alive || ec == boost::asio::error::operation_aborted) return;
                             if (ec) {
                               log::get("central")->error(
                                   "config server: inotify read failed: {}; {} is no longer "
                                   "watched, changes are not kicked",
                                   ec.message(), directory_.string());
                               return;
                             }
                             on_events(bytes);
                             read();
                           });
}

void DirWatch::on_events(std::size_t bytes) {
  // The kernel returns whole events only (inotify(7)), each followed by its
  // NUL-padded name.
  for (std::size_t at = 0; at + sizeof(inotify_event) <= bytes;) {
    inotify_event event;
    std::memcpy(&event, buffer_ + at, sizeof event);
    std::string name(buffer_ + at + sizeof event,
                     ::strnlen(buffer_ + at + sizeof event, event.len));
    at += sizeof event + event.len;
    if (event.mask & IN_Q_OVERFLOW) {
      log::get("central")->warn(
          "config server: inotify queue overflow; kicking every CE "
          "with a file");
      for (const auto& [wd, folder] : watches_) scan(folder);
      continue;
    }
    if (event.wd == root_watch_) {
      on_root_event(event.mask, name);
    } else if (auto it = watches_.find(event.wd); it != watches_.end()) {
      if (event.mask & IN_IGNORED)
        watches_.erase(it);  // the folder was removed: its watch is gone
      else if (!(event.mask & IN_ISDIR))
        report(it->second, name);
    }
  }
}

void DirWatch::on_root_event(std::uint32_t mask, const std::string& name) {
  if (!(mask & IN_ISDIR)) return;
  if (std::find(folders_.begin(), folders_.end(), name) == folders_.end()) return;
  watch_folder(name, true);
}

void DirWatch::watch_folder(const std::string& folder, bool scan_now) {
  fs::path path = directory_ / folder;
  int wd = ::inotify_add_watch(inotify_.native_handle(), path.c_str(), kFolderMask);
  if (wd < 0) {
    // Gone again, or a symlink or file in its place: nothing to watch.
    log::get("central")->warn("config server: cannot watch {}: {}", path.string(),
                              std::strerror(errno));
    return;
  }
  // A folder replaced by another of the same name gets a new descriptor;
  // the old one's IN_IGNORED removes it.
  watches_[wd] = folder;
  if (scan_now) scan(folder);
}

void DirWatch::scan(const std::string& folder) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory_ / folder, ec))
    if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());  // reports in a stable order
  for (const auto& name : names) report(folder, name);
}

void DirWatch::report(const std::string& folder, const std::string& file) {
  auto ce = ce_of_file(file);
  if (!ce) return;
  handler_(Change{folder, file, *ce});
}

}  // namespace nwbpf::central
