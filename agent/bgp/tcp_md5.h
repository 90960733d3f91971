// SPDX-License-Identifier: Apache-2.0
// TCP MD5 signatures (RFC 2385) for BGP sessions, done by the Linux kernel:
// a key is bound to a peer address, or with TCP_MD5SIG_EXT to a prefix, on
// a socket. The kernel then signs every segment to that peer and drops every
// segment from it whose signature is missing or wrong, without a reset
// (RFC 2385 §2.0), so a password mismatch shows as a connection that never
// completes: the FSM's ConnectRetryTimer is what ends the attempt.
//
// Where the keys go: on the listening socket, one per configured peer and
// one per listen range (accepted sockets inherit the key of their peer); on
// a connecting socket, the peer's key, before connect() sends the SYN.
// When keys overlap the kernel uses the longest prefix that matches.
#pragma once

#include <cstddef>
#include <string_view>

#include "bgp/family.h"

namespace nwbpf::bgp {

// The kernel's TCP_MD5SIG_MAXKEYLEN.
inline constexpr size_t kMaxMd5KeyLength = 80;

// Binds the non-empty `key` to the peers in `peers` (/32: one address) on
// the socket `fd`, replacing an earlier key for the same prefix. Throws
// std::invalid_argument for an empty key or one over kMaxMd5KeyLength, and
// std::system_error with the kernel's errno otherwise (ENOPROTOOPT: a kernel
// built without CONFIG_TCP_MD5SIG).
void set_tcp_md5_key(int fd, Prefix4 peers, std::string_view key);

}  // namespace nwbpf::bgp
