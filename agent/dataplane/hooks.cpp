// SPDX-License-Identifier: Apache-2.0
#include "dataplane/hooks.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/log.h"
#include "dataplane/bpf_map.h"
#include "dataplane/libbpf_log.h"

namespace nwbpf {

namespace {

struct Entry {
  nwbpf_port_role role;
  Hook hook;
  const char* name;
};
constexpr Entry kPrograms[] = {
    {NWBPF_PORT_EDGE, Hook::xdp, "xdp_edge"},
    {NWBPF_PORT_EDGE, Hook::tc_ingress, "tc_edge"},
    {NWBPF_PORT_WAN, Hook::xdp, "xdp_wan"},
    {NWBPF_PORT_WAN, Hook::tc_ingress, "tc_wan"},
    {NWBPF_PORT_TUNNEL, Hook::tc_ingress, "tc_tunnel"},
};

std::string device(int ifindex) {
  char name[IF_NAMESIZE] = {};
  std::string index = "ifindex " + std::to_string(ifindex);
  if (if_indextoname(static_cast<unsigned>(ifindex), name))
    return std::string(name) + " (" + index + ")";
  return index;
}

// A program found on a hook: an fd that pins it while we decide, and its name.
class Prog {
 public:
  Prog() = default;
  // Opens program `id`; an empty Prog if it went away meanwhile.
  explicit Prog(uint32_t id) {
    fd_ = bpf_prog_get_fd_by_id(id);
    if (fd_ < 0) {
      if (errno == ENOENT) return;
      throw BpfError("cannot open BPF program id " + std::to_string(id), errno);
    }
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd_, &info, &len) != 0) {
      int err = errno;
      ::close(fd_);
      throw BpfError("cannot read BPF program id " + std::to_string(id), err);
    }
    name_ = info.name;
  }
  Prog(Prog&& o) noexcept : fd_(std::exchange(o.fd_, -1)), name_(std::move(o.name_)) {}
  Prog& operator=(Prog&& o) noexcept {
    std::swap(fd_, o.fd_);
    std::swap(name_, o.name_);
    return *this;
  }
  ~Prog() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool exists() const { return fd_ >= 0; }
  bool ours() const { return is_nwbpf_program(name_); }
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }

 private:
  int fd_ = -1;
  std::string name_;
};

// Appends what libbpf/the kernel said (extack) to an error message.
std::string explain(std::string what, const LibbpfMessages& messages) {
  std::string said = messages.summary();
  return said.empty() ? what : what + " [" + said + "]";
}

bpf_xdp_query_opts query_xdp(int ifindex) {
  LibbpfMessages messages(true);
  LIBBPF_OPTS(bpf_xdp_query_opts, query);
  if (int err = bpf_xdp_query(ifindex, 0, &query))
    throw BpfError(explain("cannot query XDP on " + device(ifindex), messages), -err);
  return query;
}

// Our tc filter's program id; 0 when there is no filter at our handle (or no
// clsact qdisc, or no device).
uint32_t query_tc(int ifindex) {
  LibbpfMessages messages(true);
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  LIBBPF_OPTS(bpf_tc_opts, query, .handle = kTcHandle, .priority = kTcPriority);
  int err = bpf_tc_query(&hook, &query);
  // ENOENT: no such filter; EINVAL: no clsact qdisc; ENODEV: no device.
  if (err == -ENOENT || err == -EINVAL || err == -ENODEV) return 0;
  if (err) throw BpfError(explain("cannot query tc filters on " + device(ifindex), messages), -err);
  return query.prog_id;
}

std::string foreign(const std::string& hook, int ifindex, const Prog& prog,
                    const std::string& remove) {
  return device(ifindex) + " already has " + hook + " program '" + prog.name() +
         "', which is not nwbpf's: not replacing it. Remove it (" + remove +
         ") to let nwbpf attach";
}

}  // namespace

const char* program_name(nwbpf_port_role role, Hook hook) {
  for (const auto& e : kPrograms)
    if (e.role == role && e.hook == hook) return e.name;
  return nullptr;
}

bool is_nwbpf_program(std::string_view name) {
  for (const auto& e : kPrograms)
    if (name == e.name) return true;
  return false;
}

