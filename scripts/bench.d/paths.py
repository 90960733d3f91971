"""The forwarding paths scripts/bench compares, each set up on a fresh Chain.

Every path forwards frames from in0 to out0 of the dut namespace:
  ceiling      bare XDP redirect (nwbpf-xdp-redirect): the harness's own limit
  kernel       the kernel's bridge + vxlan device, as Nante-WAN builds it with
               iproute2 (one bridge per VNI: this kernel has no bridge VLAN
               filtering, see scripts/lib/kernel-path.sh), static FDB entries
  nwbpf-xdp    nwbpfd in mode "xdp" (XDP on in0)
  nwbpf-tc     nwbpfd in mode "tc" (TC on in0)
  nwbpf-tunnel nwbpfd in mode "kernel-tunnel" (TC on in0; the agent's own
               collect_md VXLAN device encapsulates and decapsulates)
and each direction fixes the roles:
  decap  in0 is the WAN device (NBMA 192.168.0.1): VXLAN in, inner frame out
  encap  in0 is the edge port: plain frame in, VXLAN to 192.168.0.2 out of out0
With several remote VTEPs (the BUM suite), VTEP i (0-based) is overlay
10.0.0.(2+i) at NBMA 192.168.0.(2+i), all behind the far end of the WAN veth;
the first is the one REMOTE_HOST sits behind.
"""

import os

import agent
from agent import VNI
from netns import MAC

LOCAL_NBMA, REMOTE_NBMA = "192.168.0.1", "192.168.0.2"
LOCAL_OVERLAY, REMOTE_OVERLAY = "10.0.0.1", "10.0.0.2"
# Edge hosts: LOCAL behind the edge port, REMOTE behind the peer VTEP.
LOCAL_HOST = {"mac": "02:00:ac:10:00:01", "ip": "172.16.0.1"}
REMOTE_HOST = {"mac": "02:00:ac:10:00:02", "ip": "172.16.0.2"}
VXLAN_OVERHEAD = 50

PATHS = ("ceiling", "kernel", "nwbpf-xdp", "nwbpf-tc", "nwbpf-tunnel")
# dataplane.mode and the edge port's `path` per nwbpfd path.
AGENT_MODES = {"nwbpf-xdp": ("xdp", "xdp"), "nwbpf-tc": ("tc", "tc"),
               "nwbpf-tunnel": ("kernel-tunnel", "tc")}
DIRECTIONS = ("decap", "encap")


def roles(direction):
    """(wan, edge) device names in the dut namespace."""
    return ("in0", "out0") if direction == "decap" else ("out0", "in0")


def generator_args(direction, size, flows):
    """nwbpf-trafficgen options for the direction's input frames of `size`
    bytes (the inner frame for decap) over `flows` flows."""
    args = ["--size", size, "--flows", flows]
    if direction == "encap":
        return args + ["--src-mac", LOCAL_HOST["mac"], "--dst-mac", REMOTE_HOST["mac"],
                       "--src-ip", LOCAL_HOST["ip"], "--dst-ip", REMOTE_HOST["ip"]]
    return args + ["--src-mac", REMOTE_HOST["mac"], "--dst-mac", LOCAL_HOST["mac"],
                   "--src-ip", REMOTE_HOST["ip"], "--dst-ip", LOCAL_HOST["ip"],
                   "--vxlan", "--vni", VNI, "--outer-src-mac", MAC["gen0"],
                   "--outer-dst-mac", MAC["in0"], "--outer-src-ip", REMOTE_NBMA,
                   "--outer-dst-ip", LOCAL_NBMA]


def expected_output(path, direction, size):
    """(bytes per frame, is VXLAN) of what the sink must see: the ceiling
    passes input through, the others decapsulate or encapsulate."""
    vxlan_in = direction == "decap"
    if path == "ceiling":
        return (size + VXLAN_OVERHEAD if vxlan_in else size, vxlan_in)
    return (size, False) if direction == "decap" else (size + VXLAN_OVERHEAD, True)


def remote_vteps(count):
    """[(overlay, nbma)] of `count` remote VTEPs (NWBPF_MAX_FLOOD_VTEPS is 128)."""
    return [(f"10.0.0.{2 + i}", f"192.168.0.{2 + i}") for i in range(count)]


