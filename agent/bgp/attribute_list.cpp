// SPDX-License-Identifier: Apache-2.0
#include "bgp/attribute_list.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "bgp/attribute_values.h"
#include "bgp/rfc7606.h"

namespace nwbpf::bgp {
namespace {

// One attribute as framed on the wire.
struct RawAttribute {
  uint8_t flags = 0;
  uint8_t type = 0;
  wire::Reader value{std::span<const uint8_t>{}};
  std::span<const uint8_t> whole;  // flags to the end of the value: NOTIFICATION data
  size_t offset = 0;
};

std::string type_name(uint8_t type) {
  if (const auto* rule = find_attribute_rule(type)) return rule->name;
  return "attribute " + std::to_string(type);
}

Error update_error(UpdateError subcode, const RawAttribute& attr, std::string text,
                   bool with_data = true) {
  return Error::make(ErrorCode::update_message, subcode, attr.offset, "UPDATE: " + std::move(text),
                     with_data ? wire::Bytes(attr.whole.begin(), attr.whole.end()) : wire::Bytes{});
}

bool is_mp(uint8_t type) {
  return type == uint8_t(AttrType::mp_reach_nlri) || type == uint8_t(AttrType::mp_unreach_nlri);
}

bool is_as4(uint8_t type) {
  return type == uint8_t(AttrType::as4_path) || type == uint8_t(AttrType::as4_aggregator);
}

// Reads one attribute header and value into `attr`, or returns why the field
// ends inside it. RFC 7606 §4 makes that treat-as-withdraw, except that an
// MP attribute cut short hides NLRI that would have to be withdrawn (§3(j)).
std::optional<std::pair<Error, UpdateAction>> read_attribute(wire::Reader& field,
                                                             RawAttribute& attr) {
  attr.offset = field.offset();
  const auto start = field.rest();
  uint8_t short_length = 0;
  uint16_t length = 0;
  bool ok = field.u8(attr.flags) && field.u8(attr.type);
  if (attr.flags & kFlagExtendedLength) {
    ok = ok && field.u16(length);
  } else {
    ok = ok && field.u8(short_length);
    length = short_length;
  }
  if (!ok)
    return std::pair{Error::make(ErrorCode::update_message, UpdateError::malformed_attribute_list,
                                 attr.offset, "UPDATE: attribute header truncated"),
                     kOnAttributeOverrun};
  if (!field.sub(length, attr.value))
    return std::pair{
        Error::make(ErrorCode::update_message, UpdateError::attribute_length_error, attr.offset,
                    "UPDATE: " + type_name(attr.type) + " length " + std::to_string(length) +
                        " overruns the attributes",
                    wire::Bytes(start.begin(), start.end())),
        is_mp(attr.type) ? kOnMpOverrun : kOnAttributeOverrun};
  attr.whole = start.first(start.size() - field.remaining());
  return std::nullopt;
}

// An attribute this codec has no rule for (RFC 4271 §5, §6.3).
std::optional<Error> decode_unknown(const RawAttribute& attr, Update& update) {
  if (!(attr.flags & kFlagOptional))
    return update_error(UpdateError::unrecognized_well_known_attribute, attr,
                        "unrecognized well-known attribute " + std::to_string(attr.type));
  if (attr.flags & kFlagTransitive) {
    // Kept in type-code order, the order the encoder writes (RFC 4271 §5).
    auto& unknown = update.attributes.unknown;
    const auto at = std::find_if(unknown.begin(), unknown.end(),
                                 [&](const UnknownAttribute& u) { return u.type > attr.type; });
    const auto value = attr.value.rest();
    unknown.insert(at, {uint8_t((attr.flags | kFlagPartial) & ~kFlagExtendedLength & 0xf0),
                        attr.type, wire::Bytes(value.begin(), value.end())});
  }
  return std::nullopt;
}

// Applies an approach: a reset's Error is returned for the NOTIFICATION,
// anything less is recorded in the Update.
std::optional<Error> settle(Update& update, Error error, UpdateAction action) {
  if (action == UpdateAction::session_reset) return error;
  note_update_error(update, std::move(error), action);
  return std::nullopt;
}

std::optional<Error> decode_known(const AttributeRule& rule, const RawAttribute& attr,
                                  const SessionOptions& options, Update& update,
                                  As4Attributes& as4) {
  const uint8_t kind = attr.flags & (kFlagOptional | kFlagTransitive);
  if (kind != rule.flags)
    return settle(update,
                  update_error(UpdateError::attribute_flags_error, attr,
                               fmt::format("{} flags 0x{:02x} conflict with its type", rule.name,
                                           attr.flags)),
                  rule.bad_flags);
  auto problem = decode_attribute_value(rule.type, attr.value, options, update.attributes, as4);
  if (!problem) return std::nullopt;
  // RFC 4271 §6.3: Malformed AS_PATH is the one attribute error without data.
  const bool with_data = problem->subcode != UpdateError::malformed_as_path;
  return settle(update, update_error(problem->subcode, attr, problem->text, with_data),
                rule.malformed);
}

}  // namespace

void note_update_error(Update& update, Error error, UpdateAction action) {
  update.errors.push_back(std::move(error));
  if (action > update.action) update.action = action;
}

std::optional<Error> decode_attributes(wire::Reader field, const SessionOptions& options,
                                       Update& update, AttributesSeen& seen) {
  std::vector<RawAttribute> attrs;
  while (!field.empty()) {
    RawAttribute attr;
    if (auto cut = read_attribute(field, attr)) {
      if (auto error = settle(update, std::move(cut->first), cut->second)) return error;
      break;
    }
    // RFC 7606 §3(g): only the first copy counts; MP attributes twice reset.
    if (seen[attr.type]) {
      auto error = settle(update,
                          update_error(UpdateError::malformed_attribute_list, attr,
                                       type_name(attr.type) + " appears twice", false),
                          is_mp(attr.type) ? kOnDuplicateMp : kOnDuplicate);
      if (error) return error;
      continue;
    }
    seen[attr.type] = true;
    attrs.push_back(attr);
  }
  // MP attributes first: if one is bad the session resets whatever else is
  // wrong (RFC 7606 §3(h), §3(j)), and treat-as-withdraw needs their NLRI.
  std::stable_partition(attrs.begin(), attrs.end(),
                        [](const RawAttribute& a) { return is_mp(a.type); });
  As4Attributes as4;
  for (const auto& attr : attrs) {
    // RFC 6793 §4.1: AS4_* between two 4-octet speakers are discarded.
    if (options.four_octet_as && is_as4(attr.type)) continue;
    const auto* rule = find_attribute_rule(attr.type);
    auto error =
        rule ? decode_known(*rule, attr, options, update, as4) : decode_unknown(attr, update);
    if (error) return error;
  }
  if (!options.four_octet_as) merge_as4_attributes(as4, update.attributes);
  return std::nullopt;
}

void encode_attributes(const PathAttributes& attrs, const SessionOptions& options,
                       wire::Writer& out) {
  for (const auto& attr : encode_attribute_values(attrs, options)) {
    const bool extended = attr.value.size() > 255;
    if (attr.value.size() > 0xffff)
      throw EncodeError(type_name(attr.type) + " value over 65535 octets");
    out.u8(attr.flags | (extended ? kFlagExtendedLength : 0));
    out.u8(attr.type);
    if (extended)
      out.u16(uint16_t(attr.value.size()));
    else
      out.u8(uint8_t(attr.value.size()));
    out.bytes(attr.value);
  }
}

}  // namespace nwbpf::bgp
