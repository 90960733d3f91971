// SPDX-License-Identifier: Apache-2.0
// The NHRP service as a route server (NHS) over real raw GRE sockets: a
// "CE" in a second network namespace registers, collides with another's
// unique binding, and sends what the service must refuse (a bad checksum,
// no authentication, another GRE key, a broken Error Indication); each
// answer (or its absence) and the counters are checked.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <optional>

#include "daemon/nhrp_service.h"
#include "loader_support.h"
#include "nhrp/gre.h"
#include "nhrp/packet.h"
#include "nhrp/registration_client.h"

namespace nwbpf {
namespace {

using test::NamespacedTest;
using test::PeerNetns;

Ipv4 ip(const char* text) { return *Ipv4::parse(text); }

const Ipv4 kNhsNbma = ip("192.0.2.1"), kNhs = ip("10.255.0.1");
const Ipv4 kCe = ip("10.255.0.2"), kCeNbma = ip("192.0.2.2"), kOtherNbma = ip("192.0.2.3");

// A raw GRE socket bound to `local`, opened inside `netns`.
class CeSocket {
 public:
  CeSocket(const PeerNetns& netns, Ipv4 local) {
    const int home = ::open("/proc/self/ns/net", O_RDONLY);
    const int there = ::open(netns.path().c_str(), O_RDONLY);
    EXPECT_EQ(::setns(there, CLONE_NEWNET), 0) << std::strerror(errno);
    fd_ = ::socket(AF_INET, SOCK_RAW, IPPROTO_GRE);
    EXPECT_EQ(::setns(home, CLONE_NEWNET), 0) << std::strerror(errno);
    ::close(home);
    ::close(there);
    sockaddr_in sin{.sin_family = AF_INET, .sin_port = 0, .sin_addr = {local.be}, .sin_zero = {}};
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0) << std::strerror(errno);
  }
  ~CeSocket() { ::close(fd_); }

  void send(const wire::Bytes& nhrp, std::optional<uint32_t> key = std::nullopt) {
    nhrp::GreHeader h;
    h.key = key;
    wire::Bytes gre = nhrp::encode_gre(h, nhrp);
    sockaddr_in to{.sin_family = AF_INET, .sin_port = 0, .sin_addr = {kNhsNbma.be}, .sin_zero = {}};
    ASSERT_EQ(::sendto(fd_, gre.data(), gre.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(gre.size()))
        << std::strerror(errno);
  }

  // The NHRP packet of the next datagram, if one is waiting.
  std::optional<nhrp::Packet> receive() {
    uint8_t buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return std::nullopt;
    const size_t ihl = size_t(buf[0] & 0x0f) * 4;
    auto gre = nhrp::decode_gre(std::span<const uint8_t>(buf + ihl, size_t(n) - ihl));
    if (!gre) {
      ADD_FAILURE() << gre.error().message;
      return std::nullopt;
    }
    auto packet = nhrp::decode_packet(gre.value().payload);
    if (!packet) {
      ADD_FAILURE() << packet.error().message;
      return std::nullopt;
    }
    return packet.value();
  }

 private:
  int fd_ = -1;
};

class NhrpServiceTest : public NamespacedTest {
 protected:
  void SetUp() override {
    NamespacedTest::SetUp();
    test::sh("ip link add nhs0 type veth peer name ce0");
    test::sh("ip link set ce0 netns " + std::to_string(peer_.pid()));
    test::sh("ip addr add 192.0.2.1/24 dev nhs0 && ip link set nhs0 up");
    peer_.sh("ip addr add 192.0.2.2/24 dev ce0");
    peer_.sh("ip addr add 192.0.2.3/24 dev ce0");
    peer_.sh("ip link set ce0 up");
    peer_.sh("ip link set lo up");
  }
  void TearDown() override {
    service_.reset();
    test::sh("ip link del nhs0 2>/dev/null || true");
    NamespacedTest::TearDown();
  }

  void start(std::optional<std::string> password = std::nullopt) {
    daemon::NhrpPlan plan;
    plan.server = true;
    plan.device = "nhs0";
    plan.protocol = kNhs;
    plan.nbma = kNhsNbma;
    plan.overlay_range = {ip("10.255.0.0"), 16};
    plan.password = password;
    service_ = std::make_unique<daemon::NhrpService>(io_, plan, daemon::NhrpService::Callbacks{});
    service_->start();
  }

  // Lets the service handle what was sent and answer.
  void settle() {
    io_.restart();
    io_.run_for(std::chrono::milliseconds(200));
  }

