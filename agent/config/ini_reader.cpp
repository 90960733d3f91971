// SPDX-License-Identifier: Apache-2.0
// The rules follow CPython's Lib/configparser.py (RawConfigParser._read and
// BasicInterpolation) with the defaults ConfigParser() has: comment_prefixes
// '#' and ';' (whole lines only: inline_comment_prefixes is None, so
// "a = 1 # x" has the value "1 # x"), delimiters '=' and ':', strict=True,
// empty_lines_in_values=True, allow_no_value=False.
#include "config/ini_reader.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <iterator>

#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

// configparser's MAX_INTERPOLATION_DEPTH.
constexpr int kMaxDepth = 10;
constexpr std::string_view kSpace = " \t\n\r\f\v";

std::string_view strip(std::string_view s) {
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

toml::source_position position(uint32_t line, size_t offset) {
  return {line, static_cast<uint32_t>(offset + 1)};
}

std::string line_ref(const toml::source_position& at) { return "line " + std::to_string(at.line); }

// Reads the lines of one file into an IniFile's sections.
class Parser {
 public:
  Parser(IniSection& defaults, std::vector<IniProblem>& problems)
      : defaults_(defaults), problems_(problems) {}

  // A deque: the section keys are being added to must not move.
  std::deque<IniSection>& sections() { return sections_; }

  void line(std::string_view raw, uint32_t number) {
    std::string_view text = strip(raw);
    size_t indent = raw.find_first_not_of(kSpace);
    if (!text.empty() && (text[0] == '#' || text[0] == ';')) return;  // comment
    if (text.empty()) {
      // empty_lines_in_values: a blank line inside a value is part of it
      // when an indented line follows (trailing ones are dropped at the end).
      if (value_) value_->raw += '\n';
      return;
    }
    if (value_ && indent > indent_) {
      value_->raw += '\n';
      value_->raw += text;
      return;
    }
    finish_value();
    indent_ = indent;
    if (text[0] == '[' && text.find(']') != std::string_view::npos)
      header(text, position(number, indent));
    else
      key_value(raw, text, number, indent);
  }

  void finish_value() {
    if (value_) value_->raw.erase(value_->raw.find_last_not_of('\n') + 1);
    value_ = nullptr;
  }

 private:
  // configparser's SECTCRE "\[(?P<header>.+)\]" matched from the start: the
  // name runs to the last ']' and anything after it is ignored.
  void header(std::string_view text, toml::source_position at) {
    std::string name(text.substr(1, text.rfind(']') - 1));
    if (name.empty()) {
      problems_.push_back({at, "", "empty section name"});
      section_ = &discard_;
      return;
    }
    if (name == defaults_.name) {
      if (defaults_.at.line == 0) defaults_.at = at;
      section_ = &defaults_;  // configparser lets [DEFAULT] appear again
      return;
    }
    auto same = std::find_if(sections_.begin(), sections_.end(),
                             [&](const IniSection& s) { return s.name == name; });
    if (same != sections_.end()) {
      problems_.push_back({at, "[" + name + "]", "section is already at " + line_ref(same->at)});
      section_ = &discard_;  // its keys would only repeat the report
      return;
    }
    sections_.push_back({name, at, {}});
    section_ = &sections_.back();
  }

  void key_value(std::string_view raw, std::string_view text, uint32_t number, size_t indent) {
    if (!section_) {
      problems_.push_back({position(number, indent), "",
                           "a key before any [section] header (a file starts with one, e.g. "
                           "[general])"});
      section_ = &discard_;
      return;
    }
    size_t delimiter = text.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      problems_.push_back({position(number, indent), "",
                           "expected \"key = value\", \"key: value\", a [section] header or a "
                           "comment, found " +
                               quote(text)});
      return;
    }
    std::string key = lower(strip(text.substr(0, delimiter)));
    std::string_view value = strip(text.substr(delimiter + 1));
    auto key_at = position(number, indent);
    if (key.empty()) {
      problems_.push_back({key_at, "", std::string("no key before '") + text[delimiter] + "'"});
      return;
    }
    std::string path = section_->name + "." + key;
    auto same = std::find_if(section_->values.begin(), section_->values.end(),
                             [&](const IniValue& v) { return v.key == key; });
    if (same != section_->values.end()) {
      problems_.push_back(
          {key_at, path,
           "key is already at " + line_ref(same->key_at) + " (keys are case-insensitive)"});
      return;
    }
    // The value's column: where it starts in the line, or just past the
    // delimiter when it is empty.
    size_t offset = value.empty() ? static_cast<size_t>(text.data() + delimiter + 1 - raw.data())
                                  : static_cast<size_t>(value.data() - raw.data());
    section_->values.push_back({key, std::string(value), position(number, offset), key_at});
    value_ = &section_->values.back();
  }

  IniSection& defaults_;
  std::deque<IniSection> sections_;
  std::vector<IniProblem>& problems_;
  IniSection discard_;             // keys of a section already reported
  IniSection* section_ = nullptr;  // where keys go
  IniValue* value_ = nullptr;      // the value continuation lines extend
  size_t indent_ = 0;              // of the line that started value_
};

}  // namespace

