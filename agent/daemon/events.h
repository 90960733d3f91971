// SPDX-License-Identifier: Apache-2.0
// Reads the data plane's "events" ring buffer inside the io_context: libbpf's
// ring_buffer owns an epoll fd that becomes readable when records are
// waiting; Asio waits on it and the records are consumed in the loop thread,
// so event handlers need no locking.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "nwbpf/events.h"

struct ring_buffer;

namespace nwbpf::daemon {

class EventReader {
 public:
  using Handler = std::function<void(const nwbpf_event&)>;

  // Throws std::runtime_error if libbpf cannot set up the ring buffer.
  EventReader(boost::asio::io_context& io, int ringbuf_fd, Handler handler);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  void stop();
  uint64_t received() const { return received_; }
  uint64_t malformed() const { return malformed_; }

 private:
  void wait();
  static int on_record(void* ctx, void* data, size_t size);

  Handler handler_;
  ring_buffer* rb_ = nullptr;
  boost::asio::posix::stream_descriptor epoll_;
  uint64_t received_ = 0;
  uint64_t malformed_ = 0;
};

// One log line for an event, e.g. "mac new vni 99 02:00:00:00:00:01 on vetha".
// `port_name` turns an ifindex into a name ("" if unknown).
std::string describe_event(const nwbpf_event& ev, const std::function<std::string(int)>& port_name);

}  // namespace nwbpf::daemon
