// SPDX-License-Identifier: Apache-2.0
#include "bgp/attribute_values.h"

#include <arpa/inet.h>

#include <algorithm>

#include "bgp/as_path.h"
#include "bgp/open.h"
#include "bgp/update.h"

namespace nwbpf::bgp {
namespace {

ValueProblem bad_length(const char* name, size_t length, const std::string& expected) {
  return {UpdateError::attribute_length_error,
          std::string(name) + " length " + std::to_string(length) + ", expected " + expected};
}

Ipv4 read_ipv4(wire::Reader& value) {
  uint32_t host = 0;
  value.u32(host);
  return Ipv4{htonl(host)};
}

void write_ipv4(wire::Writer& out, Ipv4 address) { out.u32(ntohl(address.be)); }

// Fixed 4-octet values: NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, ORIGINATOR_ID.
std::optional<ValueProblem> need_length(const char* name, const wire::Reader& value,
                                        size_t length) {
  if (value.remaining() == length) return std::nullopt;
  return bad_length(name, value.remaining(), std::to_string(length));
}

// COMMUNITIES, CLUSTER_LIST, EXTENDED_COMMUNITIES: a non-zero multiple of
// their element size (RFC 7606 §7.8, §7.10, §7.14).
std::optional<ValueProblem> need_multiple(const char* name, const wire::Reader& value,
                                          size_t element) {
  if (value.remaining() > 0 && value.remaining() % element == 0) return std::nullopt;
  return bad_length(name, value.remaining(), "a non-zero multiple of " + std::to_string(element));
}

// RFC 4271 §6.3: a NEXT_HOP that cannot be a host address. Whether it is
// reachable or the peer's own address is the RIB's question.
bool host_address(Ipv4 address) {
  const uint32_t host = ntohl(address.be);
  return host != 0 && host != 0xffffffff && (host >> 28) != 0xe;
}

// RFC 4760 §3 leaves next hop lengths to each family: an IPv4 address, an
// IPv6 global address, or global + link-local (RFC 2545 §3, RFC 8950 §3);
// EVPN uses the same (RFC 7432 §7, RFC 8365 §5.1.1). Other families are not
// ours to judge.
bool next_hop_length_ok(Family family, size_t length) {
  if (family != kIpv4Unicast && family != kL2vpnEvpn) return true;
  return length == 4 || length == 16 || length == 32;
}

// The NLRI left in `value`, for the one family whose NLRI this codec reads:
// unparseable routes cannot be withdrawn, so the row in rfc7606.h resets.
std::optional<ValueProblem> check_nlri(const char* name, Family family, const wire::Reader& value) {
  if (family != kIpv4Unicast) return std::nullopt;
  auto routes = decode_ipv4_nlri(value.rest(), value.offset());
  if (auto* error = std::get_if<Error>(&routes))
    return ValueProblem{UpdateError::optional_attribute_error,
                        std::string(name) + ": " + error->text};
  return std::nullopt;
}

std::optional<ValueProblem> decode_mp_reach(wire::Reader value, PathAttributes& out) {
  MpReach reach;
  uint8_t nh_length = 0;
  std::span<const uint8_t> next_hop;
  if (!value.u16(reach.family.afi) || !value.u8(reach.family.safi) || !value.u8(nh_length) ||
      !value.bytes(nh_length, next_hop) || !value.skip(1))
    return ValueProblem{UpdateError::attribute_length_error,
                        "MP_REACH_NLRI truncated before its NLRI"};
  if (!next_hop_length_ok(reach.family, nh_length))
    return ValueProblem{UpdateError::optional_attribute_error,
                        "MP_REACH_NLRI next hop length " + std::to_string(nh_length) + " for AFI " +
                            std::to_string(reach.family.afi) + " SAFI " +
                            std::to_string(reach.family.safi)};
  const auto nlri = value.rest();
  if (auto p = check_nlri("MP_REACH_NLRI", reach.family, value)) return p;
  reach.next_hop.assign(next_hop.begin(), next_hop.end());
  reach.nlri.assign(nlri.begin(), nlri.end());
  out.mp_reach = std::move(reach);
  return std::nullopt;
}

std::optional<ValueProblem> decode_mp_unreach(wire::Reader value, PathAttributes& out) {
  if (value.remaining() < 3) return bad_length("MP_UNREACH_NLRI", value.remaining(), "at least 3");
  MpUnreach unreach;
  value.u16(unreach.family.afi);
  value.u8(unreach.family.safi);
  const auto withdrawn = value.rest();
  if (auto p = check_nlri("MP_UNREACH_NLRI", unreach.family, value)) return p;
  unreach.withdrawn.assign(withdrawn.begin(), withdrawn.end());
  out.mp_unreach = std::move(unreach);
  return std::nullopt;
}

std::optional<ValueProblem> decode_aggregator(const char* name, wire::Reader value, size_t as_size,
                                              std::optional<Aggregator>& out) {
  if (auto p = need_length(name, value, as_size + 4)) return p;
  Aggregator aggregator;
  if (as_size == 4) {
    value.u32(aggregator.as_number);
  } else {
    uint16_t short_as = 0;
    value.u16(short_as);
    aggregator.as_number = short_as;
  }
  aggregator.address = read_ipv4(value);
  out = aggregator;
  return std::nullopt;
}

std::optional<ValueProblem> decode_path(const char* name, wire::Reader value, size_t as_size,
                                        bool allow_confed, std::optional<AsPath>& out) {
  AsPath path;
  auto why = decode_as_path(value, as_size, path);
  if (!why && !allow_confed && path != as4_path_of(path)) why = "confederation segment";
  if (why) return ValueProblem{UpdateError::malformed_as_path, std::string(name) + ": " + *why};
  out = std::move(path);
  return std::nullopt;
}

}  // namespace

std::optional<ValueProblem> decode_attribute_value(AttrType type, wire::Reader value,
                                                   const SessionOptions& options,
                                                   PathAttributes& out, As4Attributes& as4) {
  const size_t as_size = options.four_octet_as ? 4 : 2;
  switch (type) {
    case AttrType::origin: {
      if (auto p = need_length("ORIGIN", value, 1)) return p;
      uint8_t origin = 0;
      value.u8(origin);
      if (origin > uint8_t(Origin::incomplete))
        return ValueProblem{UpdateError::invalid_origin_attribute,
                            "ORIGIN value " + std::to_string(origin) + " is undefined"};
      out.origin = Origin(origin);
      return std::nullopt;
    }
    case AttrType::as_path:
      return decode_path("AS_PATH", value, as_size, true, out.as_path);
    case AttrType::next_hop: {
      if (auto p = need_length("NEXT_HOP", value, 4)) return p;
      const Ipv4 next_hop = read_ipv4(value);
      if (!host_address(next_hop))
        return ValueProblem{UpdateError::invalid_next_hop_attribute,
                            "NEXT_HOP " + next_hop.str() + " is not a host address"};
      out.next_hop = next_hop;
      return std::nullopt;
    }
    case AttrType::multi_exit_disc:
      if (auto p = need_length("MULTI_EXIT_DISC", value, 4)) return p;
      value.u32(out.med.emplace());
      return std::nullopt;
    case AttrType::local_pref:
      if (auto p = need_length("LOCAL_PREF", value, 4)) return p;
      value.u32(out.local_pref.emplace());
      return std::nullopt;
    case AttrType::atomic_aggregate:
      if (auto p = need_length("ATOMIC_AGGREGATE", value, 0)) return p;
      out.atomic_aggregate = true;
      return std::nullopt;
    case AttrType::aggregator:
      return decode_aggregator("AGGREGATOR", value, as_size, out.aggregator);
    case AttrType::communities:
      if (auto p = need_multiple("COMMUNITIES", value, 4)) return p;
      while (!value.empty()) value.u32(out.communities.emplace_back());
      return std::nullopt;
    case AttrType::originator_id:
      if (auto p = need_length("ORIGINATOR_ID", value, 4)) return p;
      out.originator_id = read_ipv4(value);
      return std::nullopt;
    case AttrType::cluster_list:
      if (auto p = need_multiple("CLUSTER_LIST", value, 4)) return p;
      while (!value.empty()) out.cluster_list.push_back(read_ipv4(value));
      return std::nullopt;
    case AttrType::mp_reach_nlri:
      return decode_mp_reach(value, out);
    case AttrType::mp_unreach_nlri:
      return decode_mp_unreach(value, out);
    case AttrType::extended_communities:
      if (auto p = need_multiple("EXTENDED_COMMUNITIES", value, 8)) return p;
      while (!value.empty()) value.copy(out.ext_communities.emplace_back());
      return std::nullopt;
    case AttrType::as4_path:
      // RFC 6793 §6: 4-octet ASes and no confederation segments.
      return decode_path("AS4_PATH", value, 4, false, as4.path);
    case AttrType::as4_aggregator:
      return decode_aggregator("AS4_AGGREGATOR", value, 4, as4.aggregator);
    case AttrType::pmsi_tunnel: {
      if (value.remaining() < 5) return bad_length("PMSI_TUNNEL", value.remaining(), "at least 5");
      PmsiTunnel pmsi;
      value.u8(pmsi.flags);
      value.u8(pmsi.tunnel_type);
      value.u24(pmsi.label);
      const auto id = value.rest();
      pmsi.tunnel_id.assign(id.begin(), id.end());
      out.pmsi_tunnel = std::move(pmsi);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void merge_as4_attributes(const As4Attributes& as4, PathAttributes& attrs) {
  // RFC 6793 §4.2.3: an AGGREGATOR that is not AS_TRANS was added by a
  // 2-octet speaker after the AS4_* attributes were set, so they are stale.
  if (as4.aggregator && attrs.aggregator) {
    if (attrs.aggregator->as_number != kAsTrans) return;
    attrs.aggregator = as4.aggregator;
  }
  if (as4.path && attrs.as_path) attrs.as_path = merge_as4_path(*attrs.as_path, *as4.path);
}

std::vector<EncodedAttribute> encode_attribute_values(const PathAttributes& attrs,
                                                      const SessionOptions& options) {
  constexpr uint8_t kWellKnown = kFlagTransitive;
  constexpr uint8_t kOptionalTransitive = kFlagOptional | kFlagTransitive;
  const size_t as_size = options.four_octet_as ? 4 : 2;
  std::vector<EncodedAttribute> list;
  list.reserve(20 + attrs.unknown.size());  // add() hands out writers into elements
  auto add = [&](uint8_t flags, AttrType type) -> wire::Writer {
    list.push_back({flags, uint8_t(type), {}});
    return wire::Writer(list.back().value);
  };
  auto add_aggregator = [&](AttrType type, size_t size, const Aggregator& aggregator) {
    auto out = add(kOptionalTransitive, type);
    if (size == 4)
      out.u32(aggregator.as_number);
    else
      out.u16(aggregator.as_number > 0xffff ? kAsTrans : uint16_t(aggregator.as_number));
    write_ipv4(out, aggregator.address);
  };

  // RFC 7606 §5.1: MP_REACH_NLRI and MP_UNREACH_NLRI first, so a receiver
  // finds the NLRI even if a later attribute is malformed.
  if (const auto& reach = attrs.mp_reach) {
    if (reach->next_hop.size() > 255) throw EncodeError("MP_REACH_NLRI next hop over 255 octets");
    auto out = add(kFlagOptional, AttrType::mp_reach_nlri);
    out.u16(reach->family.afi);
    out.u8(reach->family.safi);
    out.u8(uint8_t(reach->next_hop.size()));
    out.bytes(reach->next_hop);
    out.u8(0);  // reserved (RFC 4760 §3)
    out.bytes(reach->nlri);
  }
  if (const auto& unreach = attrs.mp_unreach) {
    auto out = add(kFlagOptional, AttrType::mp_unreach_nlri);
    out.u16(unreach->family.afi);
    out.u8(unreach->family.safi);
    out.bytes(unreach->withdrawn);
  }
  // The rest in type-code order (RFC 4271 §5).
  const size_t rest = list.size();
  if (attrs.origin) add(kWellKnown, AttrType::origin).u8(uint8_t(*attrs.origin));
  if (attrs.as_path) {
    auto out = add(kWellKnown, AttrType::as_path);
    encode_as_path(*attrs.as_path, as_size, out);
  }
  if (attrs.as_path && !options.four_octet_as && needs_as4_path(*attrs.as_path)) {
    // RFC 6793 §4.2.2: the real path for NEW speakers behind the OLD one.
    auto out = add(kOptionalTransitive, AttrType::as4_path);
    encode_as_path(as4_path_of(*attrs.as_path), 4, out);
  }
  if (attrs.next_hop) {
    auto out = add(kWellKnown, AttrType::next_hop);
    write_ipv4(out, *attrs.next_hop);
  }
  if (attrs.med) add(kFlagOptional, AttrType::multi_exit_disc).u32(*attrs.med);
  if (attrs.local_pref) add(kWellKnown, AttrType::local_pref).u32(*attrs.local_pref);
  if (attrs.atomic_aggregate) add(kWellKnown, AttrType::atomic_aggregate);
  if (attrs.aggregator) {
    add_aggregator(AttrType::aggregator, as_size, *attrs.aggregator);
    if (!options.four_octet_as && attrs.aggregator->as_number > 0xffff)
      add_aggregator(AttrType::as4_aggregator, 4, *attrs.aggregator);
  }
  if (!attrs.communities.empty()) {
    auto out = add(kOptionalTransitive, AttrType::communities);
    for (uint32_t community : attrs.communities) out.u32(community);
  }
  if (attrs.originator_id) {
    auto out = add(kFlagOptional, AttrType::originator_id);
    write_ipv4(out, *attrs.originator_id);
  }
  if (!attrs.cluster_list.empty()) {
    auto out = add(kFlagOptional, AttrType::cluster_list);
    for (Ipv4 cluster : attrs.cluster_list) write_ipv4(out, cluster);
  }
  if (!attrs.ext_communities.empty()) {
    auto out = add(kOptionalTransitive, AttrType::extended_communities);
    for (const auto& community : attrs.ext_communities) out.bytes(community);
  }
  if (const auto& pmsi = attrs.pmsi_tunnel) {
    if (pmsi->label > 0xffffff) throw EncodeError("PMSI_TUNNEL label does not fit 3 octets");
    auto out = add(kOptionalTransitive, AttrType::pmsi_tunnel);
    out.u8(pmsi->flags);
    out.u8(pmsi->tunnel_type);
    out.u24(pmsi->label);
    out.bytes(pmsi->tunnel_id);
  }
  for (const auto& unknown : attrs.unknown)
    list.push_back({uint8_t(unknown.flags & (kFlagOptional | kFlagTransitive | kFlagPartial)),
                    unknown.type, unknown.value});
  std::stable_sort(list.begin() + std::ptrdiff_t(rest), list.end(),
                   [](const auto& a, const auto& b) { return a.type < b.type; });
  return list;
}
}  // namespace nwbpf::bgp
