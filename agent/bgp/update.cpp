// SPDX-License-Identifier: Apache-2.0
#include "bgp/update.h"

#include <arpa/inet.h>

#include <array>
#include <string>

#include "bgp/attribute_list.h"
#include "bgp/rfc7606.h"

namespace nwbpf::bgp {
namespace {

Error malformed_list(size_t offset, std::string text) {
  return Error::make(ErrorCode::update_message, UpdateError::malformed_attribute_list, offset,
                     "UPDATE: " + std::move(text));
}

// RFC 4271 §6.3 / RFC 7606 §3(d): the well-known mandatory attributes a
// route needs. NEXT_HOP only for routes in the NLRI field: MP_REACH_NLRI
// carries its own next hop (RFC 4760 §3), and an UPDATE that only withdraws
// needs nothing.
void check_mandatory(const AttributesSeen& seen, size_t offset, Update& update) {
  const bool nlri = !update.nlri.empty();
  if (!nlri && !update.attributes.mp_reach) return;
  for (AttrType type : {AttrType::origin, AttrType::as_path, AttrType::next_hop}) {
    if (type == AttrType::next_hop && !nlri) continue;
    if (seen[uint8_t(type)]) continue;  // present, and reported if it was bad
    note_update_error(
        update,
        Error::make(ErrorCode::update_message, UpdateError::missing_well_known_attribute, offset,
                    "UPDATE: missing well-known attribute " +
                        std::string(find_attribute_rule(uint8_t(type))->name),
                    wire::Bytes{uint8_t(type)}),
        kOnMissingMandatory);
  }
}

}  // namespace

Result<std::vector<Prefix4>> decode_ipv4_nlri(std::span<const uint8_t> bytes, size_t base_offset) {
  wire::Reader in(bytes, base_offset);
  std::vector<Prefix4> prefixes;
  auto invalid = [](size_t offset, std::string text) {
    return Error::make(ErrorCode::update_message, UpdateError::invalid_network_field, offset,
                       std::move(text));
  };
  while (!in.empty()) {
    const size_t at = in.offset();
    Prefix4 prefix;
    in.u8(prefix.length);
    if (prefix.length > 32)
      return invalid(at, "prefix length " + std::to_string(prefix.length) + " is over 32");
    std::array<uint8_t, 4> octets{};
    const size_t n = (prefix.length + 7) / 8;
    if (!in.copy(std::span(octets).first(n)))
      return invalid(at, "prefix /" + std::to_string(prefix.length) + " overruns the field");
    uint32_t host = uint32_t(octets[0]) << 24 | uint32_t(octets[1]) << 16 |
                    uint32_t(octets[2]) << 8 | octets[3];
    if (prefix.length < 32) host &= ~(0xffffffffu >> prefix.length);
    prefix.address.be = htonl(host);
    prefixes.push_back(prefix);
  }
  return prefixes;
}

void encode_ipv4_nlri(std::span<const Prefix4> prefixes, wire::Bytes& out) {
  for (const auto& prefix : prefixes) {
    if (prefix.length > 32)
      throw EncodeError("prefix length " + std::to_string(prefix.length) + " is over 32");
    out.push_back(prefix.length);
    const uint32_t host = ntohl(prefix.address.be);
    for (size_t i = 0; i < size_t(prefix.length + 7) / 8; ++i)
      out.push_back(uint8_t(host >> (24 - 8 * i)));
  }
}

Result<Update> decode_update(wire::Reader body, const SessionOptions& options) {
  // RFC 4271 §4.3; the framer guaranteed the two length fields' 4 octets.
  Update update;
  const size_t withdrawn_at = body.offset();
  uint16_t withdrawn_length = 0;
  body.u16(withdrawn_length);
  std::span<const uint8_t> withdrawn;
  // RFC 4271 §6.3: lengths that overrun the message are Malformed Attribute
  // List; the NLRI cannot be located, so RFC 7606 §3(j) leaves only a reset.
  if (!body.bytes(withdrawn_length, withdrawn) || body.remaining() < 2)
    return malformed_list(
        withdrawn_at,
        "withdrawn routes length " + std::to_string(withdrawn_length) + " overruns the message");
  auto routes = decode_ipv4_nlri(withdrawn, withdrawn_at + 2);
  if (auto* error = std::get_if<Error>(&routes)) {
    error->text = "UPDATE: withdrawn routes: " + error->text;
    return *error;
  }
  update.withdrawn = std::move(std::get<std::vector<Prefix4>>(routes));

  const size_t attributes_at = body.offset();
  uint16_t attributes_length = 0;
  body.u16(attributes_length);
  wire::Reader field(std::span<const uint8_t>{});
  if (!body.sub(attributes_length, field))
    return malformed_list(attributes_at, "total path attribute length " +
                                             std::to_string(attributes_length) +
                                             " overruns the message");
  AttributesSeen seen;
  if (auto error = decode_attributes(field, options, update, seen)) return *error;

  routes = decode_ipv4_nlri(body.rest(), body.offset());
  if (auto* error = std::get_if<Error>(&routes)) {
    error->text = "UPDATE: NLRI: " + error->text;
    return *error;
  }
  update.nlri = std::move(std::get<std::vector<Prefix4>>(routes));
  check_mandatory(seen, attributes_at, update);
  return update;
}

void encode_update(const Update& update, const SessionOptions& options, wire::Writer& out) {
  wire::Bytes routes;
  encode_ipv4_nlri(update.withdrawn, routes);
  if (routes.size() > 0xffff) throw EncodeError("withdrawn routes over 65535 octets");
  out.u16(uint16_t(routes.size()));
  out.bytes(routes);
  const size_t attributes = out.reserve(2);
  encode_attributes(update.attributes, options, out);
  if (!out.patch_length(attributes, 2)) throw EncodeError("path attributes over 65535 octets");
  routes.clear();
  encode_ipv4_nlri(update.nlri, routes);
  out.bytes(routes);
}

Update make_end_of_rib(Family family) {
  Update update;
  if (family != kIpv4Unicast) update.attributes.mp_unreach = MpUnreach{family, {}};
  return update;
}

std::optional<Family> end_of_rib_family(const Update& update) {
  if (!update.withdrawn.empty() || !update.nlri.empty()) return std::nullopt;
  PathAttributes others = update.attributes;
  others.mp_unreach.reset();
  if (others != PathAttributes{}) return std::nullopt;
  if (!update.attributes.mp_unreach) return kIpv4Unicast;
  if (!update.attributes.mp_unreach->withdrawn.empty()) return std::nullopt;
  return update.attributes.mp_unreach->family;
}

}  // namespace nwbpf::bgp
