// SPDX-License-Identifier: Apache-2.0
// Datapath::load and the loaded object.
//
// Which BPF object: by default the nwbpf.bpf.o that the skeleton embedded in
// this binary (embedded_object.h). It is compiled from the same maps/ headers
// as this code, so programs and C++ map types cannot drift apart.
// agent.bpf_object, when set, names an object file to load instead (to try a
// rebuilt data plane without rebuilding the agent). It must define the same
// programs and maps; their types and key/value sizes are checked after load
// like those of pinned maps, so a mismatched file is refused, not misread.
#include "dataplane/datapath.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "dataplane/bpffs.h"
#include "dataplane/embedded_object.h"
#include "dataplane/hooks.h"
#include "dataplane/libbpf_log.h"

namespace nwbpf {

namespace {

struct ObjectCloser {
  void operator()(bpf_object* obj) const { bpf_object__close(obj); }
};
using Object = std::unique_ptr<bpf_object, ObjectCloser>;

std::string with_libbpf(std::string what, const LibbpfMessages& messages) {
  std::string said = messages.summary();
  return said.empty() ? what : what + ":\n" + said;
}

std::string map_type_name(uint32_t type) {
  const char* name = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(type));
  return name ? name : std::to_string(type);
}

// What the kernel says of the map pinned at path, if one is (and readable).
std::optional<bpf_map_info> pinned_info(const char* path) {
  if (!path) return std::nullopt;
  int fd = bpf_obj_get(path);
  if (fd < 0) return std::nullopt;
  bpf_map_info info{};
  __u32 len = sizeof(info);
  int rc = bpf_obj_get_info_by_fd(fd, &info, &len);
  ::close(fd);
  if (rc != 0) return std::nullopt;
  return info;
}

// Counter maps hold statistics, not forwarding state, and grow with every
// counter or drop reason a build adds (max_entries = NWBPF_STAT_MAX /
// NWBPF_DROP_MAX); settings holds nothing but what the agent derives from
// its config, and grew when the TCP MSS clamp came. One pinned by another
// build is replaced rather than refused, so an upgrade keeps the FDB, peers
// and attached programs (which keep using the old map until replaced): the
// counts start over, and the reconciler writes the new settings before it
// attaches a program (maps first, then hooks).
void replace_other_builds_derived(bpf_object* obj) {
  for (const char* name : {NWBPF_MAP_STATS, NWBPF_MAP_DROPS, NWBPF_MAP_SETTINGS}) {
    bpf_map* map = bpf_object__find_map_by_name(obj, name);
    if (!map) continue;
    const char* path = bpf_map__pin_path(map);
    auto info = pinned_info(path);
    if (!info || (info->type == bpf_map__type(map) && info->key_size == bpf_map__key_size(map) &&
                  info->value_size == bpf_map__value_size(map) &&
                  info->max_entries == bpf_map__max_entries(map)))
      continue;
    if (::unlink(path) != 0)
      throw BpfError(fmt::format("cannot replace pinned map {}", path), errno);
    log::get("dataplane")
        ->warn("pinned map '{}' at {} was made by another nwbpf build ({} x {} bytes, this build "
               "{} x {}): replaced{}",
               name, path, info->max_entries, info->value_size, bpf_map__max_entries(map),
               bpf_map__value_size(map),
               std::string_view(name) == NWBPF_MAP_SETTINGS ? "" : ", its counts start over");
  }
}

// libbpf refuses a pinned map whose definition differs from the object's
// ("parameter mismatch") without saying how. Finds the first such map (libbpf
// stops at the first) and describes the difference and the way out.
std::optional<std::string> incompatible_pin(bpf_object* obj, const std::string& pin_dir) {
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    const char* path = bpf_map__pin_path(map);
    auto pinned = pinned_info(path);
    if (!pinned) continue;
    const bpf_map_info& info = *pinned;

    std::vector<std::string> diffs;
    auto compare = [&](const char* field, auto pinned, auto wanted) {
      if (pinned != wanted)
        diffs.push_back(fmt::format("{} {} pinned, {} wanted", field, pinned, wanted));
    };
    compare("type", map_type_name(info.type), map_type_name(bpf_map__type(map)));
    compare("key_size", info.key_size, bpf_map__key_size(map));
    compare("value_size", info.value_size, bpf_map__value_size(map));
    compare("max_entries", info.max_entries, bpf_map__max_entries(map));
    compare("map_flags", info.map_flags, bpf_map__map_flags(map));
    compare("map_extra", info.map_extra, bpf_map__map_extra(map));
    if (diffs.empty()) continue;
    return fmt::format(
        "pinned map '{}' at {} is incompatible with this nwbpf build and config ({}). To recover, "
        "stop nwbpfd, "
        "remove the pin directory (rm -r {}) and start nwbpfd again: forwarding state is rebuilt "
        "from the config "
        "and relearned",
        bpf_map__name(map), path, fmt::join(diffs, ", "), pin_dir);
  }
  return std::nullopt;
}

