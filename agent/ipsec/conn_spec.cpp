// SPDX-License-Identifier: Apache-2.0
#include "ipsec/conn_spec.h"

namespace nwbpf::ipsec {

using vici::Error;
using vici::List;
using vici::Message;
using vici::Section;

std::string conn_name(std::optional<Ipv4> remote) {
  return remote ? std::string(kConnPrefix) + remote->str() : std::string(kAnyConnName);
}

namespace {

Error spec_error(const ConnSpec& spec, std::string_view what) {
  return Error{0, "connection " + (spec.name.empty() ? "(unnamed)" : spec.name) + ": " +
                      std::string(what)};
}

std::optional<Error> check(const ConnSpec& spec) {
  if (spec.name.empty()) return spec_error(spec, "empty name");
  if (!Ipv4::parse(spec.local_addr))
    return spec_error(spec, "local address \"" + spec.local_addr + "\" is not IPv4");
  if (spec.remote_addr && !Ipv4::parse(*spec.remote_addr))
    return spec_error(spec, "remote address \"" + *spec.remote_addr + "\" is not IPv4");
  if (spec.auth == Auth::pubkey && spec.local_cert_pem.empty())
    return spec_error(spec, "pubkey auth without a local certificate");
  if (spec.auth == Auth::pubkey && spec.ca_certs_pem.empty())
    return spec_error(spec, "pubkey auth without a CA certificate");
  if (spec.trap && !spec.remote_addr)
    return spec_error(spec, "trap needs a remote address");
  return std::nullopt;
}

// Auth rounds (vici_config.c: sections named local*/remote*, key `auth`:
// "psk", or "pubkey" for any public key type). `certs` and `cacerts` take
// PEM or DER data as list items (charon parses them as X.509 and adds them
// to its vici credential set); with certs and no `id`, charon uses the
// certificate's subject as our identity. The remote side has no `id`
// either: %any, the CA (or the PSK) decides who may connect.
std::pair<Section, Section> auth_sections(const ConnSpec& spec) {
  if (spec.auth == Auth::psk) {
    return {Section{}.add("auth", "psk"), Section{}.add("auth", "psk")};
  }
  return {Section{}.add("auth", "pubkey").add("certs", List{spec.local_cert_pem}),
          Section{}.add("auth", "pubkey").add("cacerts", List(spec.ca_certs_pem))};
}

}  // namespace

vici::Result<Message> load_conn(const ConnSpec& spec) {
  if (auto problem = check(spec)) return *problem;
  auto [local, remote] = auth_sections(spec);
  // Child actions (vici_config.c parse_action in 5.9.8: "start"/"restart",
  // "route"/"trap", "none"/"clear"). A trapped peer goes back to trap when
  // DPD declares it dead or it closes the CHILD_SA, so its traffic is held
  // again (never plaintext) and the next packet renegotiates. Without trap
  // the controller decides: charon just clears the SA.
  const char* start = spec.trap ? "trap" : "none";
  const char* after = spec.trap ? "trap" : "clear";
  // local_ts/remote_ts "dynamic": the IKE endpoints themselves, i.e. all
  // traffic between the two NBMA addresses, as transport mode requires.
  Section child = Section{}
                      .add("mode", "transport")
                      .add("esp_proposals", List{std::string(kEspProposal)})
                      .add("local_ts", List{"dynamic"})
                      .add("remote_ts", List{"dynamic"})
                      .add("start_action", start)
                      .add("dpd_action", after)
                      .add("close_action", after);
  // IKE keys (vici_config.c peer_kv/peer_li): version 2 = IKEv2 only;
  // addresses are lists ("%any" accepts any peer); encap = no does not force
  // UDP encapsulation, NAT-T stays automatic (charon moves to UDP 4500 and
  // encapsulates ESP when its NAT detection sees a NAT); mobike = no: the SA
  // is pinned to the NBMA addresses the controller chose; dpd_delay in
  // charon's time syntax.
  Section conn = Section{}
                     .add("version", "2")
                     .add("local_addrs", List{spec.local_addr})
                     .add("remote_addrs", List{spec.remote_addr.value_or("%any")})
                     .add("proposals", List{std::string(kIkeProposal)})
                     .add("encap", "no")
                     .add("mobike", "no")
                     .add("dpd_delay", std::string(kDpdDelay))
                     .add("local", std::move(local))
                     .add("remote", std::move(remote))
                     .add("children", Section{}.add(std::string(kChildName), std::move(child)));
  return Message{}.add(spec.name, std::move(conn));
}

// unload-conn {name}: also undoes the start action (uninstalls the traps).
Message unload_conn(std::string_view name) { return Message{}.add("name", std::string(name)); }

// load-shared (vici_cred.c): type IKE; `data` the raw secret; `id` names
// the key for unload-shared (5.9); no `owners` list means %any.
Message load_shared_psk(std::string_view id, std::string_view secret) {
  return Message{}
      .add("id", std::string(id))
      .add("type", "IKE")
      .add("data", std::string(secret));
}

Message unload_shared(std::string_view id) { return Message{}.add("id", std::string(id)); }

// load-key (vici_cred.c): type "any" lets charon detect RSA/ECDSA/Ed25519
// from the PEM (PKCS#8 or the algorithm's own format).
Message load_key_pem(std::string_view pem) {
  return Message{}.add("type", "any").add("data", std::string(pem));
}

// initiate and terminate (vici_control.c) read `timeout` with get_int
// (default 0: wait until the SA is up or failed, however long). With a
// negative timeout charon passes no log callback to its controller, which
// then queues the IKE exchange and returns at once: the reply is
// success = yes as soon as the job is queued (or success = no when the
// config is unknown), no control-log events are streamed, and the one VICI
// connection is free for the next request. The outcome arrives as
// ike-updown/child-updown events.
Message initiate(std::string_view child, std::string_view ike) {
  return Message{}.add("child", std::string(child)).add("ike", std::string(ike)).add("timeout", "-1");
}

// terminate by IKE_SA config name: every IKE_SA of that name is deleted.
Message terminate_ike(std::string_view ike) {
  return Message{}.add("ike", std::string(ike)).add("timeout", "-1");
}

// list-sas (vici_query.c): any value of `noblock` enumerates IKE_SAs
// without waiting for ones checked out by other threads (an IKE_SA in the
// middle of an exchange is skipped rather than stalling the reply).
Message list_sas() { return Message{}.add("noblock", "yes"); }

Message list_conns(std::optional<std::string_view> ike) {
  Message m;
  if (ike) m.add("ike", std::string(*ike));
  return m;
}

vici::Result<void> check_reply(std::string_view command, const Message& reply) {
  const vici::Value* success = reply.value("success");
  if (success && *success == "yes") return BOOST_OUTCOME_V2_NAMESPACE::success();
  const vici::Value* errmsg = reply.value("errmsg");
  return Error{0, "charon refused " + std::string(command) + ": " +
                      (errmsg ? *errmsg : std::string("(no errmsg)"))};
}

}  // namespace nwbpf::ipsec
