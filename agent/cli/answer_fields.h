// SPDX-License-Identifier: Apache-2.0
// Reading one object of an agent's answer with its shape checked: every
// accessor throws AnswerError (agent_view.h) naming the field's path, e.g.
// "unexpected answer from nwbpfd: nhs[1] has no \"nbma\"", so a version
// mismatch between nwbpf and nwbpfd reads as one clear line.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nwbpf::cli {

class AnswerFields {
 public:
  // `where` names the object in errors ("result", "cache[2]"). Throws
  // unless `object` is a JSON object; it must outlive this.
  AnswerFields(const nlohmann::json& object, std::string where);

  bool has(const char* key) const { return object_.contains(key); }
  // Each accessor wants the field present and of its type.
  std::string string(const char* key) const;
  std::optional<std::string> optional_string(const char* key) const;  // null: nullopt
  // A string that is one of `words`.
  std::string one_of(const char* key, std::initializer_list<std::string_view> words) const;
  std::vector<std::string> strings(const char* key) const;  // a list of strings
  bool flag(const char* key) const;
  uint64_t count(const char* key) const;                          // a non-negative integer
  std::optional<uint64_t> optional_count(const char* key) const;  // null: nullopt
  const nlohmann::json& list(const char* key) const;
  // The object `key`, and element i of the list `key`, checked to be
  // objects; named "key" and "key[i]" below the result, else "where.key".
  AnswerFields object(const char* key) const;
  AnswerFields element(const char* key, size_t i) const;

 private:
  const nlohmann::json& at(const char* key) const;
  std::string child(const char* key) const;
  [[noreturn]] void wrong(const char* key, const std::string& what) const;

  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace nwbpf::cli
