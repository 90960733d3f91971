// SPDX-License-Identifier: Apache-2.0
// The VICI requests of the IKE controller (conn_spec.h): golden element
// bytes for the small ones, the whole load-conn tree for PSK and pubkey
// peers, the %any responder and trap, each refused ConnSpec with its error,
// and check_reply on charon's success/errmsg replies.
#include <gtest/gtest.h>

#include "ipsec/conn_spec.h"
#include "ipsec_vici_test_support.h"

namespace nwbpf::ipsec {
namespace {

using vici::List;
using vici::Message;
using vici::Section;
using vici::test::hex;

wire::Bytes encoded(const Message& m) {
  wire::Bytes out;
  auto done = vici::encode_message(m, out);
  EXPECT_TRUE(done) << done.error().message;
  return out;
}

constexpr const char* kConn = "6e776270662d3139322e302e322e32";  // nwbpf-192.0.2.2 (15)

TEST(IpsecConnSpec, ConnName) {
  EXPECT_EQ(conn_name(Ipv4::parse("192.0.2.1")), "nwbpf-192.0.2.1");
  EXPECT_EQ(conn_name(std::nullopt), "nwbpf-any");
}

TEST(IpsecConnSpec, UnloadConnBytes) {
  EXPECT_EQ(encoded(unload_conn("nwbpf-192.0.2.2")),
            hex(std::string("03 04 6e616d65 000f") + kConn));  // name = nwbpf-192.0.2.2
}

TEST(IpsecConnSpec, InitiateBytes) {
  EXPECT_EQ(encoded(initiate("nwbpf", "nwbpf-192.0.2.2")),
            hex(std::string("03 05 6368696c64 0005 6e77627066")  // child = nwbpf
                + "03 03 696b65 000f" + kConn                    // ike = nwbpf-192.0.2.2
                + "03 07 74696d656f7574 0002 2d31"));            // timeout = -1
}

TEST(IpsecConnSpec, TerminateBytes) {
  EXPECT_EQ(encoded(terminate_ike("nwbpf-192.0.2.2")),
            hex(std::string("03 03 696b65 000f") + kConn      // ike = nwbpf-192.0.2.2
                + "03 07 74696d656f7574 0002 2d31"));          // timeout = -1
}

TEST(IpsecConnSpec, LoadSharedBytes) {
  EXPECT_EQ(encoded(load_shared_psk("psk", "s3cr3t")),
            hex("03 02 6964 0003 70736b"              // id = psk
                "03 04 74797065 0003 494b45"          // type = IKE
                "03 04 64617461 0006 733363723374"));  // data = s3cr3t
  EXPECT_EQ(encoded(unload_shared("psk")), hex("03 02 6964 0003 70736b"));  // id = psk
}

TEST(IpsecConnSpec, LoadKeyListSasListConnsBytes) {
  EXPECT_EQ(encoded(load_key_pem("PEM")),
            hex("03 04 74797065 0003 616e79"     // type = any
                "03 04 64617461 0003 50454d"));  // data = PEM
  EXPECT_EQ(encoded(list_sas()), hex("03 07 6e6f626c6f636b 0003 796573"));  // noblock = yes
  EXPECT_EQ(encoded(list_conns()), hex(""));
  EXPECT_EQ(encoded(list_conns("nwbpf-192.0.2.2")), hex(std::string("03 03 696b65 000f") + kConn));
}

// The conn section as the builder must produce it, with the parts that vary.
Section expected_conn(std::string remote, Section local, Section remote_auth,
                      const char* start, const char* after) {
  return Section{}
      .add("version", "2")
      .add("local_addrs", List{"192.0.2.1"})
      .add("remote_addrs", List{std::move(remote)})
      .add("proposals", List{"aes256gcm16-prfsha256-ecp256"})
      .add("encap", "no")
      .add("mobike", "no")
      .add("dpd_delay", "10s")
      .add("local", std::move(local))
      .add("remote", std::move(remote_auth))
      .add("children", Section{}.add("nwbpf", Section{}
                                                  .add("mode", "transport")
                                                  .add("esp_proposals", List{"aes256gcm16-ecp256"})
                                                  .add("local_ts", List{"dynamic"})
                                                  .add("remote_ts", List{"dynamic"})
                                                  .add("start_action", start)
                                                  .add("dpd_action", after)
                                                  .add("close_action", after)));
}

// A PSK peer 192.0.2.2 seen from 192.0.2.1, not trapped.
ConnSpec peer() {
  ConnSpec spec;
  spec.name = "nwbpf-192.0.2.2";
  spec.local_addr = "192.0.2.1";
  spec.remote_addr = "192.0.2.2";
  return spec;
}

TEST(IpsecConnSpec, LoadConnPskTrap) {
  ConnSpec spec = peer();
  spec.trap = true;
  auto m = load_conn(spec);
  ASSERT_TRUE(m) << m.error().message;
  auto psk = Section{}.add("auth", "psk");
  EXPECT_EQ(m.value(), Message{}.add("nwbpf-192.0.2.2",
                                     expected_conn("192.0.2.2", psk, psk, "trap", "trap")));
  encoded(m.value());  // encodes: every name valid and unique in its section
}

TEST(IpsecConnSpec, LoadConnPubkeyNone) {
  ConnSpec spec = peer();
  spec.auth = Auth::pubkey;
  spec.local_cert_pem = "CERT";
  spec.ca_certs_pem = {"CA1", "CA2"};
  auto m = load_conn(spec);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m.value(),
            Message{}.add("nwbpf-192.0.2.2",
                          expected_conn("192.0.2.2",
                                        Section{}.add("auth", "pubkey").add("certs", List{"CERT"}),
                                        Section{}.add("auth", "pubkey").add("cacerts",
                                                                            List{"CA1", "CA2"}),
                                        "none", "clear")));
}

TEST(IpsecConnSpec, LoadConnAnyResponder) {
  ConnSpec spec = peer();
  spec.name = "nwbpf-any";
  spec.remote_addr = std::nullopt;
  auto m = load_conn(spec);
  ASSERT_TRUE(m) << m.error().message;
  auto psk = Section{}.add("auth", "psk");
  EXPECT_EQ(m.value(), Message{}.add("nwbpf-any", expected_conn("%any", psk, psk, "none", "clear")));
}

TEST(IpsecConnSpec, LoadConnRefused) {
  auto error = [](ConnSpec spec) {
    auto m = load_conn(spec);
    EXPECT_FALSE(m);
    return m ? std::string() : m.error().message;
  };
  const ConnSpec ok = peer();
  ConnSpec s = ok;
  s.name = "";
  EXPECT_EQ(error(s), "connection (unnamed): empty name");
  s = ok;
  s.local_addr = "192.0.2";
  EXPECT_EQ(error(s), "connection nwbpf-192.0.2.2: local address \"192.0.2\" is not IPv4");
  s = ok;
  s.remote_addr = "%any";
  EXPECT_EQ(error(s), "connection nwbpf-192.0.2.2: remote address \"%any\" is not IPv4");
  s = ok;
  s.auth = Auth::pubkey;
  s.ca_certs_pem = {"CA"};
  EXPECT_EQ(error(s), "connection nwbpf-192.0.2.2: pubkey auth without a local certificate");
  s.local_cert_pem = "CERT";
  s.ca_certs_pem = {};
  EXPECT_EQ(error(s), "connection nwbpf-192.0.2.2: pubkey auth without a CA certificate");
  s = ok;
  s.name = "nwbpf-any";
  s.remote_addr = std::nullopt;
  s.trap = true;
  EXPECT_EQ(error(s), "connection nwbpf-any: trap needs a remote address");
}

TEST(IpsecConnSpec, CheckReply) {
  EXPECT_TRUE(check_reply("load-conn", Message{}.add("success", "yes")));
  auto refused = check_reply(
      "load-conn", Message{}.add("success", "no").add("errmsg", "invalid value for: version"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "charon refused load-conn: invalid value for: version");
  auto bare = check_reply("unload-conn", Message{}.add("success", "no"));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().message, "charon refused unload-conn: (no errmsg)");
  // A reply without `success` (not one of these commands' replies) is no success either.
  auto empty = check_reply("initiate", Message{});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "charon refused initiate: (no errmsg)");
}

}  // namespace
}  // namespace nwbpf::ipsec
