// SPDX-License-Identifier: Apache-2.0
#include "daemon/events.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/log.h"
#include "common/net_types.h"
#include "nwbpf/consts.h"

namespace nwbpf::daemon {

EventReader::EventReader(boost::asio::io_context& io, int ringbuf_fd, Handler handler)
    : handler_(std::move(handler)), epoll_(io) {
  rb_ = ring_buffer__new(ringbuf_fd, &EventReader::on_record, this, nullptr);
  if (!rb_) throw std::runtime_error(std::string("ring buffer: ") + std::strerror(errno));
  // The descriptor object closes what it holds; ring_buffer__free closes the
  // epoll fd itself, so Asio gets its own duplicate.
  int fd = ::dup(ring_buffer__epoll_fd(rb_));
  if (fd < 0) {
    int err = errno;
    ring_buffer__free(rb_);
    throw std::runtime_error(std::string("ring buffer epoll fd: ") + std::strerror(err));
  }
  epoll_.assign(fd);
  wait();
}

EventReader::~EventReader() {
  stop();
  ring_buffer__free(rb_);
}

void EventReader::stop() {
  boost::system::error_code ignored;
  epoll_.close(ignored);
}

void EventReader::wait() {
  epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (ec) return;  // closed by stop()
                      int n = ring_buffer__consume(rb_);
                      if (n < 0) log::get("events")->error("ring buffer: {}", std::strerror(-n));
                      wait();
                    });
}

int EventReader::on_record(void* ctx, void* data, size_t size) {
  auto* self = static_cast<EventReader*>(ctx);
  if (size < sizeof(nwbpf_event)) {
    // A record we cannot read means the BPF object and the agent disagree on
    // events.h; skip it rather than read past its end.
    if (self->malformed_++ == 0)
      log::get("events")->error("ring buffer record of {} bytes, expected {}", size,
                                sizeof(nwbpf_event));
    return 0;
  }
  nwbpf_event ev;
  std::memcpy(&ev, data, sizeof ev);
  ++self->received_;
  self->handler_(ev);
  return 0;
}

std::string describe_event(const nwbpf_event& ev,
                           const std::function<std::string(int)>& port_name) {
  Mac mac;
  std::memcpy(mac.bytes.data(), ev.mac, mac.bytes.size());
  auto where = [&]() -> std::string {
    if (ev.kind == NWBPF_FDB_LOCAL) {
      std::string name = port_name(static_cast<int>(ev.ifindex));
      return "on " + (name.empty() ? "ifindex " + std::to_string(ev.ifindex) : name);
    }
    if (ev.kind == NWBPF_FDB_REMOTE) return "via VTEP " + Ipv4{ev.vtep}.str();
    return "at unknown location kind " + std::to_string(ev.kind);
  };
  const std::string vni_mac = "vni " + std::to_string(ev.vni) + " " + mac.str() + " ";
  switch (ev.type) {
    case NWBPF_EV_MAC_NEW:
      return "mac new " + vni_mac + where();
    case NWBPF_EV_MAC_MOVED:
      return "mac moved " + vni_mac + where();
    case NWBPF_EV_NEIGH_MISS:
      return "no next hop entry for VTEP " + Ipv4{ev.vtep}.str() + " NBMA " + Ipv4{ev.nbma}.str();
    case NWBPF_EV_PEER_MISS:
      return "no NHRP entry for VTEP " + Ipv4{ev.vtep}.str() + " (vni " + std::to_string(ev.vni) +
             "): sent through the route server, if any";
    case NWBPF_EV_RELAYED:
      return "relayed vni " + std::to_string(ev.vni) + " from VTEP " + Ipv4{ev.vtep}.str() +
             " (NBMA " + Ipv4{ev.nbma}.str() + ") to VTEP " + Ipv4{ev.target}.str();
  }
  return "unknown event type " + std::to_string(ev.type);
}

}  // namespace nwbpf::daemon
