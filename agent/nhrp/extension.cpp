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

Error malformed(size_t offset, const std::string& message) {
  return {ErrorCode::protocol_error, offset, message};
}

// The value of one extension whose header starts at `at`.
Result<Extension> decode_value(uint16_t type_field, Fields value, size_t at,
                               const std::string& name, bool request) {
  Extension ext{uint16_t(type_field & kExtensionTypeMask), bool(type_field & kCompulsory), {}};
  // §5.3.1: a requester includes Responder Address empty; the responder
  // fills it in the reply.
  if (request && ext.type == uint16_t(ExtensionType::responder_address) && !value.empty())
    return Error{ErrorCode::invalid_extension, at,
                 name + ": Responder Address filled in a request"};
  if (carries_cies(ext.type)) {
    auto cies = decode_cies(value);
    if (!cies) return cies.error();
    ext.value = std::move(cies.value());
    return ext;
  }
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
  const auto bytes = value.reader().rest();
  ext.value = wire::Bytes(bytes.begin(), bytes.end());
  return ext;
}

struct Found {
  size_t offset = 0;  // of its header
  const CiscoAuthentication* auth = nullptr;
};

// §5.3.4 as Cisco and FRR apply it: the first Authentication extension must
// be cleartext with exactly the configured password.
Result<void> check_password(const Found& found, size_t end, std::span<const uint8_t> password) {
  const auto failure = [](size_t offset, const std::string& why) {
    return Error{ErrorCode::authentication_failure, offset, "authentication: " + why};
  };
  if (!found.auth) return failure(end, "no Authentication extension");
  if (found.auth->type != CiscoAuthentication::kCleartext)
    return failure(found.offset + 4,
                   "type " + std::to_string(found.auth->type) + ", not cleartext (1)");
  if (!std::equal(found.auth->secret.begin(), found.auth->secret.end(), password.begin(),
                  password.end()))
    return failure(found.offset + 8, "wrong password");
  return success();
}

}  // namespace

Result<std::vector<Extension>> decode_extensions(
    Fields in, bool request, const std::optional<std::span<const uint8_t>>& password) {
  std::vector<Extension> extensions;
  std::vector<size_t> offsets;
  while (true) {
    const size_t at = in.offset();
    if (in.empty()) return malformed(at, "extensions: no End of Extensions");
    const std::string name = "extension " + std::to_string(extensions.size() + 1);
    uint16_t type = 0, length = 0;
    Fields value(wire::Reader({}));
    if (!in.u16(type, (name + " type").c_str()) || !in.u16(length, (name + " length").c_str()) ||
        !in.sub(length, value, (name + " value").c_str()))
      return in.error();
    if ((type & kExtensionTypeMask) == uint16_t(ExtensionType::end)) {
      if (length != 0)
        return malformed(at + 2,
                         name + ": End of Extensions with length " + std::to_string(length));
      if (!in.empty())
        return malformed(in.offset(), std::to_string(in.reader().remaining()) +
                                          " octets after End of Extensions");
      break;
    }
    auto ext = decode_value(type, value, at, name, request);
    if (!ext) return ext.error();
    extensions.push_back(std::move(ext.value()));
    offsets.push_back(at);
  }
  if (!password) return extensions;
  Found found;
  for (size_t i = 0; i < extensions.size() && !found.auth; ++i)
    if (extensions[i].type == uint16_t(ExtensionType::authentication))
      found = {offsets[i], &std::get<CiscoAuthentication>(extensions[i].value)};
  if (auto ok = check_password(found, in.offset(), *password); !ok) return ok.error();
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

const std::vector<Cie>* extension_cies(const std::vector<Extension>& extensions,
                                       ExtensionType type) {
  for (const auto& e : extensions)
    if (e.type == uint16_t(type)) return std::get_if<std::vector<Cie>>(&e.value);
  return nullptr;
}

std::vector<Extension> request_extensions() {
  std::vector<Extension> out;
  for (auto type : {ExtensionType::responder_address, ExtensionType::forward_transit_nhs,
                    ExtensionType::reverse_transit_nhs})
    out.push_back(Extension{uint16_t(type), true, std::vector<Cie>{}});
  return out;
}

}  // namespace nwbpf::nhrp
