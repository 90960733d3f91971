// SPDX-License-Identifier: Apache-2.0
#include "ipsec/vici_message.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_set>

namespace nwbpf::ipsec::vici {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

Section& Section::add(std::string key, Value value) {
  entries_.push_back({std::move(key), std::move(value)});
  return *this;
}
Section& Section::add(std::string name, List items) {
  entries_.push_back({std::move(name), std::move(items)});
  return *this;
}
Section& Section::add(std::string name, Section section) {
  entries_.push_back({std::move(name), std::move(section)});
  return *this;
}

namespace {

template <class T>
const T* find(const std::vector<Entry>& entries, std::string_view name) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const Entry& e) { return e.name == name; });
  return it == entries.end() ? nullptr : std::get_if<T>(&it->content);
}

}  // namespace

const Value* Section::value(std::string_view key) const { return find<Value>(entries_, key); }
const List* Section::list(std::string_view name) const { return find<List>(entries_, name); }
const Section* Section::section(std::string_view name) const {
  return find<Section>(entries_, name);
}
bool Section::operator==(const Section& other) const { return entries_ == other.entries_; }

namespace {

std::string kind(ElementType type) {
  switch (type) {
    case ElementType::section_start: return "SECTION_START";
    case ElementType::section_end: return "SECTION_END";
    case ElementType::key_value: return "KEY_VALUE";
    case ElementType::list_start: return "LIST_START";
    case ElementType::list_item: return "LIST_ITEM";
    case ElementType::list_end: return "LIST_END";
  }
  return "element " + std::to_string(int(type));
}

std::string in_quotes(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string section_label(std::string_view name) {
  return name.empty() ? "the root section" : "section " + in_quotes(name);
}

}  // namespace

// README: names are ASCII strings. We also refuse empty names and control
// characters: charon never sends them, and they would make a config name
// impossible to log or match.
std::optional<Error> check_name(std::string_view what, std::string_view name, size_t at) {
  const std::string prefix = std::string(what) + " name: ";
  if (name.empty()) return Error{at, prefix + "empty"};
  if (name.size() > kMaxNameLength)
    return Error{at, prefix + std::to_string(name.size()) + " bytes, at most 255"};
  for (size_t i = 0; i < name.size(); ++i) {
    const auto byte = uint8_t(name[i]);
    if (byte < 0x20 || byte > 0x7e) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", byte);
      return Error{at + i, prefix + "byte " + hex + " is not printable ASCII"};
    }
  }
  return std::nullopt;
}

Result<std::string> read_name(wire::Reader& in, std::string_view what) {
  uint8_t length = 0;
  if (!in.u8(length)) return Error{in.offset(), std::string(what) + " name length: truncated"};
  const size_t at = in.offset();
  std::span<const uint8_t> bytes;
  if (!in.bytes(length, bytes)) return Error{at, std::string(what) + " name: truncated"};
  std::string name(bytes.begin(), bytes.end());
  if (auto bad = check_name(what, name, at)) return *bad;
  return name;
}

namespace {

Error duplicate(ElementType type, std::string_view name, std::string_view section, size_t at) {
  return {at, kind(type) + " " + in_quotes(name) + ": duplicate name in " + section_label(section)};
}

Error too_deep(std::string_view name, size_t at) {
  return {at, "SECTION_START " + in_quotes(name) + ": nesting deeper than " +
                  std::to_string(kMaxDepth) + " sections"};
}

// ---- encoding -------------------------------------------------------------

class Encoder {
 public:
  explicit Encoder(wire::Bytes& out) : out_(out), writer_(out) {}

  // The entries of `section` (called `label`, "" for the root), which sits
  // `depth` sections deep.
  outcome::checked<void, Error> section(const Section& section, std::string_view label,
                                        size_t depth) {
    std::unordered_set<std::string_view> names;
    for (const auto& entry : section.entries()) {
      // The element that opens the entry, by the variant's alternative.
      constexpr ElementType kOpening[] = {ElementType::key_value, ElementType::list_start,
                                          ElementType::section_start};
      const auto type = kOpening[entry.content.index()];
      if (!names.insert(entry.name).second) return duplicate(type, entry.name, label, out_.size());
      if (type == ElementType::section_start && depth == kMaxDepth)
        return too_deep(entry.name, out_.size());
      if (auto done = name(type, entry.name); !done) return done;
      if (const auto* value = std::get_if<Value>(&entry.content)) {
        if (auto done = blob(type, entry.name, *value); !done) return done;
      } else if (const auto* list = std::get_if<List>(&entry.content)) {
        if (auto done = items(entry.name, *list); !done) return done;
      } else {
        const auto& child = std::get<Section>(entry.content);
        if (auto done = this->section(child, entry.name, depth + 1); !done) return done;
        writer_.u8(uint8_t(ElementType::section_end));
      }
    }
    return outcome::success();
  }

