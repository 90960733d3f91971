// SPDX-License-Identifier: Apache-2.0
#include "common/wire.h"

#include <gtest/gtest.h>

namespace nwbpf::wire {
namespace {

TEST(WireReader, ReadsBigEndianFieldsAndReportsOffsets) {
  const Bytes in{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  Reader r(in);
  uint8_t a;
  uint16_t b;
  uint32_t c, d;
  ASSERT_TRUE(r.u8(a));
  ASSERT_TRUE(r.u16(b));
  ASSERT_TRUE(r.u24(c));
  ASSERT_TRUE(r.u32(d));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x040506u);
  EXPECT_EQ(d, 0x0708090au);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.offset(), 10u);
}

TEST(WireReader, ShortReadFailsAndConsumesNothing) {
  const Bytes in{0xaa, 0xbb, 0xcc};
  Reader r(in);
  uint32_t v = 7;
  EXPECT_FALSE(r.u32(v));
  EXPECT_EQ(v, 7u);
  EXPECT_EQ(r.remaining(), 3u);
  std::span<const uint8_t> view;
  EXPECT_FALSE(r.bytes(4, view));
  EXPECT_FALSE(r.skip(4));
  uint16_t w;
  ASSERT_TRUE(r.u16(w));
  EXPECT_FALSE(r.u16(w));
  EXPECT_EQ(r.offset(), 2u);
}

TEST(WireReader, NestedReaderIsBoundedAndKeepsOuterOffsets) {
  const Bytes in{0x00, 0x02, 0x11, 0x22, 0x33};
  Reader r(in);
  uint16_t len;
  ASSERT_TRUE(r.u16(len));
  Reader body(in);
  ASSERT_TRUE(r.sub(len, body));
  EXPECT_EQ(body.offset(), 2u);
  uint8_t x;
  ASSERT_TRUE(body.u8(x));
  ASSERT_TRUE(body.u8(x));
  EXPECT_EQ(x, 0x22);
  EXPECT_FALSE(body.u8(x));  // 0x33 belongs to the outer reader
  EXPECT_EQ(body.offset(), 4u);
  ASSERT_TRUE(r.u8(x));
  EXPECT_EQ(x, 0x33);
  Reader too_long(in);
  EXPECT_FALSE(r.sub(1, too_long));
}

TEST(WireWriter, WritesFieldsAndPatchesLengths) {
  Bytes out;
  Writer w(out);
  w.u8(0x01);
  size_t len_pos = w.reserve(2);
  w.u24(0x020304);
  w.u32(0x05060708);
  ASSERT_TRUE(w.patch_length(len_pos, 2));
  EXPECT_EQ(out, (Bytes{0x01, 0x00, 0x07, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}));
}

TEST(WireWriter, RefusesABodyTooLongForItsLengthField) {
  Bytes out;
  Writer w(out);
  size_t pos = w.reserve(1);
  w.bytes(Bytes(256, 0xee));
  EXPECT_FALSE(w.patch_length(pos, 1));
  Bytes ok;
  Writer w2(ok);
  pos = w2.reserve(1);
  w2.bytes(Bytes(255, 0xee));
  EXPECT_TRUE(w2.patch_length(pos, 1));
  EXPECT_EQ(ok[0], 255);
}

}  // namespace
}  // namespace nwbpf::wire
