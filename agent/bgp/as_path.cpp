// SPDX-License-Identifier: Apache-2.0
#include "bgp/as_path.h"

#include <algorithm>

#include "bgp/error.h"
#include "bgp/open.h"

namespace nwbpf::bgp {
namespace {

constexpr size_t kMaxSegmentAses = 255;

bool is_confed(AsSegment::Type type) {
  return type == AsSegment::Type::confed_sequence || type == AsSegment::Type::confed_set;
}

// Number of ASes a path counts for in RFC 6793 §4.2.3 (as for route
// selection, RFC 4271 §9.1.2.2): a set counts one, confederation segments none.
size_t count_ases(const AsPath& path) {
  size_t n = 0;
  for (const auto& seg : path) {
    if (seg.type == AsSegment::Type::as_sequence) n += seg.asns.size();
    if (seg.type == AsSegment::Type::as_set) n += 1;
  }
  return n;
}

}  // namespace

std::optional<std::string> decode_as_path(wire::Reader value, size_t as_size, AsPath& out) {
  while (!value.empty()) {
    uint8_t type = 0, count = 0;
    if (!value.u8(type) || !value.u8(count)) return "a single octet after the last segment";
    if (type < uint8_t(AsSegment::Type::as_set) || type > uint8_t(AsSegment::Type::confed_set))
      return "unknown segment type " + std::to_string(type);
    if (count == 0) return "segment of length zero";
    if (value.remaining() < count * as_size)
      return "segment of " + std::to_string(count) + " ASes overruns the attribute";
    AsSegment seg{AsSegment::Type(type), {}};
    seg.asns.resize(count);
    for (auto& asn : seg.asns) {
      if (as_size == 4) {
        value.u32(asn);
      } else {
        uint16_t short_asn = 0;
        value.u16(short_asn);
        asn = short_asn;
      }
    }
    out.push_back(std::move(seg));
  }
  return std::nullopt;
}

void encode_as_path(const AsPath& path, size_t as_size, wire::Writer& out) {
  for (const auto& seg : path) {
    if (seg.asns.empty() || seg.asns.size() > kMaxSegmentAses)
      throw EncodeError("AS_PATH segment of " + std::to_string(seg.asns.size()) +
                        " ASes (must be 1..255)");
    out.u8(uint8_t(seg.type));
    out.u8(uint8_t(seg.asns.size()));
    for (uint32_t asn : seg.asns) {
      if (as_size == 4)
        out.u32(asn);
      else
        out.u16(asn > 0xffff ? kAsTrans : uint16_t(asn));
    }
  }
}

bool needs_as4_path(const AsPath& path) {
  return std::any_of(path.begin(), path.end(), [](const AsSegment& seg) {
    return std::any_of(seg.asns.begin(), seg.asns.end(), [](uint32_t asn) { return asn > 0xffff; });
  });
}

AsPath as4_path_of(const AsPath& path) {
  AsPath out;
  std::copy_if(path.begin(), path.end(), std::back_inserter(out),
               [](const AsSegment& seg) { return !is_confed(seg.type); });
  return out;
}

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path) {
  const size_t have = count_ases(as_path);
  const size_t covered = count_ases(as4_path);
  if (have < covered) return as_path;
  // Take whole segments from the front of AS_PATH until the difference in AS
  // count is made up, cutting the last AS_SEQUENCE if needed. Leading
  // confederation segments count nothing and are never in AS4_PATH, so they
  // are always taken.
  size_t need = have - covered;
  AsPath out;
  for (const auto& seg : as_path) {
    if (need == 0 && !is_confed(seg.type)) break;
    if (seg.type == AsSegment::Type::as_sequence && seg.asns.size() > need) {
      out.push_back({seg.type, {seg.asns.begin(), seg.asns.begin() + std::ptrdiff_t(need)}});
      break;
    }
    out.push_back(seg);
    if (seg.type == AsSegment::Type::as_sequence) need -= seg.asns.size();
    if (seg.type == AsSegment::Type::as_set) need -= 1;
  }
  auto rest = as4_path.begin();
  // Join the seam when both sides are sequences, so a path that was one
  // AS_SEQUENCE before the 2-octet speaker is one again.
  if (!out.empty() && rest != as4_path.end() && out.back().type == AsSegment::Type::as_sequence &&
      rest->type == AsSegment::Type::as_sequence &&
      out.back().asns.size() + rest->asns.size() <= kMaxSegmentAses) {
    out.back().asns.insert(out.back().asns.end(), rest->asns.begin(), rest->asns.end());
    ++rest;
  }
  out.insert(out.end(), rest, as4_path.end());
  return out;
}

}  // namespace nwbpf::bgp
