// SPDX-License-Identifier: Apache-2.0
#include "config/nante_wan_conf.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "config/diagnostics.h"
#include "config/ini_reader.h"
#include "config/sections.h"
#include "config/toml_reader.h"
#include "config/validate.h"
#include "config/value_rules.h"

namespace nwbpf {

namespace config {

namespace {

// The keys Nante-WAN's scripts read, by section, in the seed file's order. A
// name ending in '*' is a list: Nante-WAN collects every key matching
// re.match(r"rr_addr\d*"), a prefix match, and its README writes them
// rr_addrs\d+; both are taken, in file order.
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kKnownKeys = {
    {"general", {"dmvpn_addr"}},
    {"config_fetch", {"timeout", "interval", "failed_interval"}},
    {"routing",
     {"wan_interface", "dmvpn_interface", "nhs_nbma_addr*", "as_number", "rr_addr*", "bgp_password",
      "ipsec_secret", "gre_key", "gre_ttl", "bgp_range"}},
    {"portconfig", {"br_interface", "json_url_prefix", "bind_port", "bind_addr", "json_config"}},
    {"ebconfig", {"br_interface", "json_url_prefix", "bind_port", "bind_addr", "json_config"}},
};

const std::vector<std::string_view>* keys_of(std::string_view section) {
  for (const auto& [name, keys] : kKnownKeys)
    if (name == section) return &keys;
  return nullptr;
}

bool in_list(std::string_view key, std::string_view list) {
  if (!key.starts_with(list)) return false;
  std::string_view rest = key.substr(list.size());
  if (rest.starts_with('s')) rest.remove_prefix(1);
  return std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The known key (a list's name without '*') `key` of `section` is.
std::optional<std::string_view> known_key(std::string_view section, std::string_view key) {
  for (std::string_view known : *keys_of(section)) {
    if (known.ends_with('*') ? in_list(key, known.substr(0, known.size() - 1)) : key == known)
      return known;
  }
  return std::nullopt;
}

// Python's int() as Nante-WAN's getint() applies it, without its rarer
// forms (underscores, non-ASCII digits).
std::optional<int64_t> parse_integer(std::string_view text) {
  if (text.starts_with('+') && !text.starts_with("+-")) text.remove_prefix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string not_an_integer(std::string_view text) {
  std::string message = quote(text) + " is not an integer";
  if (text.find_first_of("#;") != std::string_view::npos)
    message +=
        " (a comment must be on a line of its own: a '#' or ';' after a value is part of it)";
  return message;
}

// Builds the TOML document a nante-wan.conf stands for, with the origin of
// every key path it could hold.
class Importer {
 public:
  Importer(std::string_view text, std::string file) : file_(std::move(file)) {
    ini_ = IniFile::parse(text, problems);
    read_entries();
    bool route_server = is_route_server();
    root.insert("agent", toml::table{{"roles", toml::array{route_server ? "route-server" : "ce"}}});
    build_node();
    build_ipsec();
    build_bgp(route_server);
    build_nhrp(route_server);
    build_fetch(route_server);
  }

  toml::table root;
  Origins origins;
  std::vector<IniProblem> problems;
  std::multimap<uint32_t, std::string> unused;  // by line

 private:
  void read_entries() {
    for (const auto& section : ini_.sections()) {
      if (keys_of(section.name)) {
        present_[section.name] = &section;
        entries_[section.name] = ini_.entries(section, problems);
        continue;
      }
      std::vector<std::string> names;
      for (const auto& [name, keys] : kKnownKeys) names.emplace_back(name);
      problems.push_back({section.at, "[" + section.name + "]",
                          "unknown section" + unknown_key_hint(section.name, names)});
    }
    // After every interpolation: a key that only feeds others is used.
    std::set<std::string> inherited;
    for (auto& [section, entries] : entries_) {
      std::vector<std::string> names;
      for (auto known : *keys_of(section))
        names.push_back(known.ends_with('*') ? std::string(known.substr(0, known.size() - 1)) + "1"
                                             : std::string(known));
      std::erase_if(entries, [&](const IniEntry& e) {
        if (known_key(section, e.key)) {
          if (e.inherited) inherited.insert(e.key);
          return false;
        }
        if (!e.inherited && !ini_.referenced(section, e.key))
          problems.push_back(
              {e.key_at, section + "." + e.key, "unknown key" + unknown_key_hint(e.key, names)});
        return true;
      });
    }
    for (const auto& value : ini_.defaults().values)
      if (!inherited.contains(value.key) && !ini_.referenced("DEFAULT", value.key))
        problems.push_back({value.key_at, "DEFAULT." + value.key,
                            "no section uses this key (it is inherited only by keys a section "
                            "knows)"});
  }

  const IniEntry* get(std::string_view section, std::string_view key) const {
    auto it = entries_.find(section);
    if (it == entries_.end()) return nullptr;
    auto entry = std::find_if(it->second.begin(), it->second.end(),
                              [&](const IniEntry& e) { return e.key == key; });
    return entry == it->second.end() ? nullptr : &*entry;
  }

  std::vector<const IniEntry*> list(std::string_view section, std::string_view name) const {
    std::vector<const IniEntry*> out;
    if (auto it = entries_.find(section); it != entries_.end())
      for (const auto& e : it->second)
        if (in_list(e.key, name)) out.push_back(&e);
    return out;
  }

  toml::source_position section_at(std::string_view section) const {
    auto it = present_.find(section);
    return it == present_.end() ? toml::source_position{} : it->second->at;
  }

  // A node whose own address is one of the route reflectors is one.
  bool is_route_server() const {
    const IniEntry* self = get("general", "dmvpn_addr");
    auto address = self ? Ipv4::parse(self->value) : std::nullopt;
    auto reflectors = list("routing", "rr_addr");
    return address && std::any_of(reflectors.begin(), reflectors.end(), [&](const IniEntry* e) {
             return Ipv4::parse(e->value) == address;
           });
  }

  // The table at `path` (origin: its section's header) in the root.
  toml::table& table(const std::string& path, std::string_view section) {
    origins[path] = {section_at(section), "[" + std::string(section) + "]"};
    return *root.insert(path, toml::table{}).first->second.as_table();
  }

  // Records where `path` comes from: the entry, or its section's header
  // when the entry is absent (where "required key is missing" points).
  const IniEntry* source(const std::string& path, std::string_view section, std::string_view key) {
    const IniEntry* e = get(section, key);
    origins[path] = {e ? e->at : section_at(section),
                     std::string(section) + "." + std::string(key)};
    return e;
  }

  void put_string(toml::table& table, const std::string& path, std::string_view key,
                  std::string_view section, std::string_view ini_key) {
    if (const IniEntry* e = source(path + "." + std::string(key), section, ini_key))
      table.insert_or_assign(key, e->value);
  }

  void put_integer(toml::table& table, const std::string& path, std::string_view key,
                   std::string_view section, std::string_view ini_key) {
    std::string at = path + "." + std::string(key);
    const IniEntry* e = source(at, section, ini_key);
    if (!e) return;
    if (auto value = parse_integer(e->value)) {
      table.insert_or_assign(key, *value);
      return;
    }
    problems.push_back({e->at, origins[at].name, not_an_integer(e->value)});
    origins[at].reported = true;
  }

  void put_list(toml::table& table, const std::string& path, std::string_view key,
                std::string_view section, std::string_view name) {
    std::string at = path + "." + std::string(key);
    auto entries = list(section, name);
    origins[at] = {entries.empty() ? section_at(section) : entries.front()->at,
                   std::string(section) + "." + std::string(name) + "*"};
    if (entries.empty()) return;
    toml::array values;
    for (size_t i = 0; i < entries.size(); ++i) {
      values.push_back(entries[i]->value);
      origins[index_path(at, i)] = {entries[i]->at, std::string(section) + "." + entries[i]->key};
    }
    table.insert_or_assign(key, std::move(values));
  }

  void note_unused(const IniEntry* e, std::string_view section, std::string_view why) {
    if (!e) return;
    unused.emplace(e->at.line, file_ + ":" + std::to_string(e->at.line) + ": " +
                                   std::string(section) + "." + e->key +
                                   ": not used: " + std::string(why));
  }
  void note_unused(std::string_view section, std::string_view key, std::string_view why) {
    note_unused(get(section, key), section, why);
  }

  void build_node() {
    toml::table& node = table("node", "general");
    put_string(node, "node", "overlay_address", "general", "dmvpn_addr");
    put_string(node, "node", "wan_interface", "routing", "wan_interface");
    toml::table& dataplane = table("dataplane", "routing");
    put_integer(dataplane, "dataplane", "ttl", "routing", "gre_ttl");
    if (dataplane.empty()) root.erase("dataplane");
    note_unused(
        "routing", "dmvpn_interface",
        "nwbpf needs no GRE device (NHRP runs on raw GRE sockets, VXLAN goes straight between "
        "NBMA addresses)");
  }

  // Nante-WAN always encrypts (strongSwan with the PSK ipsec_secret), so the
  // import does too, which takes the kernel-tunnel data path (XFRM applies
  // only to packets the kernel sends). A host without ESP is refused at
  // start; nwbpfd --plaintext is the explicit way out.
  void build_ipsec() {
    toml::table& ipsec = table("ipsec", "routing");
    ipsec.insert_or_assign("mode", "psk");
    origins["ipsec.mode"] = {section_at("routing"), "[routing]"};
    put_string(ipsec, "ipsec", "secret", "routing", "ipsec_secret");
    if (!get("routing", "ipsec_secret")) {
      problems.push_back({section_at("routing"), "routing.ipsec_secret",
                          "required key is missing: Nante-WAN encrypts the overlay with this "
                          "pre-shared key (nwbpfd --plaintext runs without encryption)"});
      origins["ipsec.secret"].reported = true;
    }
    toml::table* dataplane = root["dataplane"].as_table();
    if (!dataplane) dataplane = &table("dataplane", "routing");
    dataplane->insert_or_assign("mode", "kernel-tunnel");
    origins["dataplane.mode"] = origins["ipsec.secret"];
  }

  void build_bgp(bool route_server) {
    toml::table& bgp = table("bgp", "routing");
    put_integer(bgp, "bgp", "as", "routing", "as_number");
    put_string(bgp, "bgp", "password", "routing", "bgp_password");
    if (!route_server) return put_list(bgp, "bgp", "route_reflectors", "routing", "rr_addr");
    put_string(bgp, "bgp", "listen_range", "routing", "bgp_range");
    for (const IniEntry* e : list("routing", "rr_addr"))
      note_unused(e, "routing", "a route server connects to no route reflector");
  }

  void build_nhrp(bool route_server) {
    toml::table& nhrp = table("nhrp", "routing");
    put_string(nhrp, "nhrp", "overlay_range", "routing", "bgp_range");
    put_integer(nhrp, "nhrp", "gre_key", "routing", "gre_key");
    if (!route_server) return put_list(nhrp, "nhrp", "servers", "routing", "nhs_nbma_addr");
    for (const IniEntry* e : list("routing", "nhs_nbma_addr"))
      note_unused(e, "routing", "a route server is an NHS itself");
  }

  void build_fetch(bool route_server) {
    constexpr std::string_view kFetched[] = {"portconfig", "ebconfig"};
    for (std::string_view kind : kFetched)
      if (const IniEntry* e = get(kind, "json_config"))
        problems.push_back({e->at, std::string(kind) + ".json_config",
                            "Nante-WAN's test setting (a local file in place of json_url_prefix) "
                            "is not supported"});
    if (route_server) {
      for (std::string_view section : {"config_fetch", "portconfig", "ebconfig"})
        if (auto it = entries_.find(section); it != entries_.end())
          for (const auto& e : it->second)
            note_unused(&e, section, "a route server fetches no portconfig or ebconfig");
      return;
    }
    if (!present_.contains("config_fetch") && !present_.contains("portconfig") &&
        !present_.contains("ebconfig"))
      return;
    toml::table& fetch = table("fetch", "config_fetch");
    put_integer(fetch, "fetch", "timeout", "config_fetch", "timeout");
    put_integer(fetch, "fetch", "interval", "config_fetch", "interval");
    put_integer(fetch, "fetch", "failed_interval", "config_fetch", "failed_interval");
    for (std::string_view kind : kFetched) {
      if (!present_.contains(kind)) continue;
      std::string path = "fetch." + std::string(kind);
      origins[path] = {section_at(kind), "[" + std::string(kind) + "]"};
      toml::table source;
      put_string(source, path, "json_url_prefix", kind, "json_url_prefix");
      put_integer(source, path, "bind_port", kind, "bind_port");
      put_bind_address(source, path, kind);
      note_unused(kind, "br_interface",
                  "nwbpf needs no bridge (BPF forwards between the ports the portconfig names)");
      fetch.insert(kind, std::move(source));
    }
  }

  // Nante-WAN listens on dmvpn_addr unless bind_addr says otherwise. nwbpf
  // has no overlay device to hold that address: it listens on the NBMA
  // address, which the config server reaches through NHRP.
  void put_bind_address(toml::table& source, const std::string& path, std::string_view kind) {
    const IniEntry* e = get(kind, "bind_addr");
    const IniEntry* self = get("general", "dmvpn_addr");
    if (e && self && e->value == self->value)
      return note_unused(e, kind,
                         "it is dmvpn_addr, Nante-WAN's default; nwbpf listens on the NBMA address "
                         "(there is no overlay device)");
    put_string(source, path, "bind_address", kind, "bind_addr");
  }

  std::string file_;
  IniFile ini_;
  std::map<std::string, const IniSection*, std::less<>> present_;
  std::map<std::string, std::vector<IniEntry>, std::less<>> entries_;
};

// The readers and checks of the TOML path on the imported document.
Config check(Importer& imported, const std::string& path) {
  Diagnostics diag(path, imported.root, std::move(imported.origins));
  for (auto& p : imported.problems) diag.error(p.at, std::move(p.path), std::move(p.message));
  Config config = read_sections(imported.root, diag);
  validate(config, diag);
  if (!diag.empty()) throw ConfigError(diag.report());
  config.path = path;
  for (auto& [line, text] : imported.unused) config.unused.push_back(std::move(text));
  return config;
}

}  // namespace

}  // namespace config

Config parse_nante_wan_conf(std::string_view text, const std::string& path) {
  config::Importer imported(text, path);
  return config::check(imported, path);
}

std::string nante_wan_conf_to_toml(std::string_view text, const std::string& path) {
  config::Importer imported(text, path);
  Config config = config::check(imported, path);
  std::ostringstream out;
  out << "# nwbpf config imported from " << path << " (nwbpf config import)\n";
  for (const auto& line : config.unused) out << "# " << line << '\n';
  out << '\n' << imported.root << '\n';
  return out.str();
}

}  // namespace nwbpf
