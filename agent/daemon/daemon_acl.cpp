// SPDX-License-Identifier: Apache-2.0
// Daemon: the fetched ebconfig in force in BPF (maps/acl.h). A file is
// compiled when it arrives (CentralClient refuses one whose rule set does
// not fit the data plane, so the last good file and the maps agree), then
// swapped in whole by AclTable. The rules behind the counter indexes are
// kept here for `show acl`.
#include "common/log.h"
#include "daemon/daemon.h"
#include "dataplane/acl_table.h"

namespace nwbpf::daemon {

// At start and whenever the ebconfig in force changes. Without an ebconfig
// source the maps are emptied (a source removed from the config takes its
// filters with it); with one but no file yet (never fetched, nothing
// saved) they are left as found: better the last rule set than none.
void Daemon::apply_acl() {
  auto log = log::get("acl");
  const bool configured = config_.fetch && config_.fetch->ebconfig && central_;
  const central::Ebconfig* file = configured ? central_->ebconfig() : nullptr;
  if (configured && !file) {
    log->info("no ebconfig yet: the ACL maps stay as found until one arrives");
    return;
  }
  auto compiled = compile_acl(file ? *file : central::Ebconfig{});
  if (!compiled) {  // refused on arrival; a saved copy from an older build may not fit
    for (const auto& p : compiled.error().problems) log->error("ebconfig: {}", p);
    return;
  }
  try {
    AclTable(datapath_->maps().acl).apply(compiled.value().image);
  } catch (const std::exception& e) {
    log->error("ebconfig not applied, the rule set in force stays: {}", e.what());
    return;
  }
  const size_t vlans = compiled.value().image.vlans.size();
  const size_t rules = compiled.value().rules.size();
  acl_ = std::move(compiled.value());
  if (file) {
    acl_source_ = views::AclSource{central_->ebconfig_url(), std::chrono::system_clock::now()};
    log->info("ebconfig {} in force: {} VLANs, {} rules and defaults", acl_source_->url, vlans,
              rules);
  } else {
    acl_source_.reset();
  }
}

nlohmann::json Daemon::show_acl(std::optional<uint16_t> vlan) const {
  if (!acl_) return views::acl_json({}, {}, vlan, std::nullopt);
  const auto rules = static_cast<uint32_t>(acl_->rules.size());
  return views::acl_json(acl_->rules, AclTable(datapath_->maps().acl).counters(rules), vlan,
                         acl_source_);
}

}  // namespace nwbpf::daemon