  // CE kCe's Registration Request claiming `nbma`, encoded.
  static wire::Bytes registration(Ipv4 nbma, std::optional<std::string> password = std::nullopt) {
    nhrp::ClientConfig c;
    c.protocol = kCe;
    c.nbma = nbma;
    c.servers = {kNhsNbma};
    if (password) c.password = wire::Bytes(password->begin(), password->end());
    nhrp::RegistrationClient client(c, 100);
    auto out = client.start(nhrp::Clock::now());
    auto bytes = nhrp::encode_packet(out.send.at(0).packet);
    EXPECT_TRUE(bytes);
    return bytes.value();
  }

  PeerNetns peer_;
  boost::asio::io_context io_;
  std::unique_ptr<daemon::NhrpService> service_;
};

TEST_F(NhrpServiceTest, RegistersAndRefusesAnotherNbmaForAUniqueBinding) {
  start();
  CeSocket ce(peer_, kCeNbma);
  ce.send(registration(kCeNbma));
  settle();
  auto reply = ce.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, nhrp::PacketType::registration_reply);
  ASSERT_EQ(reply->cies.size(), 1u);
  EXPECT_EQ(reply->cies[0].code, uint8_t(nhrp::CieCode::success));
  ASSERT_EQ(service_->install().peers.size(), 1u);
  EXPECT_EQ(service_->install().peers.at(kCe).nbma, kCeNbma);

  // RFC 2332 §5.2.3: a unique binding is not taken over from elsewhere.
  CeSocket other(peer_, kOtherNbma);
  other.send(registration(kOtherNbma));
  settle();
  reply = other.receive();
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->cies.size(), 1u);
  EXPECT_EQ(reply->cies[0].code, uint8_t(nhrp::CieCode::unique_address_registered));
  EXPECT_EQ(service_->install().peers.at(kCe).nbma, kCeNbma);
  EXPECT_EQ(service_->counters().received, 2u);
  EXPECT_EQ(service_->counters().sent, 2u);
}

TEST_F(NhrpServiceTest, ABadChecksumGetsAnErrorIndication) {
  start();
  CeSocket ce(peer_, kCeNbma);
  wire::Bytes bad = registration(kCeNbma);
  bad[12] ^= 0xff;  // ar$chksum
  ce.send(bad);
  settle();
  auto error = ce.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->type, nhrp::PacketType::error_indication);
  EXPECT_EQ(error->error_code, uint16_t(nhrp::ErrorCode::protocol_error));
  EXPECT_EQ(error->dst_protocol, kCe);  // back to the sender's protocol address
  EXPECT_EQ(error->payload, bad);
  EXPECT_EQ(service_->counters().malformed, 1u);
  EXPECT_EQ(service_->counters().errors_sent, 1u);
  EXPECT_TRUE(service_->install().peers.empty());
}

TEST_F(NhrpServiceTest, NoAuthenticationIsAnAuthenticationFailure) {
  start("secret");
  CeSocket ce(peer_, kCeNbma);
  ce.send(registration(kCeNbma));
  settle();
  auto error = ce.receive();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->type, nhrp::PacketType::error_indication);
  EXPECT_EQ(error->error_code, uint16_t(nhrp::ErrorCode::authentication_failure));
  EXPECT_EQ(service_->counters().auth_failed, 1u);
  EXPECT_TRUE(service_->install().peers.empty());

  // With the password the same CE registers.
  ce.send(registration(kCeNbma, "secret"));
  settle();
  auto reply = ce.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type, nhrp::PacketType::registration_reply);
  EXPECT_EQ(service_->install().peers.size(), 1u);
}

TEST_F(NhrpServiceTest, OtherGreAndBrokenErrorIndicationsAreNotAnswered) {
  start();
  CeSocket ce(peer_, kCeNbma);
  ce.send(registration(kCeNbma), 42);  // a GRE key: another tunnel's
  settle();
  EXPECT_FALSE(ce.receive());
  EXPECT_EQ(service_->socket_counters().not_ours, 1u);
  // An Error Indication in error is counted, never answered (§5.2.7).
  nhrp::Packet indication;
  indication.type = nhrp::PacketType::error_indication;
  indication.src_nbma = kCeNbma;
  indication.src_protocol = kCe;
  indication.dst_protocol = kNhs;
  auto bytes = nhrp::encode_packet(indication);
  ASSERT_TRUE(bytes);
  wire::Bytes bad = bytes.value();
  bad[12] ^= 0xff;  // ar$chksum
  ce.send(bad);
  settle();
  EXPECT_FALSE(ce.receive());
  EXPECT_EQ(service_->counters().malformed, 1u);
  EXPECT_EQ(service_->counters().errors_sent, 0u);
}

}  // namespace
}  // namespace nwbpf
