// SPDX-License-Identifier: Apache-2.0
#include "daemon/control_handler.h"

#include "control/protocol.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

namespace {

using nlohmann::json;

json error(std::string text) {
  return json{{control::kOk, false}, {control::kError, std::move(text)}};
}

// Thrown for a request we refuse; its text is the answer's error.
struct BadRequest {
  std::string text;
};

const json& string_field(const json& request, const char* key, const std::string& missing) {
  auto it = request.find(key);
  if (it == request.end() || !it->is_string()) throw BadRequest{missing};
  return *it;
}

void only_keys(const json& request, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : request.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) throw BadRequest{"unknown key \"" + key + "\" in request"};
  }
}

// An optional unsigned number field within [min, max].
template <typename T>
std::optional<T> number_field(const json& request, const char* key, uint32_t min, uint32_t max) {
  auto it = request.find(key);
  if (it == request.end()) return std::nullopt;
  if (!it->is_number_unsigned() || it->get<uint64_t>() < min || it->get<uint64_t>() > max)
    throw BadRequest{"\"" + std::string(key) + "\" must be a number from " + std::to_string(min) +
                     " to " + std::to_string(max)};
  return T(it->get<uint64_t>());
}

constexpr uint32_t kMaxVni = (1u << 24) - 1;  // 24-bit VNI, RFC 7348 section 5

std::function<json()> show_handler(const json& request, const ControlBackend& backend) {
  const std::string known =
      "ports, peers, fdb, stats, bgp-summary, bgp-evpn, nhrp, config-server, portconfig, acl or ipsec";
  const std::string object =
      string_field(request, control::kObject, "show needs \"object\": " + known)
          .get<std::string>();
  if (object == "bgp-evpn") {
    only_keys(request, {control::kCommand, control::kObject, control::kType, control::kVni});
    // RFC 7432 and RFC 9136 define route types 1 to 5.
    evpn::RouteFilter filter{number_field<uint8_t>(request, control::kType, 1, 5),
                             number_field<uint32_t>(request, control::kVni, 1, kMaxVni)};
    return [&backend, filter] { return backend.show_bgp_evpn(filter); };
  }
  if (object == "nhrp") {
    only_keys(request, {control::kCommand, control::kObject, control::kTable});
    std::optional<std::string> table;
    if (request.contains(control::kTable)) {
      table = string_field(request, control::kTable, "\"table\" must be a string").get<std::string>();
      if (*table != "cache" && *table != "nhs" && *table != "shortcut")
        throw BadRequest{"unknown table \"" + *table + "\" (cache, nhs or shortcut)"};
    }
    return [&backend, table] { return backend.show_nhrp(table); };
  }
  if (object == "acl") {
    only_keys(request, {control::kCommand, control::kObject, control::kVlan});
    auto vlan = number_field<uint16_t>(request, control::kVlan, 1, NWBPF_VLAN_MAX);
    return [&backend, vlan] { return backend.show_acl(vlan); };
  }
  only_keys(request, {control::kCommand, control::kObject});
  if (object == "ports") return backend.show_ports;
  if (object == "peers") return backend.show_peers;
  if (object == "fdb") return backend.show_fdb;
  if (object == "stats") return backend.show_stats;
  if (object == "bgp-summary") return backend.show_bgp_summary;
  if (object == "portconfig") return backend.show_portconfig;
  if (object == "config-server") return backend.show_config_server;
  if (object == "ipsec") return backend.show_ipsec;
  throw BadRequest{"unknown object \"" + object + "\" (" + known + ")"};
}

std::function<json()> handler_for(const json& request, const ControlBackend& backend) {
  if (!request.is_object()) throw BadRequest{"request must be a JSON object"};
  const std::string command =
      string_field(request, control::kCommand, "request has no \"command\" string")
          .get<std::string>();
  if (command == "show") return show_handler(request, backend);
  if (command == "reload") {
    only_keys(request, {control::kCommand});
    return backend.reload;
  }
  throw BadRequest{"unknown command \"" + command + "\" (show, reload)"};
}

}  // namespace

json answer_request(std::string_view line, const ControlBackend& backend) {
  if (line.size() > control::kMaxLine)
    return error("request longer than " + std::to_string(control::kMaxLine) + " bytes");
  json request;
  try {
    request = json::parse(line);
  } catch (const json::parse_error& e) {
    return error("malformed JSON at byte " + std::to_string(e.byte));
  }
  try {
    auto handler = handler_for(request, backend);
    return json{{control::kOk, true}, {control::kResult, handler()}};
  } catch (const BadRequest& e) {
    return error(e.text);
  } catch (const std::exception& e) {
    return error(e.what());
  }
}

std::string answer_line(const json& answer) {
  return answer.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace nwbpf::daemon
