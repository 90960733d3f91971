// SPDX-License-Identifier: Apache-2.0
// The agent's typed configuration, as parsed from TOML (config_toml.cpp) or
// from Nante-WAN's nante-wan.conf (nante_wan_conf.cpp).
// Every field is validated at parse time; a Config that exists is usable.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bgp/family.h"
#include "common/net_types.h"
#include "evpn/ext_community.h"

namespace nwbpf {

enum class Role { ce, route_server, config_server };
enum class DataplaneMode { xdp, tc, kernel_tunnel };
enum class PortPath { automatic, xdp, tc };  // "auto" | "xdp" | "tc"
enum class TcpMssMode { automatic, fixed, off };  // "auto" | integer | "off"

struct AgentConfig {
  std::string instance = "default";      // names pins and the control socket
  std::vector<Role> roles{Role::ce};
  std::string bpffs = "/sys/fs/bpf";     // pins go to <bpffs>/nwbpf/<instance>/
  std::string control_socket;            // default /run/nwbpf/<instance>.sock
  std::string log_level = "info";        // spdlog level names
  std::string bpf_object;                // default: installed nwbpf.bpf.o path
  bool detach_on_exit = false;           // SIGTERM leaves programs attached unless set

  bool operator==(const AgentConfig&) const = default;
};

struct NodeConfig {
  Ipv4 overlay_address;                  // dmvpn_addr: BGP router-id, VTEP identity
  std::optional<Ipv4> nbma_address;      // default: primary IPv4 of wan_interface
  std::string wan_interface = "eth0";

  bool operator==(const NodeConfig&) const = default;
};

struct DataplaneConfig {
  DataplaneMode mode = DataplaneMode::xdp;
  bool learn_remote = true;              // learn inner source MACs from VXLAN
  uint32_t mac_ageing_s = 300;
  uint8_t ttl = 64;
  bool df = true;
  uint16_t udp_src_port = 0;             // 0: flow hash; else fixed (for NAT)
  TcpMssMode tcp_mss = TcpMssMode::automatic;  // clamp of SYNs crossing the overlay
  uint16_t tcp_mss_value = 0;            // TcpMssMode::fixed: 536..9000 (inner IPv4)
  uint32_t fdb_size = 65536;             // max entries of fdb and fdb_learned
  std::string tunnel_device = "nwbpf-vx0";  // kernel-tunnel collect_md device

  bool operator==(const DataplaneConfig&) const = default;
};

struct PortConfig {
  std::string name;
  bool tagged = false;
  std::vector<uint16_t> vlans;           // untagged: last listed is the PVID (bridge semantics)
  PortPath path = PortPath::automatic;
  std::string source;                    // "file:line:col" of the [[port]] table, for messages

  bool operator==(const PortConfig&) const = default;
};

struct PeerConfig {
  Ipv4 overlay;
  Ipv4 nbma;
  std::string source;

  bool operator==(const PeerConfig&) const = default;
};

struct FloodConfig {
  uint32_t vni = 0;
  std::vector<Ipv4> vteps;               // each names a [[peer]] overlay address
  std::string source;

  bool operator==(const FloodConfig&) const = default;
};

struct StaticFdbConfig {
  uint32_t vni = 0;
  Mac mac;
  std::optional<std::string> port;       // exactly one of port / vtep
  std::optional<Ipv4> vtep;
  std::string source;

  bool operator==(const StaticFdbConfig&) const = default;
};

// Route targets of one VNI, in place of the automatic AS:VNI.
struct BgpVniConfig {
  uint32_t vni = 0;
  std::vector<evpn::RouteTarget> route_targets;  // exported and imported
  std::string source;

  bool operator==(const BgpVniConfig&) const = default;
};

// The EVPN speaker ([bgp]). Every session is iBGP: all nodes share `as`.
// Comments name the nante-wan.conf setting a field takes over.
struct BgpConfig {
  uint32_t as = 0;                           // as_number
  Ipv4 router_id;                            // default: node.overlay_address
  uint16_t port = 179;                       // TCP port listened on and connected to
  uint16_t hold_time_s = 90;                 // 0 (no KEEPALIVEs) or 3..65535
  uint16_t connect_retry_s = 120;            // ConnectRetryTime
  std::optional<std::string> password;       // bgp_password: TCP-MD5 key (RFC 2385)
  std::vector<Ipv4> route_reflectors;        // rr_addr1..N: route servers (role ce)
  std::optional<bgp::Prefix4> listen_range;  // bgp_range: accepted peers (route-server)
  Ipv4 cluster_id;                           // default: router_id (role route-server)
  bool graceful_restart = true;              // RFC 4724 helper mode
  uint16_t restart_time_s = 120;             // advertised Restart Time, 1..4095
  std::vector<BgpVniConfig> vnis;            // [[bgp.vni]] (role ce)

  bool operator==(const BgpConfig&) const = default;
};

// NHRP ([nhrp]): overlay address -> NBMA address resolution (RFC 2332, in
// the DMVPN dialect of FRR nhrpd). Comments name the nante-wan.conf setting
// a field takes over.
struct NhrpConfig {
  enum class Shortcut { on_demand, proactive };
  bgp::Prefix4 overlay_range;     // bgp_range: the overlay's addresses (VTEP identities)
  std::vector<Ipv4> servers;      // nhs_nbma_addr1..N: NHSes by NBMA address (role ce)
  std::optional<uint32_t> gre_key;  // gre_key: the GRE key of NHRP packets; unset: none
  uint16_t holding_time_s = 7200;   // registrations and resolutions, seconds
  Shortcut shortcut = Shortcut::on_demand;  // when a VTEP is resolved
  std::optional<std::string> password;      // Cisco cleartext authentication, 1-8 bytes

