// SPDX-License-Identifier: Apache-2.0
#include "config/diagnostics.h"

#include <algorithm>
#include <cctype>

namespace nwbpf::config {

namespace {

// "a.b[2]" -> "a.b" -> "a" -> "" (the document itself).
std::string_view parent_path(std::string_view path) {
  size_t cut = path.find_last_of(".[");
  return cut == std::string_view::npos ? std::string_view{} : path.substr(0, cut);
}

}  // namespace

std::string format_position(std::string_view file, const toml::source_position& at) {
  return std::string(file) + ":" + std::to_string(std::max<uint32_t>(at.line, 1)) + ":" +
         std::to_string(std::max<uint32_t>(at.column, 1));
}

Diagnostics::Diagnostics(std::string file, const toml::table& root)
    : file_(std::move(file)), root_(root) {}

Diagnostics::Diagnostics(std::string file, const toml::table& root, Origins origins)
    : file_(std::move(file)), root_(root), origins_(std::move(origins)) {}

void Diagnostics::error(const toml::source_position& at, std::string path, std::string message) {
  if (origins_ && at.line == 0) return error_at_origin(std::move(path), std::move(message));
  problems_.push_back({at, std::move(path), std::move(message)});
}

void Diagnostics::error_at_origin(std::string path, std::string message) {
  message = rename_paths(std::move(message));
  for (std::string_view probe = path;; probe = parent_path(probe)) {
    auto it = origins_->find(probe);
    if (it != origins_->end()) {
      if (it->second.reported && probe == path) return;
      // Only the path itself is renamed: an enclosing table's origin gives
      // the position, the path stays as the document names it.
      problems_.push_back(
          {it->second.at, probe == path ? it->second.name : std::move(path), std::move(message)});
      return;
    }
    if (probe.empty()) break;
  }
  problems_.push_back({{}, std::move(path), std::move(message)});
}

// Key paths (those with a '.': table names also occur as plain words) as
// whole words, longest first so "a.b.c" is not renamed as "a.b" + ".c".
std::string Diagnostics::rename_paths(std::string message) const {
  std::vector<const Origins::value_type*> paths;
  for (const auto& origin : *origins_)
    if (origin.first.find('.') != std::string::npos) paths.push_back(&origin);
  std::stable_sort(paths.begin(), paths.end(),
                   [](const auto* a, const auto* b) { return a->first.size() > b->first.size(); });
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (const auto* origin : paths) {
    const auto& [path, to] = *origin;
    for (size_t at = message.find(path); at != std::string::npos; at = message.find(path, at)) {
      size_t end = at + path.size();
      bool whole = (at == 0 || !word_char(message[at - 1])) &&
                   (end == message.size() || (!word_char(message[end]) && message[end] != '[' &&
                                              message[end] != '.'));
      if (!whole) {
        at = end;
        continue;
      }
      message.replace(at, path.size(), to.name);
      at += to.name.size();
    }
  }
  return message;
}

void Diagnostics::error(std::string path, std::string message) {
  if (origins_) return error_at_origin(std::move(path), std::move(message));
  std::string_view probe = path;
  const toml::node* node = toml::at_path(root_, probe).node();
  while (!node && !probe.empty()) {
    probe = parent_path(probe);
    node = probe.empty() ? &root_ : toml::at_path(root_, probe).node();
  }
  error(node->source().begin, std::move(path), std::move(message));
}

std::string Diagnostics::where(const toml::node& node) const {
  return format_position(file_, node.source().begin);
}

std::string Diagnostics::report() const {
  std::vector<const Problem*> sorted;
  for (const auto& p : problems_) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Problem* a, const Problem* b) { return a->at < b->at; });
  std::string out;
  for (const Problem* p : sorted) {
    if (!out.empty()) out += '\n';
    out +=
        format_position(file_, p->at) + ": " + (p->path.empty() ? "" : p->path + ": ") + p->message;
  }
  return out;
}

}  // namespace nwbpf::config
