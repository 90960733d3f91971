// SPDX-License-Identifier: Apache-2.0
// The message layer of strongSwan's VICI protocol (strongSwan
// src/libcharon/plugins/vici/README.md, "Message format"): a tree of named
// sections holding key/values, lists and sub-sections, encoded as a flat
// sequence of elements. The message carries no length of its own; the packet
// around it (vici_packet.h) bounds it.
#pragma once

#include <boost/outcome/result.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/wire.h"

namespace nwbpf::ipsec::vici {

// What the codec reports: the byte where the problem was found (from the
// start of the buffer given to the decoder, or of the bytes being encoded)
// and a line for logs.
struct Error {
  size_t offset = 0;
  std::string message;
  bool operator==(const Error&) const = default;
};

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::checked<T, Error>;

// Element types (README "Message format"), one byte each.
enum class ElementType : uint8_t {
  section_start = 1,  // name
  section_end = 2,
  key_value = 3,   // name, value
  list_start = 4,  // name
  list_item = 5,   // value
  list_end = 6,
};

// Names (section, key, list) have an 8-bit length; values a 16-bit one.
inline constexpr size_t kMaxNameLength = 0xff;
inline constexpr size_t kMaxValueLength = 0xffff;
// Our limit, not the spec's ("nested to arbitrary levels"): charon nests a
// few levels (list-sas: IKE_SA, child-sas, CHILD_SA). The limit keeps a
// hostile 512 KiB message from building a tree whose recursive destruction
// overflows the stack.
inline constexpr size_t kMaxDepth = 32;

// Values are blobs (README: "arbitrary blobs"; charon sends non-null-terminated
// strings, numbers as decimal text); std::string holds any bytes.
using Value = std::string;
using List = std::vector<Value>;

struct Entry;

// A section, or the implicit root section that is a whole message. Entries
// keep their wire order (load-conn and some replies depend on it). Names are
// unique within a section, across keys, lists and sub-sections: the spec
// requires it for keys, and every client library turns a section into a map
// that would silently drop a repeated section or list.
class Section {
 public:
  // Builders append an entry; encode() rejects a duplicate or invalid name.
  Section& add(std::string key, Value value);
  Section& add(std::string name, List items);
  Section& add(std::string name, Section section);

  // Lookups by name: nullptr when absent or of another kind.
  const Value* value(std::string_view key) const;
  const List* list(std::string_view name) const;
  const Section* section(std::string_view name) const;

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& entries() { return entries_; }
  bool operator==(const Section&) const;

 private:
  std::vector<Entry> entries_;
};

struct Entry {
  std::string name;
  std::variant<Value, List, Section> content;
  bool operator==(const Entry&) const = default;
};

using Message = Section;

// Appends the elements of `message` to `out`. Fails, writing nothing, on a
// name that is empty, longer than 255 bytes or not printable ASCII, a value
// longer than 65535 bytes, a duplicate name, or nesting deeper than
// kMaxDepth; the error's offset is where the element would have started.
BOOST_OUTCOME_V2_NAMESPACE::checked<void, Error> encode_message(const Message& message,
                                                                wire::Bytes& out);

// Names follow one rule in both layers (element names here, command and
// event names in vici_packet.h): 1 to 255 bytes of printable ASCII. Returns
// the problem, if any, for an element or packet called `what`; `at` is the
// offset of the name's first byte.
std::optional<Error> check_name(std::string_view what, std::string_view name, size_t at);
// Reads an 8-bit length and that many name bytes, then check_name().
Result<std::string> read_name(wire::Reader& in, std::string_view what);

// Decodes a whole message: every byte of `bytes` must belong to it, sections
// and lists balanced, list items only in a list, nothing but items in one.
// Offsets in errors count from base_offset (where `bytes` sits in a packet).
Result<Message> decode_message(std::span<const uint8_t> bytes, size_t base_offset = 0);

}  // namespace nwbpf::ipsec::vici
