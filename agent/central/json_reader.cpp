// SPDX-License-Identifier: Apache-2.0
#include "central/json_reader.h"

#include <algorithm>
#include <cstdio>

namespace nwbpf::central {

namespace {

// `text` with every byte outside printable ASCII written as \xNN.
std::string ascii(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    }
  }
  return out;
}

std::string line(std::string_view path, std::string message) {
  return (path.empty() ? "top level" : std::string(path)) + ": " + std::move(message);
}

}  // namespace

std::string key_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

std::string index_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string show(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return value.dump();
}

void Report::error(std::string_view path, std::string message) {
  errors_.push_back(line(path, std::move(message)));
}

void Report::warn(std::string_view path, std::string message) {
  warnings_.push_back(line(path, std::move(message)));
}

void Report::wrong_type(const Json& value, std::string_view path, std::string_view expected) {
  error(path, "expected " + std::string(expected) + ", found " + show(value));
}

std::optional<Json> parse_document(std::string_view text, Report& report) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // what() is "[json.exception.parse_error.<id>] <message>": the id is
    // nlohmann's, the message (with line and column) is for the operator.
    // Its "last read" echoes the input: bytes past ASCII (an ill-formed
    // UTF-8 byte among them) are escaped so the line is always valid text.
    std::string_view what = e.what();
    if (size_t end = what.find("] "); what.starts_with("[json.") && end != what.npos)
      what.remove_prefix(end + 2);
    report.error("", "invalid JSON at byte " + std::to_string(e.byte) + ": " + ascii(what));
  } catch (const Json::exception& e) {
    // A well-formed number too large for a double (out_of_range 406).
    std::string_view what = e.what();
    if (size_t end = what.find("] "); end != what.npos) what.remove_prefix(end + 2);
    report.error("", "invalid JSON: " + std::string(what));
  }
  return std::nullopt;
}

ObjectReader::ObjectReader(const Json& object, std::string path, Report& report,
                           std::initializer_list<std::string_view> known)
    : object_(object), path_(std::move(path)), report_(report) {
  std::string listed;
  for (auto key : known) listed += (listed.empty() ? "" : ", ") + std::string(key);
  for (const auto& [key, value] : object_.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    report_.warn(path_,
                 "unknown key " + Json(key).dump() + " ignored (known here: " + listed + ")");
  }
}

const Json* ObjectReader::get(std::string_view key, Need need) const {
  auto it = object_.find(std::string(key));
  if (it != object_.end()) return &*it;
  if (need == Need::required) report_.error(path_of(key), "required key is missing");
  return nullptr;
}

const Json* as_object(const Json& value, const std::string& path, Report& report) {
  if (value.is_object()) return &value;
  report.wrong_type(value, path, "an object");
  return nullptr;
}

const Json* as_array(const Json& value, const std::string& path, Report& report) {
  if (value.is_array()) return &value;
  report.wrong_type(value, path, "an array");
  return nullptr;
}

std::optional<bool> read_bool(const Json& value, const std::string& path, Report& report) {
  if (value.is_boolean()) return value.get<bool>();
  report.wrong_type(value, path, "true or false");
  return std::nullopt;
}

std::optional<std::string> read_string(const Json& value, const std::string& path, Report& report,
                                       StringRule rule) {
  if (!value.is_string()) {
    report.wrong_type(value, path, "a string");
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (rule) {
    if (auto problem = rule(text)) {
      report.error(path, std::move(*problem));
      return std::nullopt;
    }
  }
  return text;
}

std::optional<uint16_t> read_vlan(const Json& value, const std::string& path, Report& report) {
  if (auto vlan = integer_in(value, 1, 4094)) return static_cast<uint16_t>(*vlan);
  if (value.is_number_integer())
    report.error(path, show(value) + " is not a VLAN ID (1..4094)");
  else
    report.wrong_type(value, path, "a VLAN ID (an integer 1..4094)");
  return std::nullopt;
}

std::optional<int64_t> integer_in(const Json& value, int64_t lo, int64_t hi) {
  if (value.is_number_unsigned()) {
    // Compared unsigned: a value past INT64_MAX must not wrap into range.
    auto v = value.get<uint64_t>();
    if (hi >= 0 && v <= static_cast<uint64_t>(hi) && static_cast<int64_t>(v) >= lo)
      return static_cast<int64_t>(v);
  } else if (value.is_number_integer()) {
    auto v = value.get<int64_t>();
    if (v >= lo && v <= hi) return v;
  }
  return std::nullopt;
}

}  // namespace nwbpf::central