IniFile IniFile::parse(std::string_view text, std::vector<IniProblem>& problems) {
  IniFile file;
  Parser parser(file.defaults_, problems);
  uint32_t number = 0;
  while (!text.empty() || number == 0) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);  // universal newlines
    parser.line(line, ++number);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  parser.finish_value();
  auto& sections = parser.sections();
  file.sections_.assign(std::make_move_iterator(sections.begin()),
                        std::make_move_iterator(sections.end()));
  return file;
}

const IniValue* IniFile::lookup(const IniSection& section, std::string_view key) {
  for (const IniSection* s : {&section, static_cast<const IniSection*>(&defaults_)}) {
    auto it = std::find_if(s->values.begin(), s->values.end(),
                           [&](const IniValue& v) { return v.key == key; });
    if (it == s->values.end()) continue;
    referenced_.emplace(s->name, key);
    return &*it;
  }
  return nullptr;
}

bool IniFile::interpolate(const IniSection& section, const IniValue& value, std::string_view text,
                          int depth, std::string& out, std::vector<IniProblem>& problems) {
  auto fail = [&](std::string message) {
    IniProblem problem{value.at, section.name + "." + value.key, std::move(message)};
    // An inherited value fails alike in every section: report it once.
    bool seen = std::any_of(problems.begin(), problems.end(), [&](const IniProblem& p) {
      return p.at == problem.at && p.message == problem.message;
    });
    if (!seen) problems.push_back(std::move(problem));
    return false;
  };
  if (depth > kMaxDepth)
    return fail("interpolation deeper than " + std::to_string(kMaxDepth) +
                " levels (does a %(key)s refer back to itself?)");
  while (!text.empty()) {
    size_t percent = text.find('%');
    out += text.substr(0, percent);
    if (percent == std::string_view::npos) return true;
    text.remove_prefix(percent);
    if (text.starts_with("%%")) {
      out += '%';
      text.remove_prefix(2);
      continue;
    }
    if (!text.starts_with("%("))
      return fail("'%' must be followed by '%' or '(' (write %% for a '%')");
    size_t close = text.find(')');
    if (close == std::string_view::npos || close == 2 || close + 1 >= text.size() ||
        text[close + 1] != 's')
      return fail("bad interpolation " + quote(text) + " (expected %(key)s)");
    std::string key = lower(text.substr(2, close - 2));
    text.remove_prefix(close + 2);
    const IniValue* referred = lookup(section, key);
    if (!referred)
      return fail("%(" + key + ")s: no key " + quote(key) + " in [" + section.name +
                  "] or [DEFAULT]");
    if (referred->raw.find('%') == std::string::npos)
      out += referred->raw;
    else if (!interpolate(section, value, referred->raw, depth + 1, out, problems))
      return false;
  }
  return true;
}

std::vector<IniEntry> IniFile::entries(const IniSection& section,
                                       std::vector<IniProblem>& problems) {
  std::vector<IniEntry> out;
  auto add = [&](const IniValue& value, bool inherited) {
    std::string text;
    if (interpolate(section, value, value.raw, 1, text, problems))
      out.push_back({value.key, std::move(text), value.at, value.key_at, inherited});
  };
  for (const auto& value : section.values) add(value, false);
  for (const auto& value : defaults_.values) {
    bool overridden = std::any_of(section.values.begin(), section.values.end(),
                                  [&](const IniValue& v) { return v.key == value.key; });
    if (!overridden) add(value, true);
  }
  return out;
}

bool IniFile::referenced(std::string_view section, std::string_view key) const {
  return referenced_.contains({std::string(section), std::string(key)});
}

}  // namespace nwbpf::config
