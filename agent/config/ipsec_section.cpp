// SPDX-License-Identifier: Apache-2.0
#include "config/ipsec_section.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/toml_reader.h"
#include "config/value_rules.h"

namespace nwbpf::config {

namespace {

using Mode = IpsecConfig::Mode;

constexpr Choice<Mode> kModes[] = {
    {"off", Mode::off},
    {"psk", Mode::psk},
    {"x509", Mode::x509},
};

std::optional<std::string> secret_problem(std::string_view secret) {
  if (secret.empty()) return "the pre-shared key is empty";
  return std::nullopt;
}

// Certificates and keys are read when the config is, so a typo is a config
// error with its line, not an IKE failure later. charon takes PEM or DER;
// we ask for PEM, which is what people keep in files and can be checked.
std::optional<std::string> pem_file_problem(std::string_view path) {
  if (auto problem = absolute_path_problem(path)) return problem;
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) return "cannot read " + std::string(path) + ": " + std::strerror(errno);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (text.find("-----BEGIN ") == std::string::npos)
    return std::string(path) + " holds no PEM block (-----BEGIN ...)";
  return std::nullopt;
}

// Keys of one mode are refused in another: a secret left in an x509 config
// would look like it protects something. Keys not read under `mode` (nullopt:
// invalid, reported) are marked known so they are not also "unknown".
void check_mode_keys(const toml::table& table, TableReader& r, std::optional<Mode> mode,
                     Diagnostics& diag) {
  struct KeyMode {
    std::string_view key;
    Mode mode;
    std::string_view mode_name;
  };
  static constexpr KeyMode kKeys[] = {{"secret", Mode::psk, "psk"},
                                      {"certificate", Mode::x509, "x509"},
                                      {"private_key", Mode::x509, "x509"},
                                      {"ca", Mode::x509, "x509"}};
  for (const auto& k : kKeys) {
    if (mode != k.mode) r.known(k.key);
    if (!mode) continue;
    if (mode == k.mode && !table.contains(k.key))
      diag.error(r.path_of(k.key),
                 "required key is missing: mode \"" + std::string(k.mode_name) + "\" needs it");
    if (mode != k.mode && table.contains(k.key))
      diag.error(r.path_of(k.key), "only for mode \"" + std::string(k.mode_name) + "\"");
  }
}

void read_x509(TableReader& r, IpsecConfig& ipsec, Diagnostics& diag) {
  if (auto v = r.string("certificate", Need::optional, pem_file_problem)) ipsec.certificate = *v;
  if (auto v = r.string("private_key", Need::optional, pem_file_problem)) ipsec.private_key = *v;
  if (const auto* ca = r.array("ca")) {
    if (ca->empty()) diag.error(r.path_of("ca"), "empty: name at least one CA certificate");
    for (size_t i = 0; i < ca->size(); i++)
      if (auto v = read_string(*ca->get(i), index_path(r.path_of("ca"), i), diag, pem_file_problem))
        ipsec.ca.push_back(*v);
  }
}

}  // namespace

IpsecConfig read_ipsec(const toml::table& table, const Config& config, Diagnostics& diag) {
  TableReader r(table, "ipsec", diag);
  IpsecConfig ipsec;
  auto mode = r.choice<Mode>("mode", kModes);
  if (!table.contains("mode"))
    diag.error(r.path_of("mode"),
               "required key is missing: \"psk\", \"x509\" or \"off\" (plaintext, said explicitly)");
  if (mode) ipsec.mode = *mode;
  check_mode_keys(table, r, mode, diag);
  if (mode && *mode != Mode::off && config.dataplane.mode != DataplaneMode::kernel_tunnel)
    diag.error(r.path_of("mode"),
               "encryption needs dataplane.mode = \"kernel-tunnel\": XFRM applies ESP only to "
               "packets the kernel sends, and XDP/TC encapsulation bypasses it");
  // Values are read only under their own mode (a misplaced key is reported
  // once, above, not also for what it holds).
  if (mode == Mode::psk)
    if (auto v = r.string("secret", Need::optional, secret_problem)) ipsec.secret = *v;
  if (mode == Mode::x509) read_x509(r, ipsec, diag);
  if (auto v = r.string("vici_socket", Need::optional, socket_path_problem)) ipsec.vici_socket = *v;
  r.reject_unknown();
  return ipsec;
}

}  // namespace nwbpf::config
