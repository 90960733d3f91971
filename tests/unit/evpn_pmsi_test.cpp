// SPDX-License-Identifier: Apache-2.0
// PMSI Tunnel attribute value (RFC 6514 §5) as a type-3 route carries it for
// VXLAN ingress replication (RFC 7432 §11.2, RFC 8365 §5.1.3).
#include <gtest/gtest.h>

#include "evpn/pmsi.h"
#include "evpn_test_support.h"

namespace nwbpf::evpn {
namespace {

using test::hex;
using test::v4;

TEST(EvpnPmsi, IngressReplicationCarriesTheVniAndTheVtep) {
  auto tunnel = PmsiTunnel::for_ingress_replication(100, v4("10.0.0.1"));
  auto bytes = hex("00 06 000064 0a000001");
  EXPECT_EQ(encode_pmsi_tunnel(tunnel).value(), bytes);
  auto decoded = decode_pmsi_tunnel(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value(), tunnel);
  auto ir = ingress_replication_of(decoded.value());
  ASSERT_TRUE(ir) << ir.error().message;
  EXPECT_EQ(ir.value(), (IngressReplication{100, v4("10.0.0.1")}));
}

TEST(EvpnPmsi, BytesFromGoBgp) {
  // "pmsi ingress-repl 100 10.0.0.1" on a GoBGP 3.10 type-3 route.
  auto tunnel = decode_pmsi_tunnel(hex("00 06 00 00 64 0a 00 00 01"));
  ASSERT_TRUE(tunnel);
  EXPECT_EQ(ingress_replication_of(tunnel.value()).value(),
            (IngressReplication{100, v4("10.0.0.1")}));
}

TEST(EvpnPmsi, OtherTunnelTypesDecodeAsOpaqueButCannotBeInstalled) {
  auto bytes = hex("01 03 123456 0a000001 e8000001");  // PIM-SSM with leaf info required
  auto tunnel = decode_pmsi_tunnel(bytes);
  ASSERT_TRUE(tunnel);
  EXPECT_EQ(tunnel.value().flags, PmsiTunnel::leaf_info_required);
  EXPECT_EQ(tunnel.value().tunnel_type, 3);
  EXPECT_EQ(tunnel.value().label, 0x123456u);
  EXPECT_EQ(tunnel.value().tunnel_id, hex("0a000001 e8000001"));
  EXPECT_EQ(encode_pmsi_tunnel(tunnel.value()).value(), bytes);
  auto ir = ingress_replication_of(tunnel.value());
  ASSERT_FALSE(ir);
  EXPECT_EQ(ir.error().code, Errc::unsupported);
  EXPECT_EQ(ir.error().message, "unsupported PMSI tunnel type 3 (only 6, ingress replication)");
}

TEST(EvpnPmsi, IngressReplicationToAnIpv6EndpointIsNotInstallable) {
  auto tunnel = decode_pmsi_tunnel(hex("00 06 000064 20010db8000000000000000000000002"));
  ASSERT_TRUE(tunnel);
  auto ir = ingress_replication_of(tunnel.value());
  ASSERT_FALSE(ir);
  EXPECT_EQ(ir.error().code, Errc::unsupported);
  EXPECT_EQ(ir.error().message,
            "ingress replication tunnel identifier of 16 bytes: only IPv4 (4 bytes) endpoints are "
            "supported");
}

TEST(EvpnPmsi, TooShortForItsFixedFields) {
  auto full = hex("00 06 000064");
  EXPECT_TRUE(decode_pmsi_tunnel(full));  // no tunnel identifier: opaque, empty
  for (size_t n = 0; n < full.size(); ++n) {
    auto tunnel = decode_pmsi_tunnel(std::span(full).first(n), 40);
    ASSERT_FALSE(tunnel) << n;
    EXPECT_EQ(tunnel.error().code, Errc::bad_length);
    EXPECT_EQ(tunnel.error().offset, 40u);
    EXPECT_EQ(tunnel.error().message, "PMSI tunnel attribute at offset 40: length " +
                                          std::to_string(n) +
                                          " is shorter than 5 (flags, tunnel type, label)");
  }
}

TEST(EvpnPmsi, EncodeRefusesALabelOver24Bits) {
  auto e = encode_pmsi_tunnel(PmsiTunnel::for_ingress_replication(0x1000000, v4("10.0.0.1")));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, Errc::out_of_range);
  EXPECT_EQ(e.error().message, "PMSI tunnel label 16777216 does not fit in 3 bytes");
}

}  // namespace
}  // namespace nwbpf::evpn