 private:
  // The element type and its 8-bit-length name.
  outcome::checked<void, Error> name(ElementType type, std::string_view name) {
    if (auto bad = check_name(kind(type), name, out_.size() + 2)) return *bad;
    writer_.u8(uint8_t(type));
    writer_.u8(uint8_t(name.size()));
    writer_.bytes({reinterpret_cast<const uint8_t*>(name.data()), name.size()});
    return outcome::success();
  }
  // A list's items and its end.
  outcome::checked<void, Error> items(std::string_view list, const List& items) {
    for (const auto& item : items) {
      writer_.u8(uint8_t(ElementType::list_item));
      if (auto done = blob(ElementType::list_item, list, item); !done) return done;
    }
    writer_.u8(uint8_t(ElementType::list_end));
    return outcome::success();
  }
  // A 16-bit-length value; `owner` names the key or the list for the error.
  outcome::checked<void, Error> blob(ElementType type, std::string_view owner, const Value& value) {
    if (value.size() > kMaxValueLength)
      return Error{out_.size(), kind(type) + " " + in_quotes(owner) + ": value of " +
                                    std::to_string(value.size()) + " bytes, at most 65535"};
    writer_.u16(uint16_t(value.size()));
    writer_.bytes({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
    return outcome::success();
  }

  wire::Bytes& out_;
  wire::Writer writer_;
};

// ---- decoding -------------------------------------------------------------

Result<Value> read_value(wire::Reader& in, ElementType type) {
  uint16_t length = 0;
  if (!in.u16(length)) return Error{in.offset(), kind(type) + " value length: truncated"};
  std::span<const uint8_t> bytes;
  if (!in.bytes(length, bytes)) return Error{in.offset(), kind(type) + " value: truncated"};
  return Value(bytes.begin(), bytes.end());
}

// A section being filled, with the names it already holds (a set, so a
// message of many keys is not quadratic to check).
struct OpenSection {
  Section* section;
  std::string name;
  std::unordered_set<std::string> names;
};

class Decoder {
 public:
  Decoder(std::span<const uint8_t> bytes, size_t base) : in_(bytes, base) {
    open_.push_back({&root_, "", {}});
  }

  Result<Message> run() {
    while (!in_.empty())
      if (auto done = element(); !done) return done.error();
    if (list_) return Error{in_.offset(), "message ends inside list " + in_quotes(list_name_)};
    if (open_.size() > 1)
      return Error{in_.offset(), "message ends inside section " + in_quotes(open_.back().name)};
    return std::move(root_);
  }

 private:
  outcome::checked<void, Error> element() {
    const size_t at = in_.offset();
    uint8_t byte = 0;
    in_.u8(byte);
    const auto type = ElementType(byte);
    if (byte < 1 || byte > 6) return Error{at, "unknown element type " + std::to_string(byte)};
    // README "Lists": once a list is open only its items and its end may follow.
    const bool list_element = type == ElementType::list_item || type == ElementType::list_end;
    if (list_ && !list_element)
      return Error{at, kind(type) + " inside list " + in_quotes(list_name_)};
    if (!list_ && type == ElementType::list_item) return Error{at, "LIST_ITEM outside a list"};
    if (!list_ && type == ElementType::list_end) return Error{at, "LIST_END without LIST_START"};
    if (type == ElementType::section_end && open_.size() == 1)
      return Error{at, "SECTION_END without SECTION_START"};

    switch (type) {
      case ElementType::section_end: open_.pop_back(); return outcome::success();
      case ElementType::list_end: list_ = nullptr; return outcome::success();
      case ElementType::list_item: {
        auto item = read_value(in_, type);
        if (!item) return item.error();
        list_->push_back(std::move(item).value());
        return outcome::success();
      }
      default: break;
    }
    auto read = read_name(in_, kind(type));
    if (!read) return read.error();
    std::string name = std::move(read).value();
    auto& top = open_.back();
    if (!top.names.insert(name).second) return duplicate(type, name, top.name, at);
    if (type == ElementType::key_value) {
      auto value = read_value(in_, type);
      if (!value) return value.error();
      top.section->add(std::move(name), std::move(value).value());
    } else if (type == ElementType::list_start) {
      top.section->add(name, List{});
      list_ = &std::get<List>(top.section->entries().back().content);
      list_name_ = std::move(name);
    } else {
      if (open_.size() > kMaxDepth) return too_deep(name, at);
      top.section->add(name, Section{});
      // The parent gains no entries while this section is open, so the
      // pointer into its vector stays valid until SECTION_END.
      auto* child = &std::get<Section>(top.section->entries().back().content);
      open_.push_back({child, std::move(name), {}});
    }
    return outcome::success();
  }

  wire::Reader in_;
  Message root_;
  std::vector<OpenSection> open_;
  List* list_ = nullptr;
  std::string list_name_;
};

}  // namespace

outcome::checked<void, Error> encode_message(const Message& message, wire::Bytes& out) {
  const size_t start = out.size();
  auto done = Encoder(out).section(message, "", 0);
  if (!done) out.resize(start);
  return done;
}

Result<Message> decode_message(std::span<const uint8_t> bytes, size_t base_offset) {
  return Decoder(bytes, base_offset).run();
}

}  // namespace nwbpf::ipsec::vici