  bool operator==(const NhrpConfig&) const = default;
};

// Where a CE fetches one kind of JSON file from the config server and
// listens for its kick (Nante-WAN's [portconfig] and [ebconfig] sections).
struct FetchSourceConfig {
  std::string json_url_prefix;           // as written: "http://<IPv4>[:port]<path>"
  Ipv4 server;                           // its host: an overlay address (resolved by NHRP) or underlay
  uint16_t server_port = 80;             // its port
  std::string path;                      // its path: the server's folder for these files
  uint16_t bind_port = 0;                // GET|POST /update-kick listens here
  std::optional<Ipv4> bind_address;      // default: node.nbma_address (no overlay device)

  bool operator==(const FetchSourceConfig&) const = default;
};

// The config files a CE fetches ([fetch]; Nante-WAN's [config_fetch]): each
// <json_url_prefix>/<node.overlay_address>.json, at start, every `interval`,
// every `failed_interval` after a failure, and when kicked.
struct FetchConfig {
  uint32_t timeout_s = 5;                // timeout: of one fetch
  uint32_t interval_s = 3600;            // interval: between fetches
  uint32_t failed_interval_s = 5;        // failed_interval: after a failed fetch
  std::optional<FetchSourceConfig> portconfig;
  std::optional<FetchSourceConfig> ebconfig;

  bool operator==(const FetchConfig&) const = default;
};

// The config-server role ([config_server]): serves <directory>/<folder>/
// <overlay address>.json over HTTP and kicks a CE when its file changes.
struct ConfigServerConfig {
  // A folder served, and the port a CE listens on for its kick.
  struct Folder {
    std::string name;                    // last path component of a json_url_prefix
    uint16_t kick_port = 0;              // that source's bind_port
    bool operator==(const Folder&) const = default;
  };
  std::string directory;                 // Nante-WAN's --config-dir, absolute
  std::optional<Ipv4> listen_address;    // unset: every address (0.0.0.0)
  uint16_t listen_port = 80;             // json_url_prefix's port
  uint32_t kick_retries = 4;             // after the first try
  std::vector<Folder> folders;           // from [fetch]: portconfig, ebconfig

  bool operator==(const ConfigServerConfig&) const = default;
};

// Encryption ([ipsec]; nante-wan.conf's ipsec_secret): IKEv2 by charon,
// driven over VICI, ESP in transport mode between NBMA addresses.
struct IpsecConfig {
  enum class Mode { off, psk, x509 };
  Mode mode = Mode::off;                  // no [ipsec]: plaintext (logged at start)
  std::optional<std::string> secret;      // psk: the pre-shared key (ipsec_secret)
  std::optional<std::string> certificate; // x509: our certificate, PEM file
  std::optional<std::string> private_key; // x509: its key, PEM file
  std::vector<std::string> ca;            // x509: CA certificates peers must chain to
  std::string vici_socket = "/run/charon.vici";

  bool operator==(const IpsecConfig&) const = default;
};

struct Config {
  std::string path;                      // file it came from
  AgentConfig agent;
  NodeConfig node;
  DataplaneConfig dataplane;
  std::vector<PortConfig> ports;
  std::vector<PeerConfig> peers;
  std::vector<FloodConfig> flood;
  std::vector<StaticFdbConfig> fdb;
  std::optional<BgpConfig> bgp;          // absent: static mode (no EVPN)
  std::optional<NhrpConfig> nhrp;        // absent: VTEPs are [[peer]]s or underlay addresses
  std::optional<FetchConfig> fetch;      // absent: no portconfig/ebconfig from a config server
  std::optional<ConfigServerConfig> config_server;  // role config-server
  IpsecConfig ipsec;
  // Settings of an imported nante-wan.conf that nwbpf accepts but does not
  // use, each "file:line: section.key: why", for the agent to warn about.
  std::vector<std::string> unused;

  bool operator==(const Config&) const = default;

  std::string pin_dir() const { return agent.bpffs + "/nwbpf/" + agent.instance; }
  std::string socket_path() const {
    return agent.control_socket.empty() ? "/run/nwbpf/" + agent.instance + ".sock"
                                        : agent.control_socket;
  }
};

// Thrown for any invalid configuration. what() is one line per problem, each
// "file:line:col: key.path: message", so operators can jump to it.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses and validates a config file. Its name says its format: "*.toml" is
// nwbpf's TOML, "*.conf" or "*.ini" Nante-WAN's nante-wan.conf (INI,
// nante_wan_conf.h); any other name is refused. Throws ConfigError listing
// every problem.
Config load_config(const std::string& path);
// A TOML file's text (tests); `path` is only used in messages.
Config parse_config(std::string_view text, const std::string& path);
// The text of a config file, whatever its name; throws ConfigError
// "FILE: cannot open: <reason>" (or "cannot read").
std::string read_config_file(const std::string& path);

}  // namespace nwbpf
