// SPDX-License-Identifier: Apache-2.0
// The config server's directory watch, on a real temporary directory with
// real inotify: which writes are reported, once each.
#include <gtest/gtest.h>

#include "central/dir_watch.h"
#include "central_http_test_support.h"
#include "central_io_test_support.h"

namespace nwbpf::central {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

Change change(const std::string& folder, const std::string& ce) {
  return {folder, ce + ".json", *Ipv4::parse(ce)};
}

TEST(CeOfFileTest, OnlyDottedQuadJsonNames) {
  EXPECT_EQ(ce_of_file("10.0.0.1.json"), Ipv4::parse("10.0.0.1"));
  for (std::string_view name :
       {"10.0.0.1.json~", ".10.0.0.1.json.swp", "10.0.0.json", "10.0.0.256.json", "010.0.0.1.json",
        "10.0.0.1", "x.json", "10.0.0.1.JSON", "4913"})
    EXPECT_EQ(ce_of_file(name), std::nullopt) << name;
}

class DirWatchTest : public ::testing::Test {
 protected:
  DirWatchTest() { fs::create_directory(dir.path() / "portconfig"); }
  void start() {
    watch.emplace(io, dir.path(), std::vector<std::string>{"portconfig", "ebconfig"},
                  [&](const Change& c) { seen.push_back(c); });
  }
  const std::vector<Change>& changes() const { return seen; }
  // Waits for `count` changes, then for a marker file written last so any
  // extra report of what came before has arrived too (inotify keeps order).
  std::vector<Change> settle(size_t count) {
    EXPECT_TRUE(test::run_until(io, [&] { return changes().size() >= count; }))
        << changes().size();
    write_file(dir.path() / "portconfig" / "10.255.255.255.json", "marker");
    EXPECT_TRUE(test::run_until(io, [&] {
      return !seen.empty() && seen.back() == change("portconfig", "10.255.255.255");
    }));
    auto all = changes();
    all.pop_back();
    return all;
  }

  TempDir dir;
  boost::asio::io_context io;
  std::vector<Change> seen;
  std::optional<DirWatch> watch;  // after `seen`, which its handler fills
};

TEST_F(DirWatchTest, AWrittenFileIsReportedOnce) {
  start();
  write_file(dir.path() / "portconfig" / "10.0.0.1.json", "{}");
  EXPECT_EQ(settle(1), std::vector{change("portconfig", "10.0.0.1")});
}

TEST_F(DirWatchTest, AFileRenamedIntoPlaceIsReportedOnce) {
  start();
  // Written elsewhere in the folder under a name that is not a CE's (as
  // editors and `install` do), then renamed over the CE's file.
  write_file(dir.path() / "portconfig" / ".10.0.0.2.json.tmp", "{}");
  fs::rename(dir.path() / "portconfig" / ".10.0.0.2.json.tmp",
             dir.path() / "portconfig" / "10.0.0.2.json");
  EXPECT_EQ(settle(1), std::vector{change("portconfig", "10.0.0.2")});
}

TEST_F(DirWatchTest, OtherNamesAndFoldersAreNotReported) {
  fs::create_directory(dir.path() / "other");
  start();
  write_file(dir.path() / "portconfig" / "notes.txt", "x");
  write_file(dir.path() / "other" / "10.0.0.1.json", "{}");
  write_file(dir.path() / "10.0.0.1.json", "{}");
  fs::create_directory(dir.path() / "portconfig" / "10.0.0.3.json");
  EXPECT_EQ(settle(0), std::vector<Change>{});
}

TEST_F(DirWatchTest, AFolderCreatedLaterIsWatched) {
  start();
  // ebconfig did not exist at start; a file written right after mkdir may
  // land before its watch is added, so the scan reports it (maybe twice).
  fs::create_directory(dir.path() / "ebconfig");
  write_file(dir.path() / "ebconfig" / "10.0.0.4.json", "[]");
  auto first = settle(1);
  ASSERT_FALSE(first.empty());
  for (const auto& c : first) EXPECT_EQ(c, change("ebconfig", "10.0.0.4"));
  // Once watched, a later write is reported exactly once.
  seen.clear();
  write_file(dir.path() / "ebconfig" / "10.0.0.5.json", "[]");
  EXPECT_EQ(settle(1), std::vector{change("ebconfig", "10.0.0.5")});
}

TEST_F(DirWatchTest, AFolderRenamedIntoPlaceIsScanned) {
  start();
  fs::create_directory(dir.path() / "staging");
  write_file(dir.path() / "staging" / "10.0.0.6.json", "[]");
  fs::rename(dir.path() / "staging", dir.path() / "ebconfig");
  EXPECT_EQ(settle(1), std::vector{change("ebconfig", "10.0.0.6")});
}

TEST_F(DirWatchTest, AFolderRemovedAndCreatedAgainIsWatchedAgain) {
  start();
  fs::remove(dir.path() / "portconfig");
  fs::create_directory(dir.path() / "portconfig");
  // The new folder's watch may not be in place yet: wait until a write is
  // seen, then a fresh one must be reported once.
  ASSERT_TRUE(test::run_until(io, [&] {
    write_file(dir.path() / "portconfig" / "10.0.0.7.json", "{}");
    return !changes().empty();
  }));
  seen.clear();
  write_file(dir.path() / "portconfig" / "10.0.0.8.json", "{}");
  auto after = settle(1);
  std::erase(after, change("portconfig", "10.0.0.7"));  // late reports of the probe writes
  EXPECT_EQ(after, std::vector{change("portconfig", "10.0.0.8")});
}

TEST(DirWatchErrorTest, AMissingDirectoryThrows) {
  boost::asio::io_context io;
  EXPECT_THROW(DirWatch(io, "/nonexistent/nwbpf", {"portconfig"}, [](const Change&) {}),
               std::system_error);
}

}  // namespace
}  // namespace nwbpf::central
