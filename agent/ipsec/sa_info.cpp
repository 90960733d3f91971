// SPDX-License-Identifier: Apache-2.0
#include "ipsec/sa_info.h"

#include <charconv>
#include <limits>

namespace nwbpf::ipsec {

using vici::Error;
using vici::Result;
using vici::Section;

namespace {

// Reads the keys of one section; every error starts with `where`
// ("IKE_SA <name>: " or "IKE_SA <name>: child-sas <section>: ").
class Fields {
 public:
  Fields(std::string where, const Section& section) : where_(std::move(where)), s_(section) {}

  Error error(std::string_view key, std::string_view problem) const {
    return Error{0, where_ + std::string(key) + " " + std::string(problem)};
  }
  Error bad(std::string_view key, const std::string& value, std::string_view problem) const {
    return error(key, "\"" + value + "\" " + std::string(problem));
  }

  Result<std::string> text(std::string_view key) const {
    const vici::Value* v = s_.value(key);
    if (!v) return error(key, "missing");
    return *v;
  }
  // Decimal digits only (charon prints %u, %d, PRIu64), in T's range.
  template <class T>
  Result<T> number(std::string_view key) const {
    auto v = text(key);
    if (!v) return v.error();
    auto n = to_number(key, v.value(), std::numeric_limits<T>::max());
    if (!n) return n.error();
    return static_cast<T>(n.value());
  }
  Result<std::optional<uint64_t>> optional_number(std::string_view key) const {
    const vici::Value* v = s_.value(key);
    if (!v) return std::optional<uint64_t>{};
    auto n = to_number(key, *v, std::numeric_limits<uint64_t>::max());
    if (!n) return n.error();
    return std::optional<uint64_t>{n.value()};
  }
  // charon writes these keys only when true, and then as "yes".
  Result<bool> flag(std::string_view key) const {
    const vici::Value* v = s_.value(key);
    if (!v) return false;
    if (*v != "yes") return bad(key, *v, "is not yes");
    return true;
  }
  // An SPI: "%.8x" of the host-order value, exactly 8 hex digits.
  Result<uint32_t> spi(std::string_view key) const {
    auto v = text(key);
    if (!v) return v.error();
    const std::string& s = v.value();
    if (s.empty() || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return bad(key, s, "is not hex");
    if (s.size() != 8) return bad(key, s, "is not 8 hex digits");
    uint32_t out = 0;
    std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return out;
  }
  Result<std::vector<std::string>> list(std::string_view key) const {
    const vici::List* l = s_.list(key);
    if (!l) return error(key, "missing");
    return *l;
  }

 private:
  Result<uint64_t> to_number(std::string_view key, const std::string& s, uint64_t max) const {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
      return bad(key, s, "is not a decimal number");
    uint64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
    if (ec != std::errc{} || out > max)
      return bad(key, s, "is out of range (0-" + std::to_string(max) + ")");
    return out;
  }

  std::string where_;
  const Section& s_;
};

// Assigns the value of a Result to `out`, or returns its error. (Outcome's
// BOOST_OUTCOME_TRY declares a new variable; these are struct members.)
#define NWBPF_TRY(out, expr)            \
  do {                                  \
    auto r_ = (expr);                   \
    if (!r_) return r_.error();         \
    out = std::move(r_).value();        \
  } while (0)

// States in which list_child() reports protocol, SPIs, counters and
// install-time: the SA's keys are in the kernel.
bool installed(std::string_view state) {
  return state == "INSTALLED" || state == "REKEYING" || state == "REKEYED";
}

Result<ChildSaInfo> parse_child(const std::string& where, const Section& section) {
  Fields f(where, section);
  ChildSaInfo c;
  NWBPF_TRY(c.name, f.text("name"));
  NWBPF_TRY(c.uniqueid, f.number<uint32_t>("uniqueid"));
  NWBPF_TRY(c.reqid, f.number<uint32_t>("reqid"));
  NWBPF_TRY(c.state, f.text("state"));
  NWBPF_TRY(c.mode, f.text("mode"));
  NWBPF_TRY(c.local_ts, f.list("local-ts"));
  NWBPF_TRY(c.remote_ts, f.list("remote-ts"));
  if (!installed(c.state)) return c;
  NWBPF_TRY(c.protocol, f.text("protocol"));
  NWBPF_TRY(c.encap, f.flag("encap"));
  NWBPF_TRY(c.spi_in, f.spi("spi-in"));
  NWBPF_TRY(c.spi_out, f.spi("spi-out"));
  NWBPF_TRY(c.bytes_in, f.number<uint64_t>("bytes-in"));
  NWBPF_TRY(c.packets_in, f.number<uint64_t>("packets-in"));
  NWBPF_TRY(c.bytes_out, f.number<uint64_t>("bytes-out"));
  NWBPF_TRY(c.packets_out, f.number<uint64_t>("packets-out"));
  NWBPF_TRY(c.install_time, f.number<uint64_t>("install-time"));
  return c;
}

// The one IKE_SA section of an event; other root entries (`up`) are keys.
Result<const vici::Entry*> only_section(std::string_view event, const vici::Message& m) {
  const vici::Entry* found = nullptr;
  for (const auto& e : m.entries()) {
    if (!std::holds_alternative<Section>(e.content)) continue;
    if (found)
      return Error{0, std::string(event) + " event has more than one IKE_SA section: " +
                          found->name + ", " + e.name};
    found = &e;
  }
  if (!found) return Error{0, std::string(event) + " event has no IKE_SA section"};
  return found;
}

}  // namespace

Result<IkeSaInfo> parse_ike_sa(std::string_view name, const Section& section) {
  const std::string where = "IKE_SA " + std::string(name) + ": ";
  Fields f(where, section);
  IkeSaInfo sa;
  sa.name = std::string(name);
  NWBPF_TRY(sa.uniqueid, f.number<uint32_t>("uniqueid"));
  NWBPF_TRY(sa.state, f.text("state"));
  NWBPF_TRY(sa.local_host, f.text("local-host"));
  NWBPF_TRY(sa.local_port, f.number<uint16_t>("local-port"));
  NWBPF_TRY(sa.local_id, f.text("local-id"));
  NWBPF_TRY(sa.remote_host, f.text("remote-host"));
  NWBPF_TRY(sa.remote_port, f.number<uint16_t>("remote-port"));
  NWBPF_TRY(sa.remote_id, f.text("remote-id"));
  NWBPF_TRY(sa.initiator, f.flag("initiator"));
  NWBPF_TRY(sa.nat_local, f.flag("nat-local"));
  NWBPF_TRY(sa.nat_remote, f.flag("nat-remote"));
  NWBPF_TRY(sa.nat_any, f.flag("nat-any"));
  NWBPF_TRY(sa.established, f.optional_number("established"));
  // child-sas: absent in ike-updown. Its sections are named
  // "<name>-<uniqueid>" by list-sas; the config name is the `name` key.
  if (const Section* children = section.section("child-sas")) {
    for (const auto& e : children->entries()) {
      const auto* child = std::get_if<Section>(&e.content);
      if (!child) continue;
      auto parsed = parse_child(where + "child-sas " + e.name + ": ", *child);
      if (!parsed) return parsed.error();
      sa.children.push_back(std::move(parsed).value());
    }
  }
  return sa;
}

Result<UpDown> parse_updown(const vici::Message& event) {
  UpDown out;
  if (const vici::Value* up = event.value("up")) {
    if (*up != "yes") return Error{0, "updown event: up \"" + *up + "\" is not yes"};
    out.up = true;
  }
  auto section = only_section("updown", event);
  if (!section) return section.error();
  const vici::Entry& e = *section.value();
  NWBPF_TRY(out.sa, parse_ike_sa(e.name, std::get<Section>(e.content)));
  return out;
}

Result<IkeSaInfo> parse_list_sa(const vici::Message& event) {
  auto section = only_section("list-sa", event);
  if (!section) return section.error();
  const vici::Entry& e = *section.value();
  return parse_ike_sa(e.name, std::get<Section>(e.content));
}

#undef NWBPF_TRY

}  // namespace nwbpf::ipsec
