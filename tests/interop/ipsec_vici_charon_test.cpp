// SPDX-License-Identifier: Apache-2.0
// The VICI client against Debian's real charon (charon-systemd 5.9.8), which
// ipsec_vici_charon.sh starts in a private mount and network namespace with
// its own /run: the default socket path, version, the unknown command and
// event answers, a PSK loaded and read back, a failure reply (success = no,
// a value, not an error), and control-log events arriving while initiate is
// in flight. Then the IKE controller's requests (conn_spec.h) and parsers
// (sa_info.h): connections loaded and read back as charon understood them,
// initiate without waiting, and a real IKEv2 negotiation with a second
// charon in the peer namespace (NWBPF_PEER_VICI). Run alone it fails unless
// charons answer on /run/charon.vici and $NWBPF_PEER_VICI.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "ipsec/conn_spec.h"
#include "ipsec/sa_info.h"
#include "ipsec/vici_client.h"
#include "ipsec_vici_client_test_support.h"

namespace nwbpf::ipsec::vici {
namespace {

using test::run_until;

class CharonTest : public ::testing::Test {
 protected:
  void SetUp() override { open(client); }
  void open(Client& c) {
    std::optional<Result<void>> connected;
    c.connect([&](Result<void> r) { connected = r; },
              [&](const Error& why) { ADD_FAILURE() << c.path() << " lost: " << why.message; });
    ASSERT_TRUE(run_until(io, [&] { return connected.has_value(); })) << c.path();
    ASSERT_TRUE(*connected) << connected->error().message;
  }
  // One command, waited for.
  Result<Message> call(std::string command, Message message = {}) {
    return call_on(client, std::move(command), std::move(message));
  }
  Result<Message> call_on(Client& to, std::string command, Message message = {}) {
    std::optional<Result<Message>> reply;
    to.request(std::move(command), std::move(message),
               [&](Result<Message> r) { reply = std::move(r); });
    if (!run_until(io, [&] { return reply.has_value(); })) return Error{0, "no reply in 5 s"};
    return *reply;
  }
  Result<void> subscribe(std::string event, EventHandler handler) {
    return subscribe_on(client, std::move(event), std::move(handler));
  }
  Result<void> subscribe_on(Client& to, std::string event, EventHandler handler) {
    std::optional<Result<void>> done;
    to.subscribe(std::move(event), std::move(handler), [&](Result<void> r) { done = r; });
    if (!run_until(io, [&] { return done.has_value(); })) return Error{0, "no answer in 5 s"};
    return *done;
  }
  static std::string value(const Section& s, std::string_view key) {
    const Value* v = s.value(key);
    return v ? *v : "(no " + std::string(key) + ")";
  }
  static std::string value(const Result<Message>& reply, std::string_view key) {
    return reply ? value(reply.value(), key) : "error: " + reply.error().message;
  }

