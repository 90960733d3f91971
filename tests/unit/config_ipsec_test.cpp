// SPDX-License-Identifier: Apache-2.0
// [ipsec]: the default (plaintext), each mode's keys, the kernel-tunnel
// requirement, certificate files read at load, every bad value with its exact
// message and position.
#include <string>

#include "config_test_support.h"

namespace nwbpf {
namespace {

using test::errors_of;
using test::expect_errors;
using test::TempFile;
using test::with;

// Lines 1-6; a tail starts on line 7, inside [ipsec].
constexpr std::string_view kBase = R"([node]
overlay_address = "10.0.0.1"
[dataplane]
mode = "kernel-tunnel"
[ipsec]
mode = "psk"
)";

std::string ipsec(std::string_view tail) { return std::string(kBase) + std::string(tail); }

constexpr char kPem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

TEST(ConfigIpsec, WithoutTheTableTheOverlayIsPlaintext) {
  Config c = parse_config(test::kMinimal, "t.toml");
  EXPECT_EQ(c.ipsec.mode, IpsecConfig::Mode::off);
  EXPECT_EQ(c.ipsec.vici_socket, "/run/charon.vici");
}

TEST(ConfigIpsec, PreSharedKey) {
  Config c = parse_config(ipsec("secret = \"hogehogemogamoga\"\nvici_socket = \"/run/x.vici\"\n"),
                          "t.toml");
  EXPECT_EQ(c.ipsec.mode, IpsecConfig::Mode::psk);
  EXPECT_EQ(c.ipsec.secret, "hogehogemogamoga");
  EXPECT_EQ(c.ipsec.vici_socket, "/run/x.vici");
}

TEST(ConfigIpsec, OffSaidExplicitlyNeedsNoKernelTunnel) {
  Config c = parse_config(std::string(test::kMinimal) + "[ipsec]\nmode = \"off\"\n", "t.toml");
  EXPECT_EQ(c.ipsec.mode, IpsecConfig::Mode::off);
}

TEST(ConfigIpsec, CertificatesAreReadAtLoad) {
  TempFile cert("ce1.pem", kPem), key("ce1.key", "-----BEGIN PRIVATE KEY-----\nx\n"),
      ca("ca.pem", kPem);
  Config c = parse_config(with(kBase, "\"psk\"", "\"x509\"") + "certificate = \"" + cert.path() +
                              "\"\nprivate_key = \"" + key.path() + "\"\nca = [\"" + ca.path() +
                              "\"]\n",
                          "t.toml");
  EXPECT_EQ(c.ipsec.mode, IpsecConfig::Mode::x509);
  EXPECT_EQ(c.ipsec.certificate, cert.path());
  EXPECT_EQ(c.ipsec.private_key, key.path());
  EXPECT_EQ(c.ipsec.ca, std::vector<std::string>{ca.path()});
}

TEST(ConfigIpsec, BadFilesAreReportedAtTheirKey) {
  TempFile text("notpem.txt", "just text\n"), ca("ca.pem", kPem);
  std::string x509 = with(kBase, "\"psk\"", "\"x509\"");
  EXPECT_EQ(errors_of(x509 + "certificate = \"/nonexistent/ce1.pem\"\nprivate_key = \"" +
                      text.path() + "\"\nca = [\"" + ca.path() + "\", \"rel.pem\"]\n"),
            "t.toml:7:15: ipsec.certificate: cannot read /nonexistent/ce1.pem: No such file or "
            "directory\n"
            "t.toml:8:15: ipsec.private_key: " + text.path() +
                " holds no PEM block (-----BEGIN ...)\n"
                "t.toml:9:" + std::to_string(7 + ca.path().size() + 4) +
                ": ipsec.ca[1]: \"rel.pem\" is not an absolute path");
  EXPECT_EQ(errors_of(x509 + "certificate = \"" + ca.path() + "\"\nprivate_key = \"" + ca.path() +
                      "\"\nca = []\n"),
            "t.toml:9:6: ipsec.ca: empty: name at least one CA certificate");
}

TEST(ConfigIpsec, BadValuesAndMisplacedKeys) {
  expect_errors({
      {std::string(test::kMinimal) + "[ipsec]\nsecret = \"s\"\n",
       "t.toml:3:1: ipsec.mode: required key is missing: \"psk\", \"x509\" or \"off\" "
       "(plaintext, said explicitly)"},
      {with(kBase, "\"psk\"", "\"esp\""),
       "t.toml:6:8: ipsec.mode: \"esp\" is not one of \"off\", \"psk\", \"x509\""},
      {ipsec(""), "t.toml:5:1: ipsec.secret: required key is missing: mode \"psk\" needs it"},
      {ipsec("secret = \"\"\n"), "t.toml:7:10: ipsec.secret: the pre-shared key is empty"},
      {ipsec("secret = \"k\"\nca = [\"/ca.pem\"]\n"),
       "t.toml:8:6: ipsec.ca: only for mode \"x509\""},
      {with(kBase, "\"psk\"", "\"off\"") + "secret = \"k\"\n",
       "t.toml:7:10: ipsec.secret: only for mode \"psk\""},
      {ipsec("secret = \"k\"\nvici_socket = \"charon.vici\"\n"),
       "t.toml:8:15: ipsec.vici_socket: \"charon.vici\" is not an absolute path"},
      {ipsec("secret = \"k\"\nsecrte = 1\n"),
       "t.toml:8:1: ipsec.secrte: unknown key; did you mean \"secret\"?"},
  });
}

TEST(ConfigIpsec, EncryptionNeedsTheKernelTunnelPath) {
  for (const char* mode : {"xdp", "tc"})
    EXPECT_EQ(errors_of(with(ipsec("secret = \"k\"\n"), "kernel-tunnel", mode)),
              "t.toml:6:8: ipsec.mode: encryption needs dataplane.mode = \"kernel-tunnel\": XFRM "
              "applies ESP only to packets the kernel sends, and XDP/TC encapsulation bypasses it")
        << mode;
}

}  // namespace
}  // namespace nwbpf
