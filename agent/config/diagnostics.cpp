// SPDX-License-Identifier: Apache-2.0
#include "config/diagnostics.h"

#include <algorithm>

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

void Diagnostics::error(const toml::source_position& at, std::string path, std::string message) {
  problems_.push_back({at, std::move(path), std::move(message)});
}

void Diagnostics::error(std::string path, std::string message) {
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