void attach_xdp(int ifindex, int prog_fd) {
  auto query = query_xdp(ifindex);
  if (query.skb_prog_id)
    throw std::runtime_error(device(ifindex) + " has a generic-mode XDP program (id " +
                             std::to_string(query.skb_prog_id) +
                             "); native and generic XDP cannot coexist: remove it (ip link set dev "
                             "<dev> xdpgeneric off)");
  Prog old;
  if (query.drv_prog_id) old = Prog(query.drv_prog_id);
  if (old.exists() && !old.ours())
    throw std::runtime_error(foreign("an XDP", ifindex, old, "ip link set dev <dev> xdp off"));

  LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
  __u32 flags = XDP_FLAGS_DRV_MODE;
  if (old.exists()) {
    // The kernel swaps only if `old` is still the one attached: a concurrent
    // change fails with EEXIST instead of being overwritten unseen.
    opts.old_prog_fd = old.fd();
    flags |= XDP_FLAGS_REPLACE;
  } else {
    flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
  }
  LibbpfMessages messages(true);
  int err = bpf_xdp_attach(ifindex, prog_fd, flags, &opts);
  if (err == -EOPNOTSUPP)
    throw std::runtime_error(
        explain(device(ifindex) +
                    " has no native (driver-mode) XDP support, and nwbpf does not fall back to "
                    "generic XDP: use the TC path for it (path = \"tc\" on the port, or "
                    "dataplane.mode = \"tc\")",
                messages));
  if (err == -EEXIST || err == -EBUSY)
    throw BpfError(
        explain("the XDP program on " + device(ifindex) +
                    " changed while nwbpf attached (another loader, or a bpf_link holds the hook)",
                messages),
        -err);
  if (err) throw BpfError(explain("cannot attach XDP to " + device(ifindex), messages), -err);
  log::get("dataplane")
      ->info("XDP on {}: {} (native mode)", device(ifindex),
             old.exists() ? "replaced program '" + old.name() + "'" : "attached");
}

void detach_xdp(int ifindex) {
  bpf_xdp_query_opts query;
  try {
    query = query_xdp(ifindex);
  } catch (const BpfError& e) {
    if (e.err() == ENODEV) return;  // the device, and so our program, is gone
    throw;
  }
  if (!query.drv_prog_id) return;
  Prog old(query.drv_prog_id);
  if (!old.exists()) return;
  if (!old.ours()) {
    log::get("dataplane")
        ->info("XDP on {}: program '{}' is not nwbpf's, left alone", device(ifindex), old.name());
    return;
  }
  LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = old.fd());
  LibbpfMessages messages(true);
  int err = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE, &opts);
  if (err) throw BpfError(explain("cannot detach XDP from " + device(ifindex), messages), -err);
  log::get("dataplane")->info("XDP on {}: detached '{}'", device(ifindex), old.name());
}

void attach_tc(int ifindex, int prog_fd) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  {
    LibbpfMessages messages(true);  // EEXIST (clsact already there) is the usual case
    int err = bpf_tc_hook_create(&hook);
    if (err && err != -EEXIST)
      throw BpfError(explain("cannot create the clsact qdisc on " + device(ifindex), messages),
                     -err);
  }
  Prog old;
  if (uint32_t id = query_tc(ifindex)) old = Prog(id);
  if (old.exists() && !old.ours())
    throw std::runtime_error(
        foreign(fmt::format("a tc filter (pref {} handle {:#x}) with", kTcPriority, kTcHandle),
                ifindex, old,
                fmt::format("tc filter del dev <dev> ingress pref {} handle {:#x} bpf", kTcPriority,
                            kTcHandle)));

  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .flags = BPF_TC_F_REPLACE, .handle = kTcHandle,
              .priority = kTcPriority);
  LibbpfMessages messages(true);
  if (int err = bpf_tc_attach(&hook, &opts))
    throw BpfError(explain("cannot attach tc filter to " + device(ifindex), messages), -err);
  log::get("dataplane")
      ->info("TC ingress on {}: {}", device(ifindex),
             old.exists() ? "replaced program '" + old.name() + "'" : "attached");
}

void detach_tc(int ifindex) {
  uint32_t id = query_tc(ifindex);
  if (!id) return;
  Prog old(id);
  if (!old.exists()) return;
  if (!old.ours()) {
    log::get("dataplane")
        ->info("TC ingress on {}: program '{}' is not nwbpf's, left alone", device(ifindex),
               old.name());
    return;
  }
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = kTcHandle, .priority = kTcPriority);
  LibbpfMessages messages(true);
  int err = bpf_tc_detach(&hook, &opts);
  if (err && err != -ENOENT)
    throw BpfError(explain("cannot detach tc filter from " + device(ifindex), messages), -err);
  log::get("dataplane")->info("TC ingress on {}: detached '{}'", device(ifindex), old.name());
}

uint32_t xdp_prog_id(int ifindex) { return query_xdp(ifindex).drv_prog_id; }

uint32_t tc_prog_id(int ifindex) { return query_tc(ifindex); }

}  // namespace nwbpf