def _wan_underlay(chain, run_dir, wan, vteps):
    """NBMA addresses on the WAN device and on the peer's end of its veth, and
    permanent neighbour entries for every remote VTEP, so neither the kernel
    path nor the agent (which reads next hops from the neighbour table) ever
    ARPs while measured. The first peer's address also answers ARP (the sink
    runs --pass-arp)."""
    chain.exec("dut", "ip", "addr", "add", f"{LOCAL_NBMA}/24", "dev", wan)
    peer_role, peer_dev = ("sink", "sink0") if wan == "out0" else ("gen", "gen0")
    chain.exec(peer_role, "ip", "addr", "add", f"{REMOTE_NBMA}/24", "dev", peer_dev)
    chain.batch("dut", "ip", [f"neigh replace {nbma} lladdr {MAC[peer_dev]} dev {wan} "
                              "nud permanent" for _, nbma in remote_vteps(vteps)],
                run_dir, "neighbours.batch")


def _gro(chain, role, dev):
    # A veth with neither XDP nor GRO drops XDP-redirected frames: the
    # generator's frames reach a stack-only in0 only with GRO on.
    chain.exec(role, "ethtool", "-K", dev, "gro", "on")


def setup(path, direction, chain, tools, run_dir, vteps=1):
    """Configures `path` in chain's dut namespace with `vteps` remote VTEPs,
    all flood targets of VNI 99; returns a dict of facts to keep with the
    result (e.g. the agent's view of its ports)."""
    wan, edge = roles(direction)
    # The sink always runs XDP; GRO as well makes sink0 deliverable by every
    # test an agent may run to choose between XDP and TC for out0.
    _gro(chain, "sink", "sink0")
    if path == "ceiling":
        p = chain.start("dut", [tools.redirect, "--in", "in0", "--out", "out0"],
                        log=os.path.join(run_dir, f"redirect-{direction}.log"))
        p.wait_line(lambda l: l == "ready", what="'ready'")
        return {}
    _wan_underlay(chain, run_dir, wan, vteps)
    if path == "kernel":
        _gro(chain, "dut", "in0")
        _kernel_path(chain, run_dir, wan, edge, vteps)
        return {}
    mode, port_path = AGENT_MODES[path]
    if port_path == "tc":
        _gro(chain, "dut", "in0")
    node = agent.Node(instance="bench", mode=mode, overlay=LOCAL_OVERLAY, nbma=LOCAL_NBMA,
                      wan=wan, port=edge, port_path=port_path, peers=remote_vteps(vteps),
                      fdb=[(LOCAL_HOST["mac"], ("port", edge)),
                           (REMOTE_HOST["mac"], ("vtep", REMOTE_OVERLAY))])
    return agent.start(chain, "dut", tools, run_dir, f"{path}-{direction}-{vteps}", node)


def _kernel_path(chain, run_dir, wan, edge, vteps):
    x = lambda *argv: chain.exec("dut", *argv)
    x("ip", "link", "add", f"br{VNI}", "type", "bridge")
    x("ip", "link", "add", f"vxlan{VNI}", "type", "vxlan", "id", VNI, "dstport", 4789,
      "local", LOCAL_NBMA, "dev", wan, "nolearning")
    x("ip", "link", "set", f"vxlan{VNI}", "master", f"br{VNI}")
    x("ip", "link", "set", edge, "master", f"br{VNI}")
    # Ingress replication: one all-zeros entry per remote VTEP.
    chain.batch("dut", "bridge", [f"fdb append 00:00:00:00:00:00 dev vxlan{VNI} dst {nbma}"
                                  for _, nbma in remote_vteps(vteps)], run_dir, "flood.batch")
    x("bridge", "fdb", "add", REMOTE_HOST["mac"], "dev", f"vxlan{VNI}", "dst", REMOTE_NBMA,
      "self", "permanent")
    x("bridge", "fdb", "add", LOCAL_HOST["mac"], "dev", edge, "master", "static")
    x("bridge", "fdb", "add", REMOTE_HOST["mac"], "dev", f"vxlan{VNI}", "master", "static")
    x("ip", "link", "set", f"vxlan{VNI}", "up")
    x("ip", "link", "set", f"br{VNI}", "up")
