// SPDX-License-Identifier: Apache-2.0
#include "nhrp/extension.h"

#include <algorithm>
#include <string>

namespace nwbpf::nhrp {
namespace {

bool carries_cies(uint16_t type) {
  switch (ExtensionType(type)) {
    case ExtensionType::responder_address:
    case ExtensionType::forward_transit_nhs:
    case ExtensionType::reverse_transit_nhs:
    case ExtensionType::nat_address:
      return true;
    default:
      return false;
  }
}

Error invalid(size_t offset, const std::string& message) {
  return {ErrorCode::invalid_extension, offset, message};
}

// The value of one extension whose header starts at `at`.
Result<Extension> decode_value(uint16_t type_field, Fields value, size_t at,
                               const std::string& name) {
  Extension ext{uint16_t(type_field & kExtensionTypeMask), bool(type_field & kCompulsory), {}};
  if (carries_cies(ext.type)) {
    auto cies = decode_cies(value);
    if (!cies) return cies.error();
    ext.value = std::move(cies.value());
    return ext;
  }
  const auto bytes = value.reader().rest();
  if (ext.type == uint16_t(ExtensionType::authentication)) {
    CiscoAuthentication auth;
    if (!value.u32(auth.type, (name + " authentication type").c_str())) return value.error();
    const auto secret = value.reader().rest();
    auth.secret.assign(secret.begin(), secret.end());
    ext.value = std::move(auth);
    return ext;
  }
  if (ext.type != uint16_t(ExtensionType::vendor_private) && ext.compulsory)
    return Error{ErrorCode::unrecognized_extension, at,
                 name + ": compulsory type " + std::to_string(ext.type) + " not recognized"};
  ext.value = wire::Bytes(bytes.begin(), bytes.end());
  return ext;
}

Error authentication_failure(size_t offset, const std::string& why) {
  return {ErrorCode::authentication_failure, offset, "authentication: " + why};
}

}  // namespace

Result<std::vector<Extension>> decode_extensions(
    Fields in, const std::optional<std::span<const uint8_t>>& password) {
  std::vector<Extension> extensions;
  std::optional<size_t> auth_at;
  bool ended = false;
  while (!in.empty()) {
    const size_t at = in.offset();
    const std::string name = "extension " + std::to_string(extensions.size() + 1);
    uint16_t type = 0, length = 0;
    Fields value(wire::Reader({}), ErrorCode::invalid_extension);
    if (!in.u16(type, (name + " type").c_str()) || !in.u16(length, (name + " length").c_str()) ||
        !in.sub(length, value, (name + " value").c_str()))
      return in.error();
    if ((type & kExtensionTypeMask) == uint16_t(ExtensionType::end)) {
      if (length != 0)
        return invalid(at + 2, name + ": End of Extensions with length " + std::to_string(length));
      if (!in.empty())
        return invalid(in.offset(),
                       std::to_string(in.reader().remaining()) + " octets after End of Extensions");
      ended = true;
      break;
    }
    auto ext = decode_value(type, value, at, name);
    if (!ext) return ext.error();
    if (ext.value().type == uint16_t(ExtensionType::authentication)) auth_at = at;
    extensions.push_back(std::move(ext.value()));
  }
  if (!ended) return invalid(in.offset(), "extensions: no End of Extensions");
  if (!password) return extensions;
  if (!auth_at) return authentication_failure(in.offset(), "no Authentication extension");
  const auto it = std::find_if(extensions.begin(), extensions.end(), [](const Extension& e) {
    return e.type == uint16_t(ExtensionType::authentication);
  });
  const auto& auth = std::get<CiscoAuthentication>(it->value);
  if (auth.type != CiscoAuthentication::kCleartext)
    return authentication_failure(*auth_at + 4,
                                  "type " + std::to_string(auth.type) + ", not cleartext (1)");
  if (!std::equal(auth.secret.begin(), auth.secret.end(), password->begin(), password->end()))
    return authentication_failure(*auth_at + 8, "wrong password");
  return extensions;
}

bool encode_extensions(const std::vector<Extension>& extensions, wire::Writer& out) {
  for (const auto& ext : extensions) {
    out.u16(uint16_t((ext.type & kExtensionTypeMask) | (ext.compulsory ? kCompulsory : 0)));
    const size_t length = out.reserve(2);
    if (const auto* cies = std::get_if<std::vector<Cie>>(&ext.value)) {
      for (const auto& cie : *cies) encode_cie(cie, out);
    } else if (const auto* auth = std::get_if<CiscoAuthentication>(&ext.value)) {
      out.u32(auth->type);
      out.bytes(auth->secret);
    } else {
      out.bytes(std::get<wire::Bytes>(ext.value));
    }
    if (!out.patch_length(length, 2)) return false;
  }
  out.u16(kCompulsory | uint16_t(ExtensionType::end));
  out.u16(0);
  return true;
}

}  // namespace nwbpf::nhrp
