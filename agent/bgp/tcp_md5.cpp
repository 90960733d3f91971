// SPDX-License-Identifier: Apache-2.0
#include "bgp/tcp_md5.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include "bgp/session_manager_config.h"

namespace nwbpf::bgp {

void set_tcp_md5_key(int fd, Prefix4 peers, std::string_view key) {
  if (key.empty() || key.size() > kMaxMd5KeyLength)
    throw std::invalid_argument("TCP-MD5 key of " + std::to_string(key.size()) +
                                " bytes: must be 1 to " + std::to_string(kMaxMd5KeyLength));
  tcp_md5sig sig{};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = peers.address.be;
  std::memcpy(&sig.tcpm_addr, &address, sizeof address);
  sig.tcpm_keylen = uint16_t(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  // TCP_MD5SIG takes one address; a shorter prefix needs the extension
  // (Linux 4.13), which reads tcpm_prefixlen when the PREFIX flag is set.
  int option = TCP_MD5SIG;
  if (peers.length != 32) {
    option = TCP_MD5SIG_EXT;
    sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
    sig.tcpm_prefixlen = peers.length;
  }
  if (setsockopt(fd, IPPROTO_TCP, option, &sig, sizeof sig) != 0)
    throw std::system_error(errno, std::generic_category(), "TCP-MD5 key for " + to_string(peers));
}

}  // namespace nwbpf::bgp
