"""Two CE nodes and their edge hosts for the tcp suite, as scripts/lib/
topology.sh builds the seed topology, minus the third CE and the underlay
bridge (a direct veth leaves only the paths under test on the way):

    h1 ns          ce1 ns                       ce2 ns           h2 ns
    vethb <-veth-> vetha [path] eth0 <-veth-> eth0 [path] vetha <-veth-> vethb
    172.16.0.1                192.168.0.1  192.168.0.2                 172.16.0.2

Paths: "kernel" (scripts/lib/kernel-path.sh: bridge br99 with vetha and
vxlan99, one all-zeros FDB entry and one static entry for the far host per
peer, nolearning) or nwbpfd on both CEs (paths.AGENT_MODES, static FDB).
"""

import json

import agent
import paths
from agent import VNI
from netns import Namespaces

CES = ("ce1", "ce2")
NBMA = {"ce1": "192.168.0.1", "ce2": "192.168.0.2"}
OVERLAY = {"ce1": "10.0.0.1", "ce2": "10.0.0.2"}
HOST = {"ce1": ("h1", paths.LOCAL_HOST), "ce2": ("h2", paths.REMOTE_HOST)}
# Room for the 50 bytes of VXLAN on the 1500-byte underlay (no MSS clamping).
EDGE_MTU = 1450


class Overlay(Namespaces):
    def __init__(self, prefix):
        super().__init__(prefix, ("ce1", "ce2", "h1", "h2"),
                         (("ce1", "eth0", "ce2", "eth0"), ("h1", "vethb", "ce1", "vetha"),
                          ("h2", "vethb", "ce2", "vetha")), {})

    def __enter__(self):
        super().__enter__()
        try:
            self._underlay()
            for ce in CES:
                self._edge(ce)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _mac(self, role, dev):
        return json.loads(self.exec(role, "ip", "-j", "link", "show", "dev", dev))[0]["address"]

    def _underlay(self):
        for ce, peer in (CES, CES[::-1]):
            self.exec(ce, "ip", "addr", "add", f"{NBMA[ce]}/24", "dev", "eth0")
            # XDP-redirected frames reach a veth only if it runs NAPI (GRO on
            # or an XDP program): the peer CE's XDP encap redirects into eth0.
            self.exec(ce, "ethtool", "-K", "eth0", "gro", "on")
            # Neither the kernel path nor the agent ARPs while measured.
            self.exec(ce, "ip", "neigh", "replace", NBMA[peer], "lladdr",
                      self._mac(peer, "eth0"), "dev", "eth0", "nud", "permanent")

    def _edge(self, ce):
        host, h = HOST[ce]
        self.exec(ce, "ip", "link", "set", "vetha", "mtu", EDGE_MTU)
        self.exec(host, "ip", "link", "set", "vethb", "address", h["mac"], "mtu", EDGE_MTU)
        # The host's TCP would leave its checksums to the "hardware"; veth
        # passes them on unfilled and an XDP redirect loses the skb's
        # "checksum pending" mark, so the far host would drop every segment
        # (README, environment notes). Real NICs fill them on transmit.
        self.exec(host, "ethtool", "-K", "vethb", "tx", "off")
        self.exec(host, "ethtool", "-K", "vethb", "gro", "on")  # takes XDP redirects
        self.exec(host, "ip", "addr", "add", f"{h['ip']}/24", "dev", "vethb")

    def kernel_path(self):
        for ce, peer in (CES, CES[::-1]):
            x = lambda *argv: self.exec(ce, *argv)
            x("ip", "link", "add", f"br{VNI}", "type", "bridge")
            x("ip", "link", "add", f"vxlan{VNI}", "type", "vxlan", "id", VNI, "dstport", 4789,
              "local", NBMA[ce], "dev", "eth0", "nolearning")
            x("ip", "link", "set", f"vxlan{VNI}", "master", f"br{VNI}")
            x("ip", "link", "set", "vetha", "master", f"br{VNI}")
            x("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", f"vxlan{VNI}", "dst",
              NBMA[peer])
            x("bridge", "fdb", "add", HOST[peer][1]["mac"], "dev", f"vxlan{VNI}", "dst",
              NBMA[peer], "self", "permanent")
            x("ip", "link", "set", f"vxlan{VNI}", "up")
            x("ip", "link", "set", f"br{VNI}", "up")

    def agents(self, path, tools, run_dir):
        """nwbpfd on both CEs in path's mode; returns each one's `show ports`."""
        mode, port_path = paths.AGENT_MODES[path]
        facts = {}
        for ce, peer in (CES, CES[::-1]):
            node = agent.Node(instance=ce, mode=mode, overlay=OVERLAY[ce], nbma=NBMA[ce],
                              wan="eth0", port="vetha", port_path=port_path,
                              peers=[(OVERLAY[peer], NBMA[peer])],
                              fdb=[(HOST[ce][1]["mac"], ("port", "vetha")),
                                   (HOST[peer][1]["mac"], ("vtep", OVERLAY[peer]))])
            facts[ce] = agent.start(self, ce, tools, run_dir, f"tcp-{path}-{ce}", node)
        return facts
