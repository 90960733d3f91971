// SPDX-License-Identifier: Apache-2.0
#include "daemon/control_handler.h"

#include "control/protocol.h"

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

const std::function<json()>& show_handler(const json& request, const ControlBackend& backend) {
  const std::string missing = "show needs \"object\": ports, peers, fdb or stats";
  const std::string object = string_field(request, control::kObject, missing).get<std::string>();
  only_keys(request, {control::kCommand, control::kObject});
  if (object == "ports") return backend.show_ports;
  if (object == "peers") return backend.show_peers;
  if (object == "fdb") return backend.show_fdb;
  if (object == "stats") return backend.show_stats;
  throw BadRequest{"unknown object \"" + object + "\" (ports, peers, fdb, stats)"};
}

const std::function<json()>& handler_for(const json& request, const ControlBackend& backend) {
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
    const auto& handler = handler_for(request, backend);
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
