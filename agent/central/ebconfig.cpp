// SPDX-License-Identifier: Apache-2.0
#include "central/ebconfig.h"

#include "central/ebconfig_values.h"
#include "central/json_reader.h"

namespace nwbpf::central {

namespace {

// A port other than "any" only with a protocol that has ports: ebtables
// refused --ip-sport/--ip-dport for any other, so Nante-WAN never took one.
PortRange read_rule_port(const ObjectReader& r, std::string_view key, const Json* proto_value,
                         const std::optional<Protocol>& proto, Report& report) {
  const Json* value = r.get(key);
  if (!value) return {};
  auto range = read_port_range(*value, r.path_of(key), report);
  if (!range || *value == "any") return range.value_or(PortRange{});
  if (proto && !proto->has_ports())
    report.error(r.path_of(key),
                 "a port needs proto tcp, udp, dccp or sctp, not " + show(*proto_value));
  return *range;
}

// Only "proto" is required; the others default as Nante-WAN's did: any
// address, any port, and "deny".
IpRule read_ip_rule(const Json& object, const std::string& path, Report& report) {
  ObjectReader r(object, path, report,
                 {"proto", "src-ip", "src-port", "dst-ip", "dst-port", "action"});
  IpRule rule;
  const Json* proto_value = r.get("proto", Need::required);
  auto proto = proto_value ? read_protocol(*proto_value, r.path_of("proto"), report) : std::nullopt;
  if (proto) rule.proto = *proto;
  if (const auto* v = r.get("src-ip"))
    rule.src = read_prefix(*v, r.path_of("src-ip"), report).value_or(bgp::Prefix4{});
  rule.src_port = read_rule_port(r, "src-port", proto_value, proto, report);
  if (const auto* v = r.get("dst-ip"))
    rule.dst = read_prefix(*v, r.path_of("dst-ip"), report).value_or(bgp::Prefix4{});
  rule.dst_port = read_rule_port(r, "dst-port", proto_value, proto, report);
  if (const auto* v = r.get("action"))
    rule.action = read_action(*v, r.path_of("action"), report).value_or(Action::deny);
  return rule;
}

// "default" and "rules" are both required. Nante-WAN skipped a filter that
// had no "rules", its "default" with it; a filter written with a default
// was surely meant to apply it, so rather than guess, it is refused.
template <class Filter, class ReadRule>
std::optional<Filter> read_filter(const Json& value, const std::string& path, Report& report,
                                  ReadRule read_rule) {
  if (!as_object(value, path, report)) return std::nullopt;
  ObjectReader r(value, path, report, {"default", "rules"});
  Filter filter;
  if (const auto* v = r.get("default", Need::required))
    filter.default_action = read_action(*v, r.path_of("default"), report).value_or(Action::deny);
  const Json* rules = r.get("rules");
  if (!rules)
    report.error(r.path_of("rules"), "required key is missing (an empty list [] means no rules)");
  else if (as_array(*rules, r.path_of("rules"), report))
    for (size_t i = 0; i < rules->size(); ++i) {
      std::string at = index_path(r.path_of("rules"), i);
      if (as_object((*rules)[i], at, report))
        filter.rules.push_back(read_rule((*rules)[i], at, report));
    }
  return filter;
}

std::optional<IpFilter> read_ip_filter(const Json& value, const std::string& path, Report& report) {
  return read_filter<IpFilter>(value, path, report, read_ip_rule);
}

// Both keys are required but "action" ("deny" when left out, as in
// Nante-WAN). A MAC that an earlier rule already names is kept, so rule
// numbers match the file, and warned about: it can never match.
std::optional<MacFilter> read_mac_filter(const Json& value, const std::string& path,
                                         Report& report) {
  FirstSeen<Mac> seen;
  auto read_rule = [&seen](const Json& object, const std::string& at, Report& report) {
    ObjectReader r(object, at, report, {"mac", "action"});
    MacRule rule;
    if (const auto* v = r.get("mac", Need::required)) {
      if (auto mac = read_mac(*v, r.path_of("mac"), report)) {
        rule.mac = *mac;
        if (const auto* first = seen.repeat(*mac, at))
          report.warn(r.path_of("mac"),
                      mac->str() + " is already " + *first + ", so this rule never matches");
      }
    }
    if (const auto* v = r.get("action"))
      rule.action = read_action(*v, r.path_of("action"), report).value_or(Action::deny);
    return rule;
  };
  return read_filter<MacFilter>(value, path, report, read_rule);
}

// Nante-WAN skipped an entry without "vlan" (the seed's example ends with
// {}); one that has filters would have them skipped too, which cannot be
// what its author meant, so there "vlan" is required.
std::optional<VlanFilters> read_entry(const Json& object, const std::string& path, Report& report) {
  ObjectReader r(object, path, report, {"vlan", "ip-filter", "mac-filter"});
  const Json* vlan = r.get("vlan");
  const Json* ip = r.get("ip-filter");
  const Json* mac = r.get("mac-filter");
  if (!vlan) {
    if (ip || mac)
      report.error(r.path_of("vlan"),
                   "required key is missing (only an entry without filters may leave it out)");
    return std::nullopt;
  }
  VlanFilters filters;
  auto id = read_vlan(*vlan, r.path_of("vlan"), report);
  if (ip) filters.ip = read_ip_filter(*ip, r.path_of("ip-filter"), report);
  if (mac) filters.mac = read_mac_filter(*mac, r.path_of("mac-filter"), report);
  if (!id) return std::nullopt;
  filters.vlan = *id;
  return filters;
}

}  // namespace

// A VLAN given twice is refused: Nante-WAN appended the second entry's
// rules after the first one's default, where no frame reaches them.
Result<Parsed<Ebconfig>> parse_ebconfig(std::string_view json) {
  return read_document<Ebconfig>(json, [](const Json& document, Report& report) {
    Ebconfig config;
    if (!as_array(document, "", report)) return config;
    FirstSeen<uint16_t> seen;
    for (size_t i = 0; i < document.size(); ++i) {
      std::string at = index_path("", i);
      if (!as_object(document[i], at, report)) continue;
      auto filters = read_entry(document[i], at, report);
      if (!filters) continue;
      if (const auto* first = seen.repeat(filters->vlan, at))
        report.error(key_path(at, "vlan"),
                     "VLAN " + std::to_string(filters->vlan) + " is already " + *first);
      else
        config.vlans.push_back(std::move(*filters));
    }
    return config;
  });
}

}  // namespace nwbpf::central