class LoadedDatapath final : public Datapath {
 public:
  explicit LoadedDatapath(Object obj)
      : obj_(std::move(obj)),
        maps_(DatapathMaps::from_object(obj_.get())),
        events_fd_(find_events_fd()) {}

  DatapathMaps& maps() override { return maps_; }
  int events_fd() const override { return events_fd_; }

  void attach(int ifindex, nwbpf_port_role role, Hook hook) override {
    if (ifindex <= 0)
      throw std::invalid_argument("attach: invalid ifindex " + std::to_string(ifindex));
    const char* name = program_name(role, hook);
    if (!name)
      throw std::invalid_argument(fmt::format("port role {} has no {} program",
                                              static_cast<int>(role),
                                              hook == Hook::xdp ? "XDP" : "TC"));
    const bpf_program* prog = bpf_object__find_program_by_name(obj_.get(), name);
    if (!prog)
      throw std::runtime_error(
          fmt::format("the BPF object has no program '{}' (is bpf/nwbpf.bpf.c complete?)", name));
    auto wanted = hook == Hook::xdp ? BPF_PROG_TYPE_XDP : BPF_PROG_TYPE_SCHED_CLS;
    if (bpf_program__type(prog) != wanted)
      throw std::runtime_error(fmt::format("BPF program '{}' has section '{}', not an {} program",
                                           name, bpf_program__section_name(prog),
                                           hook == Hook::xdp ? "XDP" : "TC"));
    if (hook == Hook::xdp)
      attach_xdp(ifindex, bpf_program__fd(prog));
    else
      attach_tc(ifindex, bpf_program__fd(prog));
  }

  void detach(int ifindex, Hook hook) override {
    if (hook == Hook::xdp)
      detach_xdp(ifindex);
    else
      detach_tc(ifindex);
  }

 private:
  int find_events_fd() const {
    const bpf_map* map = bpf_object__find_map_by_name(obj_.get(), NWBPF_MAP_EVENTS);
    if (!map) throw std::runtime_error("BPF object has no map '" NWBPF_MAP_EVENTS "'");
    return bpf_map__fd(map);
  }

  Object obj_;
  DatapathMaps maps_;
  int events_fd_;
};

Object open_object(const Config& config, const std::string& pin_dir, std::string& what) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "nwbpf", .pin_root_path = pin_dir.c_str());
  LibbpfMessages messages;
  bpf_object* obj;
  if (config.agent.bpf_object.empty()) {
    what = "the embedded BPF object";
    auto bytes = nwbpf_embedded_object();
    obj = bpf_object__open_mem(bytes.data(), bytes.size(), &opts);
  } else {
    what = "BPF object " + config.agent.bpf_object + " (agent.bpf_object)";
    obj = bpf_object__open_file(config.agent.bpf_object.c_str(), &opts);
  }
  if (!obj) throw BpfError(with_libbpf("cannot open " + what, messages), errno);
  return Object(obj);
}

// Pinned maps already present: the agent restarts over live forwarding state.
int count_existing_pins(bpf_object* obj) {
  int n = 0;
  bpf_map* map;
  bpf_object__for_each_map(map, obj) {
    const char* path = bpf_map__pin_path(map);
    if (path && ::access(path, F_OK) == 0) ++n;
  }
  return n;
}

}  // namespace

std::unique_ptr<Datapath> Datapath::load(const Config& config) {
  auto logger = log::get("dataplane");
  const std::string pin_dir = config.pin_dir();
  prepare_pin_dir(config.agent.bpffs, pin_dir);

  std::string what;
  Object obj = open_object(config, pin_dir, what);
  for (const char* name : {NWBPF_MAP_FDB, NWBPF_MAP_FDB_LEARNED}) {
    bpf_map* map = bpf_object__find_map_by_name(obj.get(), name);
    if (!map) throw std::runtime_error(fmt::format("{} has no map '{}'", what, name));
    if (int err = bpf_map__set_max_entries(map, config.dataplane.fdb_size))
      throw BpfError(fmt::format("cannot size map '{}' to dataplane.fdb_size {}", name,
                                 config.dataplane.fdb_size),
                     -err);
  }

  replace_other_builds_derived(obj.get());
  int reused = count_existing_pins(obj.get());
  LibbpfMessages messages;
  if (int err = bpf_object__load(obj.get())) {
    if (auto why = incompatible_pin(obj.get(), pin_dir)) throw std::runtime_error(*why);
    throw BpfError(with_libbpf("cannot load " + what, messages), -err);
  }
  auto datapath = std::make_unique<LoadedDatapath>(std::move(obj));
  logger->info("loaded {}; maps pinned under {} ({})", what, pin_dir,
               reused ? fmt::format("{} reused", reused) : std::string("created"));
  return datapath;
}

}  // namespace nwbpf