  boost::asio::io_context io;
  Client client{io};  // kDefaultSocketPath, charon's own /run in the namespace
};

TEST_F(CharonTest, Version) {
  auto reply = call("version");
  // Debian's charon names itself after its binary.
  EXPECT_EQ(value(reply, "daemon"), "charon-systemd");
  EXPECT_TRUE(std::regex_match(value(reply, "version"), std::regex(R"(5\.9\.\d+)")))
      << value(reply, "version");
  EXPECT_EQ(value(reply, "sysname"), "Linux");
}

TEST_F(CharonTest, UnknownCommandAndEvent) {
  auto reply = call("frobnicate");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "charon does not know command frobnicate");
  auto registered = subscribe("frobnicated", [](const Message&) {});
  ASSERT_FALSE(registered);
  EXPECT_EQ(registered.error().message, "charon does not know event frobnicated");
  // The connection stays usable after both.
  EXPECT_EQ(value(call("version"), "daemon"), "charon-systemd");
  EXPECT_TRUE(subscribe("ike-updown", [](const Message&) {})) << "ike-updown";
  EXPECT_TRUE(subscribe("child-updown", [](const Message&) {})) << "child-updown";
}

TEST_F(CharonTest, SharedKeyLoadedReadBackAndUnloaded) {
  auto loaded = call("load-shared", Message{}
                                        .add("id", "nwbpf-vici-test")
                                        .add("type", "IKE")
                                        .add("data", "s3cr3t-psk")
                                        .add("owners", List{"192.0.2.1", "192.0.2.2"}));
  EXPECT_EQ(value(loaded, "success"), "yes") << value(loaded, "errmsg");
  auto keys = call("get-shared");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_NE(keys.value().list("keys"), nullptr);
  EXPECT_EQ(*keys.value().list("keys"), List{"nwbpf-vici-test"});

  auto unloaded = call("unload-shared", Message{}.add("id", "nwbpf-vici-test"));
  EXPECT_EQ(value(unloaded, "success"), "yes") << value(unloaded, "errmsg");
  keys = call("get-shared");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_NE(keys.value().list("keys"), nullptr);
  EXPECT_EQ(*keys.value().list("keys"), List{});
}

TEST_F(CharonTest, FailureIsAReplyNotAnError) {
  auto reply = call("load-shared", Message{}.add("type", "BOGUS").add("data", "x"));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(value(reply, "success"), "no");
  EXPECT_EQ(value(reply, "errmsg"), "invalid shared key type: BOGUS");
}

// initiate streams its log as control-log events on the same connection
// before its reply: events interleaved with a command in flight.
TEST_F(CharonTest, ControlLogEventsWhileInitiateRuns) {
  std::vector<std::string> seen;
  ASSERT_TRUE(subscribe("control-log", [&](const Message& m) {
    const Value* msg = m.value("msg");
    seen.push_back(msg ? *msg : "(no msg)");
  }));
  auto conn = Section{}
                  .add("version", "2")
                  .add("local_addrs", List{"192.0.2.1"})
                  .add("remote_addrs", List{"192.0.2.2"})
                  .add("local", Section{}.add("auth", "psk"))
                  .add("remote", Section{}.add("auth", "psk"))
                  .add("children", Section{}.add("c", Section{}.add("mode", "transport")));
  auto loaded = call("load-conn", Message{}.add("nwbpf-test", std::move(conn)));
  ASSERT_EQ(value(loaded, "success"), "yes") << value(loaded, "errmsg");

  bool replied = false;
  size_t events_before_reply = 0;
  std::string success, errmsg;
  client.request("initiate", Message{}.add("child", "c").add("timeout", "500"),
                 [&](Result<Message> r) {
                   replied = true;
                   events_before_reply = seen.size();
                   success = value(r, "success");
                   errmsg = value(r, "errmsg");
                 });
  ASSERT_TRUE(run_until(io, [&] { return replied; }));
  // Nothing answers at 192.0.2.2 in the namespace (only lo is up).
  EXPECT_EQ(success, "no");
  EXPECT_EQ(errmsg, "CHILD_SA 'c' not established after 500ms");
  ASSERT_GT(events_before_reply, 0u);
  EXPECT_TRUE(std::regex_match(
      seen[0], std::regex(R"(initiating IKE_SA nwbpf-test\[\d+\] to 192\.0\.2\.2)")))
      << seen[0];
}

// The builders of conn_spec.h and the parsers of sa_info.h against real
// charons: connections loaded, read back as charon understood them, and a
// real IKEv2 negotiation with the peer charon (ipsec_vici_charon.sh: this
// namespace has 198.51.100.1, the peer's 198.51.100.2).

// A message as text ("k=v l=[a,b] s {...}") for failure output.
std::string dump(const Section& s) {
  std::string out;
  for (const auto& e : s.entries()) {
    out += e.name;
    if (const auto* v = std::get_if<Value>(&e.content)) {
      out += "=" + *v + " ";
    } else if (const auto* l = std::get_if<List>(&e.content)) {
      out += "=[";
      for (const auto& item : *l) out += item + (&item == &l->back() ? "" : ",");
      out += "] ";
    } else {
      out += " {" + dump(std::get<Section>(e.content)) + "} ";
    }
  }
  return out;
}

const Section* find_section(const std::vector<Message>& events, std::string_view name) {
  for (const auto& m : events)
    if (const Section* s = m.section(name)) return s;
  return nullptr;
}

class IkeTest : public CharonTest {
 protected:
  void SetUp() override {
    CharonTest::SetUp();
    const char* path = std::getenv("NWBPF_PEER_VICI");
    ASSERT_NE(path, nullptr) << "NWBPF_PEER_VICI unset: run by ipsec_vici_charon.sh";
    peer = std::make_unique<Client>(io, path);
    open(*peer);
  }
  // A command with a success/errmsg reply, checked by check_reply().
  void expect_ok(Client& to, std::string command, Message message) {
    auto reply = call_on(to, command, std::move(message));
    ASSERT_TRUE(reply) << command << ": " << reply.error().message;
    auto checked = check_reply(command, reply.value());
    EXPECT_TRUE(checked) << checked.error().message;
  }
  // A streamed command: the events its subscription collected into `sink`
  // before the reply.
  std::vector<Message> streamed(Client& to, std::vector<Message>& sink, std::string command,
                                Message message) {
    sink.clear();
    auto reply = call_on(to, std::move(command), std::move(message));
    EXPECT_TRUE(reply) << reply.error().message;
    return sink;
  }

