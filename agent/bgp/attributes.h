// SPDX-License-Identifier: Apache-2.0
// Path attributes of an UPDATE (RFC 4271 §4.3, §5; RFC 4456 §8; RFC 4760 §3-4;
// RFC 4360 §2; RFC 6514 §5). AS numbers are always held as 4 octets: the
// decoder merges AS4_PATH/AS4_AGGREGATOR on a 2-octet session (RFC 6793
// §4.2.3) and the encoder splits them again. EVPN NLRI, extended communities
// and PMSI tunnel identifiers are kept as bytes for agent/evpn to decode.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "bgp/family.h"
#include "common/net_types.h"
#include "common/wire.h"

namespace nwbpf::bgp {

// Attribute flags (RFC 4271 §4.3).
inline constexpr uint8_t kFlagOptional = 0x80;
inline constexpr uint8_t kFlagTransitive = 0x40;
inline constexpr uint8_t kFlagPartial = 0x20;
inline constexpr uint8_t kFlagExtendedLength = 0x10;

// Attribute type codes (IANA "BGP Path Attributes").
enum class AttrType : uint8_t {
  origin = 1,
  as_path = 2,
  next_hop = 3,
  multi_exit_disc = 4,
  local_pref = 5,
  atomic_aggregate = 6,
  aggregator = 7,
  communities = 8,            // RFC 1997
  originator_id = 9,          // RFC 4456
  cluster_list = 10,          // RFC 4456
  mp_reach_nlri = 14,         // RFC 4760
  mp_unreach_nlri = 15,       // RFC 4760
  extended_communities = 16,  // RFC 4360
  as4_path = 17,              // RFC 6793
  as4_aggregator = 18,        // RFC 6793
  pmsi_tunnel = 22,           // RFC 6514
};

enum class Origin : uint8_t { igp = 0, egp = 1, incomplete = 2 };

struct AsSegment {
  enum class Type : uint8_t { as_set = 1, as_sequence = 2, confed_sequence = 3, confed_set = 4 };
  Type type = Type::as_sequence;
  std::vector<uint32_t> asns;  // 1..255 of them
  bool operator==(const AsSegment&) const = default;
};
using AsPath = std::vector<AsSegment>;

struct Aggregator {
  uint32_t as_number = 0;
  Ipv4 address;
  bool operator==(const Aggregator&) const = default;
};

// RFC 4760 §3. The NLRI stays as bytes: agent/evpn decodes EVPN NLRI;
// decode_ipv4_nlri() (update.h) reads IPv4 unicast.
struct MpReach {
  Family family;
  wire::Bytes next_hop;  // 4 (IPv4), 16 or 32 (IPv6 global [+ link-local])
  wire::Bytes nlri;
  bool operator==(const MpReach&) const = default;
};

// RFC 4760 §4.
struct MpUnreach {
  Family family;
  wire::Bytes withdrawn;
  bool operator==(const MpUnreach&) const = default;
};

// RFC 6514 §5: the tunnel identifier's format depends on the tunnel type
// (ingress replication, type 6: the endpoint's IP address; RFC 7432 §11.2).
struct PmsiTunnel {
  uint8_t flags = 0;
  uint8_t tunnel_type = 0;
  uint32_t label = 0;  // the 3-octet field as sent (a VNI for VXLAN, RFC 8365 §5.1.3)
  wire::Bytes tunnel_id;
  bool operator==(const PmsiTunnel&) const = default;
};

// 8 octets, type first (RFC 4360 §2).
using ExtCommunity = std::array<uint8_t, 8>;

// An attribute this codec does not know. The decoder keeps only optional
// transitive ones, with Partial already set, ready to pass on (RFC 4271 §5,
// §9.1.3), in type-code order; unknown optional non-transitive ones are dropped.
struct UnknownAttribute {
  uint8_t flags = 0;  // Extended Length is recomputed on encode
  uint8_t type = 0;
  wire::Bytes value;
  bool operator==(const UnknownAttribute&) const = default;
};

// Absent attributes are nullopt / empty: COMMUNITIES, CLUSTER_LIST and
// EXTENDED_COMMUNITIES may not be empty on the wire (RFC 7606 §7.8, §7.10, §7.14).
struct PathAttributes {
  std::optional<Origin> origin;
  std::optional<AsPath> as_path;
  std::optional<Ipv4> next_hop;
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::vector<uint32_t> communities;
  std::optional<Ipv4> originator_id;
  std::vector<Ipv4> cluster_list;
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::vector<ExtCommunity> ext_communities;
  std::optional<PmsiTunnel> pmsi_tunnel;
  std::vector<UnknownAttribute> unknown;
  bool operator==(const PathAttributes&) const = default;
};

}  // namespace nwbpf::bgp
