// SPDX-License-Identifier: Apache-2.0
// Good packets cut at every length, with the enclosing lengths following the
// cut (ar$pktsz and the checksum always; ar$extoff cleared for a cut before
// the extensions; the length of an extension cut in its value), so each
// field's own check is what fails: Protocol Error at that field's offset with
// its name, success only where the cut falls between whole CIEs.
#include <set>

#include "nhrp_codec_test_support.h"

namespace nwbpf::nhrp {
namespace {

using test::hex;

struct Field {
  size_t start = 0, length = 0;
  std::string name;
};

// The fields of a packet in order, as the decoder names them.
class Layout {
 public:
  void add(size_t length, std::string name) {
    fields_.push_back({at_, length, std::move(name)});
    at_ += length;
  }
  void fixed_header() {
    for (auto [length, name] : {std::pair<size_t, const char*>{2, "ar$afn"},
                                {2, "ar$pro.type"},
                                {5, "ar$pro.snap"},
                                {1, "ar$hopcnt"},
                                {2, "ar$pktsz"},
                                {2, "ar$chksum"},
                                {2, "ar$extoff"},
                                {1, "ar$op.version"},
                                {1, "ar$op.type"},
                                {1, "ar$shtl"},
                                {1, "ar$sstl"}})
      add(length, name);
    add(1, "source protocol length");
    add(1, "destination protocol length");
  }
  void addresses() {
    add(4, "source NBMA address");
    add(4, "source protocol address");
    add(4, "destination protocol address");
  }
  // A CIE with the client addresses it has.
  void cie(bool nbma, bool protocol) {
    boundaries_.insert(at_);
    for (auto [length, name] : {std::pair<size_t, const char*>{1, "code"},
                                {1, "prefix length"},
                                {2, "unused"},
                                {2, "MTU"},
                                {2, "holding time"},
                                {1, "client NBMA type/length"},
                                {1, "client NBMA subaddress type/length"},
                                {1, "client protocol length"},
                                {1, "preference"}})
      add(length, std::string("CIE 1 ") + name);
    if (nbma) add(4, "CIE 1 client NBMA address");
    if (protocol) add(4, "CIE 1 client protocol address");
  }
  // An extension header; its value follows (cie()) or not.
  void extension(size_t index) {
    boundaries_.insert(at_);
    const std::string name = "extension " + std::to_string(index);
    add(2, name + " type");
    add(2, name + " length");
    value_starts_.insert(at_);
  }
  size_t size() const { return at_; }
  const Field& at(size_t offset) const {
    for (const auto& f : fields_)
      if (offset >= f.start && offset < f.start + f.length) return f;
    throw std::out_of_range("no field");
  }
  bool boundary(size_t n) const { return boundaries_.count(n) > 0; }
  // The extension value that holds offset n (its start), if any.
  std::optional<size_t> value_holding(size_t n) const {
    std::optional<size_t> found;
    for (size_t start : value_starts_)
      if (start <= n) found = start;
    return found;
  }

 private:
  size_t at_ = 0;
  std::vector<Field> fields_;
  std::set<size_t> boundaries_;
  std::set<size_t> value_starts_;
};

wire::Bytes cut(const wire::Bytes& bytes, size_t n, size_t extension_offset, const Layout& layout) {
  wire::Bytes out(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
  if (n < kFixedHeaderSize) return out;
  if (n < extension_offset || extension_offset == 0) {
    out[14] = out[15] = 0;
  } else if (auto value = layout.value_holding(n); value && bytes[*value - 1] != 0) {
    const size_t length = size_t(bytes[*value - 2]) << 8 | bytes[*value - 1];
    if (n < *value + length) out[*value - 1] = uint8_t(n - *value);  // values < 256 here
  }
  return test::sealed(out);
}

void check_every_cut(const wire::Bytes& bytes, const Layout& layout, size_t extension_offset) {
  ASSERT_EQ(layout.size(), bytes.size());
  for (size_t n = 0; n < bytes.size(); ++n) {
    SCOPED_TRACE("cut at " + std::to_string(n));
    auto result = decode_packet(cut(bytes, n, extension_offset, layout));
    if (layout.boundary(n) && (extension_offset == 0 || n < extension_offset)) {
      EXPECT_TRUE(result) << "a cut between CIEs leaves a good packet";
      continue;
    }
    ASSERT_FALSE(result);
    const Error& e = result.error();
    const bool between_extensions = n >= extension_offset && extension_offset != 0 &&
                                    (layout.boundary(n) || layout.value_holding(n) == n);
    if (between_extensions) {
      EXPECT_EQ(e, (Error{ErrorCode::protocol_error, n, "extensions: no End of Extensions"}));
      continue;
    }
    const Field& f = layout.at(n);
    EXPECT_EQ(e, (Error{ErrorCode::protocol_error, f.start,
                        f.name + ": truncated, " + std::to_string(f.length) +
                            (f.length == 1 ? " octet" : " octets") + " needed, " +
                            std::to_string(n - f.start) + " left"}));
  }
}

TEST(NhrpTruncation, RegistrationReplyWithCiesInExtensions) {
  const auto bytes = hex(test::kRegistrationReply);
  Layout layout;
  layout.fixed_header();
  layout.add(2, "flags");
  layout.add(4, "request ID");
  layout.addresses();
  layout.cie(false, false);
  layout.extension(1);
  layout.extension(2);
  layout.extension(3);
  layout.cie(true, true);
  layout.extension(4);
  layout.cie(true, true);
  layout.extension(5);
  check_every_cut(bytes, layout, 52);
}

// Types 7 and 8 replace flags and request ID with their own words; their
// payload is opaque, so only the mandatory part can be cut short.
void check_indication(PacketType type,
                      std::initializer_list<std::pair<size_t, const char*>> words) {
  auto p = test::registration_request();
  p.type = type;
  p.cies.clear();
  p.extensions.clear();
  Layout layout;
  layout.fixed_header();
  for (auto [length, name] : words) layout.add(length, name);
  layout.addresses();
  check_every_cut(test::encode_ok(p), layout, 0);
}

TEST(NhrpTruncation, ErrorIndicationMandatoryPart) {
  check_indication(PacketType::error_indication,
                   {{2, "unused"}, {2, "error code"}, {2, "error offset"}});
}

TEST(NhrpTruncation, TrafficIndicationMandatoryPart) {
  check_indication(PacketType::traffic_indication,
                   {{2, "unused"}, {2, "traffic code"}, {2, "unused"}});
}

}  // namespace
}  // namespace nwbpf::nhrp
