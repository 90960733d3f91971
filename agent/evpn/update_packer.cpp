// SPDX-License-Identifier: Apache-2.0
#include "evpn/update_packer.h"

#include <fmt/format.h>

#include "bgp/attribute_list.h"
#include "bgp/message.h"
#include "evpn/nlri.h"

namespace nwbpf::evpn {
namespace {

// Marker, length and type (19), Withdrawn Routes Length and Total Path
// Attribute Length (2 + 2): RFC 4271 §4.1, §4.3.
constexpr size_t kUpdateOverhead = bgp::kHeaderSize + 4;
// An attribute header with a 1-octet length (RFC 4271 §4.3); past 255
// octets of value the length takes 2.
constexpr size_t kAttributeHeader = 3;
// AFI and SAFI (RFC 4760 §4).
constexpr size_t kUnreachFixed = 3;
// AFI, SAFI, next hop length, reserved (RFC 4760 §3); the next hop follows.
constexpr size_t kReachFixed = 5;

size_t attributes_size(const bgp::PathAttributes& attributes, const bgp::SessionOptions& options) {
  wire::Bytes bytes;
  wire::Writer w(bytes);
  bgp::encode_attributes(attributes, options, w);
  return bytes.size();
}

}  // namespace

void UpdatePacker::Nlri::add(const Route& route) {
  auto ok = encode_route(route, bytes);
  if (!ok) throw bgp::EncodeError(ok.error().message);
  ends.push_back(bytes.size());
}

void UpdatePacker::announce(const Route& route,
                            std::shared_ptr<const bgp::PathAttributes> attributes) {
  auto [at, added] = group_of_.try_emplace(attributes.get(), groups_.size());
  if (added) groups_.push_back(Group{std::move(attributes), {}});
  groups_[at->second].nlri.add(route);
}

void UpdatePacker::withdraw(const Route& route) { withdrawn_.add(route); }

std::vector<std::pair<size_t, size_t>> UpdatePacker::split(const Nlri& nlri, size_t fixed,
                                                           size_t empty_value) {
  std::vector<std::pair<size_t, size_t>> ranges;
  auto size_with = [&](size_t nlri_bytes) {
    const bool extended = empty_value + nlri_bytes > 255;
    return fixed + nlri_bytes + (extended ? 1 : 0);
  };
  size_t start = 0, end = 0;
  for (size_t route_end : nlri.ends) {
    if (size_with(route_end - start) > bgp::kMaxMessageSize) {
      if (end == start)
        throw bgp::EncodeError(fmt::format(
            "an EVPN route of {} octets does not fit in an UPDATE beside {} octets of attributes",
            route_end - start, fixed - kUpdateOverhead));
      ranges.emplace_back(start, end);
      start = end;
    }
    end = route_end;
  }
  if (end > start) ranges.emplace_back(start, end);
  return ranges;
}

std::vector<bgp::Update> UpdatePacker::take() {
  std::vector<bgp::Update> out;
  const size_t unreach_fixed = kUpdateOverhead + kAttributeHeader + kUnreachFixed;
  for (auto [from, to] : split(withdrawn_, unreach_fixed, kUnreachFixed)) {
    bgp::Update& update = out.emplace_back();
    update.attributes.mp_unreach = bgp::MpUnreach{
        bgp::kL2vpnEvpn, {withdrawn_.bytes.begin() + from, withdrawn_.bytes.begin() + to}};
  }
  for (const Group& group : groups_) {
    const auto& reach = group.attributes->mp_reach;
    if (!reach) throw bgp::EncodeError("EVPN announcement without MP_REACH_NLRI");
    const size_t fixed = kUpdateOverhead + attributes_size(*group.attributes, options_);
    for (auto [from, to] : split(group.nlri, fixed, kReachFixed + reach->next_hop.size())) {
      bgp::Update& update = out.emplace_back();
      update.attributes = *group.attributes;
      update.attributes.mp_reach->nlri.assign(group.nlri.bytes.begin() + from,
                                              group.nlri.bytes.begin() + to);
    }
  }
  if (end_of_rib_) out.push_back(bgp::make_end_of_rib(bgp::kL2vpnEvpn));
  withdrawn_ = {};
  groups_.clear();
  group_of_.clear();
  end_of_rib_ = false;
  return out;
}

}  // namespace nwbpf::evpn