  // list-sas, each list-sa parsed, by IKE_SA name.
  std::map<std::string, IkeSaInfo> listed_sas(std::vector<Message>& sink) {
    std::map<std::string, IkeSaInfo> out;
    for (const auto& m : streamed(client, sink, "list-sas", list_sas())) {
      auto sa = parse_list_sa(m);
      EXPECT_TRUE(sa) << sa.error().message << ": " << dump(m);
      if (sa) out[sa.value().name] = sa.value();
    }
    return out;
  }

  // Loads `theirs` on the peer and `mine` here, subscribes to ike-updown
  // (into ike_events) and initiates `mine`. charon answers once IKE_SA_INIT
  // is sent: on the veth the whole exchange may finish first, so the
  // ike-updown can come before the reply. Returns that first event, which
  // must say up and ESTABLISHED.
  std::optional<UpDown> bring_up(const ConnSpec& mine, const ConnSpec& theirs) {
    expect_ok(*peer, "load-conn", conn(theirs));
    expect_ok(client, "load-conn", conn(mine));
    EXPECT_TRUE(subscribe("ike-updown",
                          [&](const Message& m) { ike_events.push_back(parse_updown(m)); }));
    expect_ok(client, "initiate", initiate(kChildName, mine.name));
    if (!run_until(io, [&] { return !ike_events.empty(); })) {
      ADD_FAILURE() << "no ike-updown in 5 s";
      return std::nullopt;
    }
    if (!ike_events[0]) {
      ADD_FAILURE() << ike_events[0].error().message;
      return std::nullopt;
    }
    EXPECT_TRUE(ike_events[0].value().up);
    EXPECT_EQ(ike_events[0].value().sa.state, "ESTABLISHED");
    return ike_events[0].value();
  }
  // terminate (timeout -1 answers at once too), the IKE_SA's down event,
  // both connections unloaded.
  void tear_down(const ConnSpec& mine, const ConnSpec& theirs) {
    expect_ok(client, "terminate", terminate_ike(mine.name));
    ASSERT_TRUE(run_until(io, [&] { return ike_events.size() >= 2; })) << "no ike-updown down";
    ASSERT_TRUE(ike_events[1]) << ike_events[1].error().message;
    EXPECT_FALSE(ike_events[1].value().up);
    EXPECT_EQ(ike_events[1].value().sa.name, mine.name);
    expect_ok(client, "unload-conn", unload_conn(mine.name));
    expect_ok(*peer, "unload-conn", unload_conn(theirs.name));
  }

  static ConnSpec spec(std::string local, std::optional<std::string> remote, bool trap) {
    ConnSpec s;
    s.name = conn_name(remote ? Ipv4::parse(*remote) : std::nullopt);
    s.local_addr = std::move(local);
    s.remote_addr = std::move(remote);
    s.trap = trap;
    return s;
  }
  static Message conn(const ConnSpec& s) {
    auto m = load_conn(s);
    EXPECT_TRUE(m) << m.error().message;
    return m ? m.value() : Message{};
  }

