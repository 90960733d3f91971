// SPDX-License-Identifier: Apache-2.0
#include "cli/answer_fields.h"

#include "cli/agent_view.h"

namespace nwbpf::cli {

using nlohmann::json;

namespace {

[[noreturn]] void unexpected(const std::string& what) {
  throw AnswerError("unexpected answer from nwbpfd: " + what);
}

}  // namespace

AnswerFields::AnswerFields(const json& object, std::string where)
    : object_(object), where_(std::move(where)) {
  if (!object_.is_object()) unexpected(where_ + " is not an object");
}

void AnswerFields::wrong(const char* key, const std::string& what) const {
  unexpected(where_ + "." + key + " " + what);
}

const json& AnswerFields::at(const char* key) const {
  auto it = object_.find(key);
  if (it == object_.end()) unexpected(where_ + " has no \"" + key + "\"");
  return *it;
}

std::string AnswerFields::string(const char* key) const {
  const json& v = at(key);
  if (!v.is_string()) wrong(key, "is " + v.dump() + ", not a string");
  return v.get<std::string>();
}

std::optional<std::string> AnswerFields::optional_string(const char* key) const {
  if (at(key).is_null()) return std::nullopt;
  return string(key);
}

std::string AnswerFields::one_of(const char* key,
                                 std::initializer_list<std::string_view> words) const {
  std::string v = string(key);
  std::string expected;
  for (std::string_view word : words) {
    if (v == word) return v;
    expected += std::string(expected.empty() ? "" : ", ") + std::string(word);
  }
  wrong(key, "is \"" + v + "\", not one of " + expected);
}

std::vector<std::string> AnswerFields::strings(const char* key) const {
  std::vector<std::string> out;
  for (const json& v : list(key)) {
    if (!v.is_string()) wrong(key, "holds " + v.dump());
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool AnswerFields::flag(const char* key) const {
  const json& v = at(key);
  if (!v.is_boolean()) wrong(key, "is not a boolean");
  return v.get<bool>();
}

uint64_t AnswerFields::count(const char* key) const {
  const json& v = at(key);
  if (!v.is_number_unsigned()) wrong(key, "is " + v.dump() + ", not a count");
  return v.get<uint64_t>();
}

std::optional<uint64_t> AnswerFields::optional_count(const char* key) const {
  if (at(key).is_null()) return std::nullopt;
  return count(key);
}

const json& AnswerFields::list(const char* key) const {
  const json& v = at(key);
  if (!v.is_array()) wrong(key, "is not a list");
  return v;
}

std::string AnswerFields::child(const char* key) const {
  return where_ == "result" ? std::string(key) : where_ + "." + key;
}

AnswerFields AnswerFields::object(const char* key) const { return {at(key), child(key)}; }

AnswerFields AnswerFields::element(const char* key, size_t i) const {
  return {list(key).at(i), child(key) + "[" + std::to_string(i) + "]"};
}

}  // namespace nwbpf::cli
