// SPDX-License-Identifier: Apache-2.0
// esp_unavailable() through NETLINK_XFRM with libmnl: XFRM_MSG_NEWSA, then
// XFRM_MSG_DELSA, each acknowledged.
#include "dataplane/esp_probe.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include <netinet/in.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace nwbpf::netlink {

namespace {

// RFC 4303 section 2.1: SPIs 1-255 are reserved by IANA; IKE never
// allocates one, so the probe cannot collide with charon's SAs.
constexpr uint32_t kProbeSpi = 0xfe;
constexpr char kAead[] = "rfc4106(gcm(aes))";  // what charon's aes256gcm16 maps to
constexpr unsigned kAeadKeyBits = 256 + 32;     // AES-256 key + 4-byte salt (RFC 4106 section 8.1)
constexpr unsigned kAeadIcvBits = 128;          // the "16" of aes256gcm16

class XfrmSocket {
 public:
  XfrmSocket() : nl_(mnl_socket_open(NETLINK_XFRM)) {
    if (nl_ && mnl_socket_bind(nl_, 0, MNL_SOCKET_AUTOPID) < 0) {
      mnl_socket_close(nl_);
      nl_ = nullptr;
    }
  }
  ~XfrmSocket() {
    if (nl_) mnl_socket_close(nl_);
  }
  XfrmSocket(const XfrmSocket&) = delete;
  XfrmSocket& operator=(const XfrmSocket&) = delete;
  bool open() const { return nl_ != nullptr; }

  nlmsghdr* start(uint16_t type) {
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf_.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = ++seq_;
    return nlh;
  }

  // 0, or the errno of the kernel's answer (or of the socket).
  int exchange(nlmsghdr* nlh) {
    if (mnl_socket_sendto(nl_, nlh, nlh->nlmsg_len) < 0) return errno;
    ssize_t n = mnl_socket_recvfrom(nl_, buf_.data(), buf_.size());
    if (n < 0) return errno;
    int rc = mnl_cb_run(buf_.data(), static_cast<size_t>(n), seq_,
                        mnl_socket_get_portid(nl_), nullptr, nullptr);
    return rc == MNL_CB_ERROR ? errno : 0;
  }

 private:
  mnl_socket* nl_;
  unsigned seq_ = 0;
  std::array<char, 8192> buf_{};  // an ack with the request echoed: well under a page
};

void put_probe_sa(nlmsghdr* nlh) {
  auto* sa = static_cast<xfrm_usersa_info*>(mnl_nlmsg_put_extra_header(nlh, sizeof(xfrm_usersa_info)));
  sa->id.daddr.a4 = htonl(INADDR_LOOPBACK + 1);
  sa->saddr.a4 = htonl(INADDR_LOOPBACK);
  sa->id.spi = htonl(kProbeSpi);
  sa->id.proto = IPPROTO_ESP;
  sa->family = AF_INET;
  sa->mode = XFRM_MODE_TRANSPORT;
  sa->sel.family = AF_INET;
  sa->lft.soft_byte_limit = sa->lft.hard_byte_limit = XFRM_INF;
  sa->lft.soft_packet_limit = sa->lft.hard_packet_limit = XFRM_INF;

  std::array<char, sizeof(xfrm_algo_aead) + (kAeadKeyBits + 7) / 8> aead_buf{};
  auto* aead = reinterpret_cast<xfrm_algo_aead*>(aead_buf.data());
  std::strncpy(aead->alg_name, kAead, sizeof(aead->alg_name) - 1);
  aead->alg_key_len = kAeadKeyBits;
  aead->alg_icv_len = kAeadIcvBits;  // the key bytes stay zero: never used
  mnl_attr_put(nlh, XFRMA_ALG_AEAD, aead_buf.size(), aead_buf.data());
}

void put_probe_id(nlmsghdr* nlh) {
  auto* id = static_cast<xfrm_usersa_id*>(mnl_nlmsg_put_extra_header(nlh, sizeof(xfrm_usersa_id)));
  id->daddr.a4 = htonl(INADDR_LOOPBACK + 1);
  id->spi = htonl(kProbeSpi);
  id->family = AF_INET;
  id->proto = IPPROTO_ESP;
}

}  // namespace

std::optional<std::string> esp_unavailable() {
  XfrmSocket nl;
  if (!nl.open())
    return std::string("cannot open an XFRM netlink socket: ") + std::strerror(errno) +
           " (a kernel without CONFIG_XFRM_USER)";
  nlmsghdr* add = nl.start(XFRM_MSG_NEWSA);
  put_probe_sa(add);
  int err = nl.exchange(add);
  switch (err) {
    case 0:
    case EEXIST:  // another agent's probe in this namespace: the kernel took it
      break;
    // A kernel without esp4 answers EPROTONOSUPPORT, or ENOSYS when the
    // AEAD is looked up first (as charon saw on such a host); ENOENT: no
    // such algorithm.
    case EPROTONOSUPPORT:
    case ENOSYS:
    case ENOENT:
      return std::string("the kernel cannot do ESP with AES-GCM (XFRM refused a test SA: ") +
             std::strerror(err) + "; module esp4 or " + kAead + " missing)";
    case EPERM:
      return "adding an XFRM SA needs CAP_NET_ADMIN";
    default:
      return std::string("XFRM refused a test ESP SA: ") + std::strerror(err);
  }
  if (err == 0) {
    nlmsghdr* del = nl.start(XFRM_MSG_DELSA);
    put_probe_id(del);
    nl.exchange(del);  // best effort: an SA to 127.0.0.2 carries nothing
  }
  return std::nullopt;
}

}  // namespace nwbpf::netlink