  std::unique_ptr<Client> peer;
  std::vector<Result<UpDown>> ike_events;
};

// What charon 5.9.8 reports back (list-conn): the child's mode, actions
// (clear shows as "none") and traffic selectors; start_action it does not
// list, so trap shows as the trap policy list-policies reports.
TEST_F(IkeTest, ConnsLoadedAsCharonUnderstandsThem) {
  std::vector<Message> conns, policies;
  ASSERT_TRUE(subscribe("list-conn", [&](const Message& m) { conns.push_back(m); }));
  ASSERT_TRUE(subscribe("list-policy", [&](const Message& m) { policies.push_back(m); }));
  expect_ok(client, "load-shared", load_shared_psk("nwbpf-psk", "s3cr3t-psk"));
  const ConnSpec trapped = spec("198.51.100.1", "198.51.100.2", true);
  const ConnSpec any = spec("198.51.100.1", std::nullopt, false);
  expect_ok(client, "load-conn", conn(trapped));
  expect_ok(client, "load-conn", conn(any));

  streamed(client, conns, "list-conns", list_conns());
  const Section* t = find_section(conns, "nwbpf-198.51.100.2");
  ASSERT_NE(t, nullptr) << conns.size() << " list-conn events";
  EXPECT_EQ(*t->list("local_addrs"), List{"198.51.100.1"}) << dump(*t);
  EXPECT_EQ(*t->list("remote_addrs"), List{"198.51.100.2"});
  EXPECT_EQ(value(*t, "version"), "IKEv2");
  EXPECT_EQ(value(*t, "dpd_delay"), "10");
  ASSERT_NE(t->section("local-1"), nullptr) << dump(*t);
  EXPECT_EQ(value(*t->section("local-1"), "class"), "pre-shared key");
  const Section* child = t->section("children") ? t->section("children")->section("nwbpf") : nullptr;
  ASSERT_NE(child, nullptr) << dump(*t);
  EXPECT_EQ(value(*child, "mode"), "TRANSPORT") << dump(*child);
  EXPECT_EQ(value(*child, "dpd_action"), "trap") << dump(*child);
  EXPECT_EQ(value(*child, "close_action"), "trap") << dump(*child);
  EXPECT_EQ(*child->list("local-ts"), List{"dynamic"});
  EXPECT_EQ(*child->list("remote-ts"), List{"dynamic"});

  const Section* a = find_section(conns, "nwbpf-any");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(*a->list("remote_addrs"), List{"%any"}) << dump(*a);
  child = a->section("children") ? a->section("children")->section("nwbpf") : nullptr;
  ASSERT_NE(child, nullptr) << dump(*a);
  EXPECT_EQ(value(*child, "dpd_action"), "none") << dump(*child);
  EXPECT_EQ(value(*child, "close_action"), "none") << dump(*child);

  // start_action = trap: charon installed the trap policy at load.
  streamed(client, policies, "list-policies", Message{}.add("trap", "yes"));
  const Section* p = find_section(policies, "nwbpf-198.51.100.2/nwbpf");
  ASSERT_NE(p, nullptr) << policies.size() << " list-policy events";
  EXPECT_EQ(value(*p, "mode"), "TRANSPORT") << dump(*p);
  EXPECT_EQ(*p->list("local-ts"), List{"198.51.100.1/32"}) << dump(*p);
  EXPECT_EQ(*p->list("remote-ts"), List{"198.51.100.2/32"}) << dump(*p);

  // unload-conn also takes the trap policy away.
  expect_ok(client, "unload-conn", unload_conn("nwbpf-198.51.100.2"));
  expect_ok(client, "unload-conn", unload_conn("nwbpf-any"));
  EXPECT_TRUE(streamed(client, policies, "list-policies", Message{}.add("trap", "yes")).empty());
  expect_ok(client, "unload-shared", unload_shared("nwbpf-psk"));
  auto refused = call("unload-conn", unload_conn("nwbpf-any"));
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_FALSE(check_reply("unload-conn", refused.value()));
}

// initiate with timeout -1 does not wait for the peer: to an address where
// nobody answers (charon would retransmit IKE_SA_INIT after 4 s), the reply
// success = yes is there at once, with no control-log events.
TEST_F(IkeTest, InitiateDoesNotWaitForThePeer) {
  size_t control_log = 0;
  ASSERT_TRUE(subscribe("control-log", [&](const Message&) { ++control_log; }));
  const ConnSpec silent = spec("198.51.100.1", "198.51.100.3", false);
  expect_ok(client, "load-conn", conn(silent));
  const auto start = std::chrono::steady_clock::now();
  expect_ok(client, "initiate", initiate(kChildName, silent.name));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(control_log, 0u);
  expect_ok(client, "terminate", terminate_ike(silent.name));
  expect_ok(client, "unload-conn", unload_conn(silent.name));
}

// initiate with timeout -1 answers at once; the IKE_SA comes up as an
// ike-updown event. The host kernel has no ESP (no esp4): the responder
// cannot add the SAs ("unable to add SAD entry ...: Function not implemented
// (38)"), answers IKE_AUTH with NO_PROPOSAL_CHOSEN, and both sides keep the
// IKE_SA without a CHILD_SA: no child-updown event, an empty child-sas.
TEST_F(IkeTest, NegotiationWithThePeerCharon) {
  std::vector<std::string> peer_log;
  ASSERT_TRUE(subscribe_on(*peer, "log", [&](const Message& m) {
    if (const Value* msg = m.value("msg")) peer_log.push_back(*msg);
  }));
  std::vector<Message> child_events, sas;
  size_t control_log = 0;
  ASSERT_TRUE(subscribe("child-updown", [&](const Message& m) { child_events.push_back(m); }));
  ASSERT_TRUE(subscribe("control-log", [&](const Message&) { ++control_log; }));
  ASSERT_TRUE(subscribe("list-sa", [&](const Message& m) { sas.push_back(m); }));
  expect_ok(*peer, "load-shared", load_shared_psk("nwbpf-psk", "s3cr3t-psk"));
  expect_ok(client, "load-shared", load_shared_psk("nwbpf-psk", "s3cr3t-psk"));

  const ConnSpec mine = spec("198.51.100.1", "198.51.100.2", false);
  const ConnSpec theirs = spec("198.51.100.2", std::nullopt, false);
  auto up = bring_up(mine, theirs);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->sa.name, "nwbpf-198.51.100.2");
  EXPECT_EQ(up->sa.local_host, "198.51.100.1");
  EXPECT_EQ(up->sa.remote_host, "198.51.100.2");
  EXPECT_EQ(up->sa.remote_port, 500);
  EXPECT_EQ(up->sa.remote_id, "198.51.100.2");
  EXPECT_TRUE(up->sa.initiator);
  EXPECT_FALSE(up->sa.nat_any);
  EXPECT_TRUE(up->sa.children.empty());

