// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "views/table.h"

namespace nwbpf::views {

TEST(CliTable, AlignsColumnsAndRightAlignsNumbers) {
  Table t({{"NAME"}, {"PACKETS", Align::right}, {"DESCRIPTION"}});
  t.add_row({"edge_rx", "7", "frames in"});
  t.add_row({"malformed", "1234567890", "bad"});
  EXPECT_EQ(t.render(),
            "NAME          PACKETS  DESCRIPTION\n"
            "edge_rx             7  frames in\n"
            "malformed  1234567890  bad\n");
}

TEST(CliTable, NoTrailingBlanksAfterAShortLastCell) {
  Table t({{"A"}, {"LONGHEADER"}});
  t.add_row({"x", ""});
  EXPECT_EQ(t.render(), "A  LONGHEADER\nx\n");
}

TEST(CliTable, EmptyTableIsTheHeaderOnly) {
  Table t({{"VNI", Align::right}, {"MAC"}});
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.render(), "VNI  MAC\n");
}

TEST(CliTable, RejectsARowWithTheWrongNumberOfCells) {
  Table t({{"A"}, {"B"}});
  try {
    t.add_row({"only one"});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "table row has 1 cells, expected 2");
  }
}

}  // namespace nwbpf::views
