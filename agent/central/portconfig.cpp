// SPDX-License-Identifier: Apache-2.0
#include "central/portconfig.h"

#include "central/json_reader.h"
#include "config/value_rules.h"

namespace nwbpf::central {

namespace {

// A repeated VLAN is refused: Nante-WAN's bridge took it twice and kept the
// last `pvid`, so the PVID of [10, 11, 10] is 10, which reads as 11.
std::vector<uint16_t> read_vlans(const Json& array, const std::string& path, Report& report) {
  std::vector<uint16_t> vlans;
  FirstSeen<uint16_t> seen;
  for (size_t i = 0; i < array.size(); ++i) {
    std::string at = index_path(path, i);
    auto vlan = read_vlan(array[i], at, report);
    if (!vlan) continue;
    if (const auto* first = seen.repeat(*vlan, at))
      report.error(at, "VLAN " + std::to_string(*vlan) + " is already " + *first);
    else
      vlans.push_back(*vlan);
  }
  return vlans;
}

// Every key is required, as Nante-WAN's port["..."] lookups make them.
PortEntry read_port(const Json& object, std::string path, Report& report) {
  ObjectReader r(object, std::move(path), report, {"name", "tagged", "vlans"});
  PortEntry port;
  if (const auto* v = r.get("name", Need::required))
    port.name = read_string(*v, r.path_of("name"), report, config::ifname_problem).value_or("");
  if (const auto* v = r.get("tagged", Need::required))
    port.tagged = read_bool(*v, r.path_of("tagged"), report).value_or(false);
  if (const auto* v = r.get("vlans", Need::required))
    if (as_array(*v, r.path_of("vlans"), report))
      port.vlans = read_vlans(*v, r.path_of("vlans"), report);
  return port;
}

std::vector<PortEntry> read_ports(const Json& array, const std::string& path, Report& report) {
  std::vector<PortEntry> ports;
  FirstSeen<std::string> seen;
  for (size_t i = 0; i < array.size(); ++i) {
    std::string at = index_path(path, i);
    if (!as_object(array[i], at, report)) continue;
    PortEntry port = read_port(array[i], at, report);
    // An empty name is an invalid one, already reported.
    if (port.name.empty()) continue;
    if (const auto* first = seen.repeat(port.name, at))
      report.error(key_path(at, "name"), show(Json(port.name)) + " is already " + *first);
    ports.push_back(std::move(port));
  }
  return ports;
}

}  // namespace

Result<Parsed<PortConfig>> parse_portconfig(std::string_view json) {
  return read_document<PortConfig>(json, [](const Json& document, Report& report) {
    PortConfig config;
    if (!as_object(document, "", report)) return config;
    ObjectReader r(document, "", report, {"name", "ports"});
    if (const auto* v = r.get("name", Need::required))
      config.name = read_string(*v, "name", report, config::ifname_problem).value_or("");
    if (const auto* v = r.get("ports", Need::required))
      if (as_array(*v, "ports", report)) config.ports = read_ports(*v, "ports", report);
    return config;
  });
}

}  // namespace nwbpf::central