  const std::string sad_failed = "unable to install inbound and outbound IPsec SA (SAD) in kernel";
  EXPECT_TRUE(run_until(io, [&] {
    return std::find(peer_log.begin(), peer_log.end(), sad_failed) != peer_log.end();
  })) << "the peer never logged: " << sad_failed;

  // Every SA charon lists parses, also the CONNECTING one an earlier test
  // left to the unreachable 192.0.2.2.
  auto listed = listed_sas(sas);
  ASSERT_EQ(listed.count("nwbpf-198.51.100.2"), 1u);
  const IkeSaInfo& sa = listed.at("nwbpf-198.51.100.2");
  EXPECT_EQ(sa.state, "ESTABLISHED");
  EXPECT_EQ(sa.remote_host, "198.51.100.2");
  EXPECT_TRUE(sa.established.has_value());
  EXPECT_TRUE(sa.children.empty());
  EXPECT_TRUE(child_events.empty()) << dump(child_events[0]);
  EXPECT_EQ(control_log, 0u);  // timeout -1: charon streams no log

  tear_down(mine, theirs);
  EXPECT_EQ(listed_sas(sas).count("nwbpf-198.51.100.2"), 0u);
  expect_ok(client, "unload-shared", unload_shared("nwbpf-psk"));
  expect_ok(*peer, "unload-shared", unload_shared("nwbpf-psk"));
}

// X.509 instead of the PSK: each charon gets its private key (load-key type
// any, a PKCS#8 ECDSA key), its certificate and the CA in the connection;
// the identities are the certificates' subjects.
TEST_F(IkeTest, PubkeyNegotiation) {
  const char* dir = std::getenv("NWBPF_PKI_DIR");
  ASSERT_NE(dir, nullptr) << "NWBPF_PKI_DIR unset: run by ipsec_vici_charon.sh";
  auto pem = [&](const std::string& name) {
    std::ifstream in(std::string(dir) + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_FALSE(text.str().empty()) << name;
    return text.str();
  };
  auto pubkey = [&](ConnSpec s, const std::string& me) {
    s.auth = Auth::pubkey;
    s.local_cert_pem = pem(me + ".pem");
    s.ca_certs_pem = {pem("ca.pem")};
    return s;
  };
  expect_ok(client, "load-key", load_key_pem(pem("ce-a.key")));
  expect_ok(*peer, "load-key", load_key_pem(pem("ce-b.key")));
  const ConnSpec mine = pubkey(spec("198.51.100.1", "198.51.100.2", false), "ce-a");
  const ConnSpec theirs = pubkey(spec("198.51.100.2", std::nullopt, false), "ce-b");
  auto up = bring_up(mine, theirs);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->sa.local_id, "CN=ce-a");
  EXPECT_EQ(up->sa.remote_id, "CN=ce-b");
  tear_down(mine, theirs);
}

}  // namespace
}  // namespace nwbpf::ipsec::vici
