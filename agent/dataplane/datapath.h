// SPDX-License-Identifier: Apache-2.0
// The loaded BPF object: opens nwbpf.bpf.o through its skeleton, reuses the
// maps pinned under Config::pin_dir() (creating them on first start), loads
// the programs and attaches them to devices. Attachments are made through
// netlink (XDP) and clsact (TC) so they outlive the agent; attaching over an
// existing nwbpf program replaces it atomically, which is how a restarted
// agent takes over without dropping a frame.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "dataplane/datapath_maps.h"

namespace nwbpf {

enum class Hook { xdp, tc_ingress };

class Datapath {
 public:
  // Loads the nwbpf.bpf.o embedded in this binary by its skeleton (built
  // from the same maps/ headers, so it cannot drift from the C++ types), or
  // the file named by agent.bpf_object when set (it must define the same
  // maps and programs; map types and sizes are checked after load). Mounts a
  // bpffs at agent.bpffs if there is none.
  // Throws BpfError / std::runtime_error with the reason (verifier log
  // excerpt on load failure, or "pinned map 'X' at P is incompatible ..."
  // with the way to recover when the pins were made by a different layout
  // or size). Counter maps (stats, drops) pinned by a build with another
  // number of counters are replaced instead, with a warning: they hold no
  // forwarding state.
  static std::unique_ptr<Datapath> load(const Config& config);
  virtual ~Datapath() = default;

  virtual DatapathMaps& maps() = 0;
  virtual int events_fd() const = 0;  // the "events" ring buffer

  // Program per role: edge -> xdp_edge / tc_edge, wan -> xdp_wan / tc_wan,
  // tunnel -> tc_tunnel. Replaces whatever nwbpf program is on that hook.
  virtual void attach(int ifindex, nwbpf_port_role role, Hook hook) = 0;
  // Removes our program from that hook; absent is not an error.
  virtual void detach(int ifindex, Hook hook) = 0;
};

}  // namespace nwbpf
