// SPDX-License-Identifier: Apache-2.0
// Bounds-checked big-endian cursors for protocol codecs (BGP, EVPN, NHRP,
// VICI). A read never runs past the end: it returns false and consumes
// nothing, and the codec turns that into its protocol's error (with the
// offset() where it happened). Writers append to a byte vector and can
// back-patch a length field once the body is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nwbpf::wire {

using Bytes = std::vector<uint8_t>;

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes, size_t base_offset = 0)
      : bytes_(bytes), base_(base_offset) {}

  size_t remaining() const { return bytes_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  // Offset of the next byte from the start of the outermost buffer, so nested
  // readers report positions in the whole message.
  size_t offset() const { return base_ + pos_; }

  bool u8(uint8_t& v) {
    if (remaining() < 1) return false;
    v = bytes_[pos_++];
    return true;
  }
  bool u16(uint16_t& v) {
    if (remaining() < 2) return false;
    v = uint16_t(bytes_[pos_] << 8 | bytes_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u24(uint32_t& v) {
    if (remaining() < 3) return false;
    v = uint32_t(bytes_[pos_]) << 16 | uint32_t(bytes_[pos_ + 1]) << 8 | bytes_[pos_ + 2];
    pos_ += 3;
    return true;
  }
  bool u32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = uint32_t(bytes_[pos_]) << 24 | uint32_t(bytes_[pos_ + 1]) << 16 |
        uint32_t(bytes_[pos_ + 2]) << 8 | bytes_[pos_ + 3];
    pos_ += 4;
    return true;
  }
  // The next n bytes as a view into the buffer.
  bool bytes(size_t n, std::span<const uint8_t>& out) {
    if (remaining() < n) return false;
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  // Copies exactly out.size() bytes (fixed-size fields: MACs, addresses).
  bool copy(std::span<uint8_t> out) {
    if (remaining() < out.size()) return false;
    for (auto& b : out) b = bytes_[pos_++];
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }
  // Consumes the next n bytes as a nested reader (a length-delimited field).
  bool sub(size_t n, Reader& out) {
    if (remaining() < n) return false;
    out = Reader(bytes_.subspan(pos_, n), offset());
    pos_ += n;
    return true;
  }
  // Everything not read yet, without consuming it.
  std::span<const uint8_t> rest() const { return bytes_.subspan(pos_); }

 private:
  std::span<const uint8_t> bytes_;
  size_t base_ = 0;
  size_t pos_ = 0;
};

class Writer {
 public:
  explicit Writer(Bytes& out) : out_(out) {}

  size_t size() const { return out_.size(); }
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    out_.push_back(uint8_t(v >> 8));
    out_.push_back(uint8_t(v));
  }
  void u24(uint32_t v) {
    out_.push_back(uint8_t(v >> 16));
    out_.push_back(uint8_t(v >> 8));
    out_.push_back(uint8_t(v));
  }
  void u32(uint32_t v) {
    u16(uint16_t(v >> 16));
    u16(uint16_t(v));
  }
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }

  // Reserves a length field of 1 or 2 bytes and returns its position; call
  // patch_length(pos, width) after writing the body to fill in the number of
  // bytes written after the field. Returns false if the body is too long for
  // the field (the caller reports it: nothing is silently truncated).
  size_t reserve(size_t width) {
    size_t pos = out_.size();
    out_.insert(out_.end(), width, 0);
    return pos;
  }
  bool patch_length(size_t pos, size_t width) {
    size_t len = out_.size() - pos - width;
    if (width == 1) {
      if (len > 0xff) return false;
      out_[pos] = uint8_t(len);
    } else {
      if (len > 0xffff) return false;
      out_[pos] = uint8_t(len >> 8);
      out_[pos + 1] = uint8_t(len);
    }
    return true;
  }

 private:
  Bytes& out_;
};

}  // namespace nwbpf::wire
