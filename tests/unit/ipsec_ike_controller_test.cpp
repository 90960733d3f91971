// SPDX-License-Identifier: Apache-2.0
// The IKE controller's decisions: what it asks charon for, in which order,
// when charon comes and goes and peers come and go; which peers count as
// protected, from events and listings, including the ones that race.
#include <gtest/gtest.h>

#include "ipsec/ike_controller.h"

namespace nwbpf::ipsec {
namespace {

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

const Ipv4 kLocal = ip("192.0.2.1");
const Ipv4 kRs = ip("192.0.2.100");
const Ipv4 kCe = ip("192.0.2.2");

Credentials psk() { return {Auth::psk, "hogehogemogamoga", "", "", {}}; }

// "command conn-name" per request, for order checks.
std::vector<std::string> summary(const std::vector<Request>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) {
    std::string line = r.command;
    if (r.command == "load-conn" && !r.body.entries().empty()) line += " " + r.body.entries()[0].name;
    if (const auto* ike = r.body.value("ike")) line += " " + *ike;
    out.push_back(line);
  }
  return out;
}

const vici::Section* child_of(const Request& load_conn) {
  const auto* conn = std::get_if<vici::Section>(&load_conn.body.entries().at(0).content);
  const auto* children = conn ? conn->section("children") : nullptr;
  return children ? children->section(kChildName) : nullptr;
}

ChildSaInfo child(std::string state, std::string name = std::string(kChildName)) {
  ChildSaInfo c;
  c.name = std::move(name);
  c.state = std::move(state);
  c.mode = "TRANSPORT";
  return c;
}

IkeSaInfo sa(Ipv4 remote, std::string state, std::vector<ChildSaInfo> children,
             std::string name = "") {
  IkeSaInfo s;
  s.name = name.empty() ? conn_name(remote) : name;
  s.state = std::move(state);
  s.local_host = kLocal.str();
  s.remote_host = remote.str();
  s.children = std::move(children);
  return s;
}

IkeSaInfo up_sa(Ipv4 remote) { return sa(remote, "ESTABLISHED", {child("INSTALLED")}); }

TEST(IpsecIkeController, ConnectingLoadsTheSecretAndTheResponderFirst) {
  IkeController c(kLocal, psk());
  auto r = c.on_connected();
  EXPECT_EQ(summary(r), (std::vector<std::string>{"load-shared", "load-conn nwbpf-any"}));
  EXPECT_EQ(*r[0].body.value("data"), "hogehogemogamoga");
  ASSERT_TRUE(child_of(r[1]));
  EXPECT_EQ(*child_of(r[1])->value("start_action"), "none") << "no trap towards %any";
}

TEST(IpsecIkeController, EachWantedPeerGetsATrappedConnectionAndAnInitiate) {
  IkeController c(kLocal, psk());
  c.on_connected();
  auto r = c.set_wanted({kRs, kCe, kLocal});
  EXPECT_EQ(summary(r), (std::vector<std::string>{"load-conn nwbpf-192.0.2.2", "initiate nwbpf-192.0.2.2",
                                                  "load-conn nwbpf-192.0.2.100",
                                                  "initiate nwbpf-192.0.2.100"}))
      << "never a connection to ourselves";
  ASSERT_TRUE(child_of(r[0]));
  EXPECT_EQ(*child_of(r[0])->value("start_action"), "trap");
  EXPECT_EQ(*child_of(r[0])->value("mode"), "transport");
  EXPECT_TRUE(c.set_wanted({kRs, kCe}).empty()) << "nothing new";
  EXPECT_EQ(c.peers().size(), 2u);
}

TEST(IpsecIkeController, PeersWantedBeforeCharonAnswersAreLoadedWhenItDoes) {
  IkeController c(kLocal, psk());
  EXPECT_TRUE(c.set_wanted({kRs}).empty());
  EXPECT_EQ(summary(c.on_connected()),
            (std::vector<std::string>{"load-shared", "load-conn nwbpf-any", "load-conn nwbpf-192.0.2.100",
                                      "initiate nwbpf-192.0.2.100"}));
}

TEST(IpsecIkeController, APeerNoLongerWantedIsUnloadedAndTerminated) {
  IkeController c(kLocal, psk());
  c.on_connected();
  c.set_wanted({kRs, kCe});
  EXPECT_EQ(summary(c.set_wanted({kRs})),
            (std::vector<std::string>{"unload-conn", "terminate nwbpf-192.0.2.2"}));
  EXPECT_EQ(summary(c.set_wanted({kRs, kCe})),
            (std::vector<std::string>{"load-conn nwbpf-192.0.2.2", "initiate nwbpf-192.0.2.2"}));
}

TEST(IpsecIkeController, ARefusedConnectionIsRetriedAndShownUntilLoaded) {
  IkeController c(kLocal, psk());
  c.on_connected();
  auto r = c.set_wanted({kRs});
  EXPECT_TRUE(c.retry().empty()) << "in flight, not failed";
  c.on_result(r[0], vici::Error{0, "charon refused load-conn: parsing failed"});
  EXPECT_FALSE(c.peers().at(kRs).loaded);
  EXPECT_EQ(c.peers().at(kRs).error, "charon refused load-conn: parsing failed");
  auto again = c.retry();
  EXPECT_EQ(summary(again),
            (std::vector<std::string>{"load-conn nwbpf-192.0.2.100", "initiate nwbpf-192.0.2.100"}));
  EXPECT_TRUE(c.retry().empty()) << "once per failure";
  c.on_result(again[0], vici::Result<void>{BOOST_OUTCOME_V2_NAMESPACE::success()});
  EXPECT_TRUE(c.peers().at(kRs).loaded);
  EXPECT_EQ(c.peers().at(kRs).error, "");
}

TEST(IpsecIkeController, ALoadedPeerWithoutAnSaIsInitiatedAgainUnlessConnecting) {
  IkeController c(kLocal, psk());
  c.on_connected();
  auto r = c.set_wanted({kRs, kCe});
  for (const auto& request : r)
    if (request.kind == Request::Kind::connection)
      c.on_result(request, vici::Result<void>{BOOST_OUTCOME_V2_NAMESPACE::success()});
  c.begin_listing();
  c.on_listing({up_sa(kRs), sa(kCe, "CONNECTING", {})});
  EXPECT_TRUE(c.retry().empty()) << "one up, one on its way";
  c.begin_listing();
  c.on_listing({up_sa(kRs)});  // kCe's attempt failed
  EXPECT_EQ(summary(c.retry()), std::vector<std::string>{"initiate nwbpf-192.0.2.2"});
  c.on_updown({false, up_sa(kRs)});  // its CHILD_SA deleted
  EXPECT_EQ(summary(c.retry()),
            (std::vector<std::string>{"initiate nwbpf-192.0.2.2", "initiate nwbpf-192.0.2.100"}));
}

TEST(IpsecIkeController, ReadyOnceTheCredentialAndEveryWantedConnectionAreLoaded) {
  const auto ok = vici::Result<void>{BOOST_OUTCOME_V2_NAMESPACE::success()};
  IkeController c(kLocal, psk());
  c.set_wanted({kRs});
  auto r = c.on_connected();  // load-shared, nwbpf-any, rs's load-conn, initiate
  EXPECT_FALSE(c.ready());
  c.on_result(r[0], ok);
  EXPECT_FALSE(c.ready()) << "rs's trap policy is not in yet";
  c.on_result(r[2], vici::Error{0, "refused"});
  EXPECT_FALSE(c.ready());
  auto again = c.retry();
  c.on_result(again[0], ok);
  EXPECT_TRUE(c.ready());
  c.on_disconnected();
  EXPECT_FALSE(c.ready());
}

vici::Message log_event(std::string ike, std::string msg) {
  vici::Message m;
  m.add("group", "IKE").add("level", "0").add("thread", "12");
  if (!ike.empty()) m.add("ikesa-name", std::move(ike)).add("ikesa-uniqueid", "4");
  return m.add("msg", std::move(msg));
}

TEST(IpsecIkeController, CharonsLoggedFailuresWithAPeerAreKeptUntilItIsProtected) {
  IkeController c(kLocal, psk());
  c.on_connected();
  c.set_wanted({kRs});
  c.on_log(log_event("nwbpf-192.0.2.100", "initiating IKE_SA nwbpf-192.0.2.100[4] to 192.0.2.100"));
  EXPECT_EQ(c.peers().at(kRs).failure, "") << "not a failure";
  c.on_log(log_event("nwbpf-192.0.2.100", "received AUTHENTICATION_FAILED notify error"));
  c.on_log(log_event("nwbpf-any", "tried 1 shared key for '%any' - '192.0.2.2', but MAC mismatched"));
  c.on_log(log_event("", "unable to install policy"));
  c.on_log(log_event("nwbpf-192.0.2.2", "received AUTHENTICATION_FAILED notify error"));
  EXPECT_EQ(c.peers().size(), 1u) << "a log line adds no peer";
  EXPECT_EQ(c.peers().at(kRs).failure, "received AUTHENTICATION_FAILED notify error");
  c.on_updown({true, up_sa(kRs)});
  EXPECT_EQ(c.peers().at(kRs).failure, "");
  c.on_log(log_event("nwbpf-192.0.2.100", "establishing CHILD_SA nwbpf failed"));
  EXPECT_EQ(c.peers().at(kRs).failure, "") << "protected: an extra SA failing is no news";
}

TEST(IpsecIkeController, CertificatesLoadTheKeyAndCarryCertAndCa) {
  IkeController c(kLocal, {Auth::pubkey, "", "CERT", "KEY", {"CA"}});
  auto r = c.on_connected();
  EXPECT_EQ(summary(r), (std::vector<std::string>{"load-key", "load-conn nwbpf-any"}));
  EXPECT_EQ(*r[0].body.value("data"), "KEY");
  const auto* conn = std::get_if<vici::Section>(&r[1].body.entries().at(0).content);
  ASSERT_TRUE(conn);
  EXPECT_EQ(*conn->section("local")->list("certs"), vici::List{"CERT"});
  EXPECT_EQ(*conn->section("remote")->list("cacerts"), vici::List{"CA"});
}

TEST(IpsecIkeController, APeerIsUpOnlyWithOurEstablishedIkeSaAndAnInstalledChild) {
  IkeController c(kLocal, psk());
  c.on_connected();
  EXPECT_FALSE(c.on_updown({true, sa(kRs, "ESTABLISHED", {})})) << "IKE only";
  EXPECT_FALSE(c.on_updown({true, sa(kRs, "ESTABLISHED", {child("INSTALLING")})}));
  EXPECT_FALSE(c.on_updown({true, sa(kRs, "ESTABLISHED", {child("INSTALLED", "other")})}));
  EXPECT_FALSE(c.on_updown({true, sa(kRs, "ESTABLISHED", {child("INSTALLED")}, "site-b")}))
      << "someone else's connection may not cover VXLAN";
  EXPECT_TRUE(c.sa_up().empty());
  EXPECT_TRUE(c.on_updown({true, up_sa(kRs)}));
  EXPECT_EQ(c.sa_up(), std::set<Ipv4>{kRs});
  EXPECT_TRUE(c.on_updown({true, sa(kCe, "ESTABLISHED", {child("INSTALLED")}, "nwbpf-any")}))
      << "the responder's SAs count";
  EXPECT_FALSE(c.on_updown({true, up_sa(kRs)})) << "no change";
  EXPECT_TRUE(c.on_updown({false, up_sa(kRs)}));
  EXPECT_EQ(c.sa_up(), std::set<Ipv4>{kCe});
}

TEST(IpsecIkeController, AListingReplacesWhatEventsSaid) {
  IkeController c(kLocal, psk());
  c.on_connected();
  c.on_updown({true, up_sa(kRs)});
  c.begin_listing();
  EXPECT_TRUE(c.on_listing({up_sa(kCe), sa(kRs, "DELETING", {child("INSTALLED")})}));
  EXPECT_EQ(c.sa_up(), std::set<Ipv4>{kCe});
  EXPECT_EQ(c.sas().size(), 2u);
  c.begin_listing();
  EXPECT_FALSE(c.on_listing({sa(kCe, "ESTABLISHED", {child("REKEYING")})}))
      << "a rekeying CHILD_SA still carries traffic";
}

TEST(IpsecIkeController, EventsDuringAListingAreNewerThanIt) {
  IkeController c(kLocal, psk());
  c.on_connected();
  c.on_updown({true, up_sa(kRs)});
  c.begin_listing();
  EXPECT_TRUE(c.on_updown({false, up_sa(kRs)}));  // listed up, then went down
  EXPECT_TRUE(c.on_updown({true, up_sa(kCe)}));   // came up after the listing
  EXPECT_FALSE(c.on_listing({up_sa(kRs)}));
  EXPECT_EQ(c.sa_up(), std::set<Ipv4>{kCe});
  c.begin_listing();
  EXPECT_TRUE(c.on_listing({up_sa(kRs)})) << "the next listing is believed";
  EXPECT_EQ(c.sa_up(), std::set<Ipv4>{kRs});
}

TEST(IpsecIkeController, LosingCharonClosesEverythingAndReconnectingLoadsItAllAgain) {
  IkeController c(kLocal, psk());
  c.on_connected();
  auto r = c.set_wanted({kRs});
  c.on_result(r[0], vici::Result<void>{BOOST_OUTCOME_V2_NAMESPACE::success()});
  c.on_updown({true, up_sa(kRs)});
  c.on_disconnected();
  EXPECT_FALSE(c.connected());
  EXPECT_TRUE(c.sa_up().empty());
  EXPECT_FALSE(c.peers().at(kRs).loaded);
  EXPECT_TRUE(c.set_wanted({kRs, kCe}).empty()) << "nothing to send to";
  EXPECT_EQ(summary(c.on_connected()).size(), 6u);
}

}  // namespace
}  // namespace nwbpf::ipsec
