// SPDX-License-Identifier: Apache-2.0
#include "ipsec/vici_packet.h"

namespace nwbpf::ipsec::vici {

namespace {
constexpr size_t kLengthField = 4;
}  // namespace

std::string_view packet_type_name(PacketType type) {
  switch (type) {
    case PacketType::cmd_request: return "CMD_REQUEST";
    case PacketType::cmd_response: return "CMD_RESPONSE";
    case PacketType::cmd_unknown: return "CMD_UNKNOWN";
    case PacketType::event_register: return "EVENT_REGISTER";
    case PacketType::event_unregister: return "EVENT_UNREGISTER";
    case PacketType::event_confirm: return "EVENT_CONFIRM";
    case PacketType::event_unknown: return "EVENT_UNKNOWN";
    case PacketType::event: return "EVENT";
  }
  return "unknown packet type";
}

bool is_named(PacketType type) {
  return type == PacketType::cmd_request || type == PacketType::event_register ||
         type == PacketType::event_unregister || type == PacketType::event;
}

bool has_message(PacketType type) {
  return type == PacketType::cmd_request || type == PacketType::cmd_response ||
         type == PacketType::event;
}

Result<wire::Bytes> encode_packet(const Packet& packet) {
  const std::string what(packet_type_name(packet.type));
  if (!is_named(packet.type) && !packet.name.empty())
    return Error{kLengthField + 1, what + " carries no name"};
  if (!has_message(packet.type) && !packet.message.entries().empty())
    return Error{kLengthField + 1, what + " carries no message"};
  wire::Bytes bytes;
  wire::Writer out(bytes);
  out.u32(0);  // patched below
  out.u8(uint8_t(packet.type));
  if (is_named(packet.type)) {
    if (auto bad = check_name(what, packet.name, out.size() + 1)) return *bad;
    out.u8(uint8_t(packet.name.size()));
    out.bytes({reinterpret_cast<const uint8_t*>(packet.name.data()), packet.name.size()});
  }
  if (auto done = encode_message(packet.message, bytes); !done) return done.error();
  const size_t length = bytes.size() - kLengthField;
  if (length > kMaxSegmentLength)
    return Error{0, what + " of " + std::to_string(length) + " bytes, at most " +
                        std::to_string(kMaxSegmentLength)};
  for (size_t i = 0; i < kLengthField; ++i) bytes[i] = uint8_t(length >> (8 * (3 - i)));
  return bytes;
}

Result<Packet> decode_packet(std::span<const uint8_t> segment) {
  wire::Reader in(segment);
  uint8_t byte = 0;
  if (!in.u8(byte)) return Error{0, "packet type: truncated"};
  if (byte > uint8_t(PacketType::event))
    return Error{0, "unknown packet type " + std::to_string(byte)};
  Packet packet;
  packet.type = PacketType(byte);
  const std::string what(packet_type_name(packet.type));
  if (is_named(packet.type)) {
    auto name = read_name(in, what);
    if (!name) return name.error();
    packet.name = std::move(name).value();
  }
  if (has_message(packet.type)) {
    auto message = decode_message(in.rest(), in.offset());
    if (!message) return message.error();
    packet.message = std::move(message).value();
  } else if (!in.empty()) {
    return Error{in.offset(), what + " carries no message but " +
                                  std::to_string(in.remaining()) + " more byte(s) follow"};
  }
  return packet;
}

void SegmentReader::feed(std::span<const uint8_t> bytes) {
  if (!failed_) buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<wire::Bytes>> SegmentReader::next() {
  if (failed_) return *failed_;
  wire::Reader in(buffer_, stream_offset_);
  uint32_t length = 0;
  if (!in.u32(length)) return std::optional<wire::Bytes>();
  if (length == 0 || length > max_length_) {
    failed_ = Error{stream_offset_, "segment length " + std::to_string(length) +
                                        (length == 0 ? ": no room for the packet type"
                                                     : ", at most " + std::to_string(max_length_))};
    buffer_.clear();
    return *failed_;
  }
  std::span<const uint8_t> body;
  if (!in.bytes(length, body)) return std::optional<wire::Bytes>();
  wire::Bytes segment(body.begin(), body.end());
  buffer_.erase(buffer_.begin(), buffer_.begin() + kLengthField + length);
  stream_offset_ += kLengthField + length;
  return std::optional<wire::Bytes>(std::move(segment));
}

}  // namespace nwbpf::ipsec::vici
