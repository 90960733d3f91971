// SPDX-License-Identifier: Apache-2.0
#include "daemon/reconciler.h"

#include "common/log.h"

namespace nwbpf::daemon {

namespace {

const char* hook_name(Hook hook) { return hook == Hook::xdp ? "xdp" : "tc ingress"; }

std::string hook_text(const HookKey& key) {
  return std::string(hook_name(key.second)) + " on ifindex " + std::to_string(key.first);
}

}  // namespace

HookPlan plan_hooks(const HookSet& attached, const HookSet& desired) {
  HookPlan plan;
  for (const auto& [key, role] : desired) {
    auto it = attached.find(key);
    if (it == attached.end() || it->second != role) plan.attach.emplace_back(key, role);
  }
  for (const auto& [key, role] : attached)
    if (!desired.contains(key)) plan.detach.push_back(key);
  return plan;
}

HookSet possibly_attached(const LinkSnapshot& links) {
  HookSet hooks;
  for (const auto& [name, link] : links)
    for (Hook hook : {Hook::xdp, Hook::tc_ingress}) hooks[{link.ifindex, hook}] = kRoleUnknown;
  return hooks;
}

Reconciler::Outcome Reconciler::apply(const DesiredState& want, const LinkSnapshot& links) {
  Outcome out;
  try {
    out.maps = sync_maps(datapath_.maps(), want);
  } catch (const std::exception& e) {
    out.errors.push_back(std::string("writing maps: ") + e.what());
  }

  if (first_) {
    attached_ = possibly_attached(links);
    first_ = false;
  }
  const HookPlan plan = plan_hooks(attached_, want.hooks);
  for (const auto& [key, role] : plan.attach) {
    try {
      datapath_.attach(key.first, role, key.second);
      attached_[key] = role;
      ++out.attached;
    } catch (const std::exception& e) {
      out.errors.push_back("attaching " + std::string(role_name(role)) + " program to " +
                           hook_text(key) + ": " + e.what());
    }
  }
  for (const HookKey& key : plan.detach) {
    // `links` holds only configured devices: one missing from it may still
    // exist (a port removed from the config) and keep our program. detach()
    // is a no-op on a device that is gone.
    try {
      datapath_.detach(key.first, key.second);
      attached_.erase(key);
      ++out.detached;
    } catch (const std::exception& e) {
      out.errors.push_back("detaching " + hook_text(key) + ": " + e.what());
    }
  }
  return out;
}

void Reconciler::detach_all() {
  auto log = log::get("reconcile");
  for (const auto& [key, role] : attached_) {
    try {
      datapath_.detach(key.first, key.second);
    } catch (const std::exception& e) {
      log->warn("detaching {}: {}", hook_text(key), e.what());
    }
  }
  attached_.clear();
}

}  // namespace nwbpf::daemon
