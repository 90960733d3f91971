"""Namespaces, commands and background processes for scripts/bench.

Namespaces builds any set of namespaces joined by veth pairs (overlay.py's
two CEs); Chain is the benchmark chain of the rate and bum suites, one veth
pair per hop, each end in its own namespace:

    gen ns            dut ns                      sink ns
    gen0  <-veth->  in0 [path under test] out0  <-veth->  sink0

nwbpf-trafficgen injects frames on gen0 (XDP_TX: they arrive on in0), the
path under test forwards them from in0 to out0, nwbpf-sink counts them on
sink0. IPv6 is off everywhere so no router solicitation reaches the count.
"""

import json
import os
import signal
import subprocess
import time

# Fixed MACs, so generator templates and static neighbours need no lookups.
MAC = {
    "gen0": "02:b0:00:00:00:01",
    "in0": "02:b0:00:00:00:02",
    "out0": "02:b0:00:00:00:03",
    "sink0": "02:b0:00:00:00:04",
}


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


def sh(*argv, ns=None, check=True):
    """Runs argv (in namespace ns); returns stdout. Raises BenchError with the
    command and its stderr when it fails and check is set."""
    cmd = (["ip", "netns", "exec", ns] if ns else []) + [str(a) for a in argv]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


class Process:
    """A background command (in a namespace) whose stdout is read as lines."""

    def __init__(self, argv, ns=None, log=None):
        cmd = (["ip", "netns", "exec", ns] if ns else []) + [str(a) for a in argv]
        self.cmd = " ".join(cmd)
        self._log = open(log, "w") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log, text=True)

    def wait_line(self, predicate, timeout=10.0, what="a line"):
        """Returns the first stdout line for which predicate(line) is true.
        Raises BenchError if the process exits or stays silent past timeout
        (a blocked readline is bounded by the process exiting on its own)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise BenchError(f"`{self.cmd}` exited ({self.proc.wait()}) before {what}")
            if predicate(line.strip()):
                return line.strip()
        raise BenchError(f"`{self.cmd}`: no {what} within {timeout} s")

    def stop(self, sig=signal.SIGINT, timeout=10.0):
        """Sends sig, returns the rest of stdout. Raises BenchError on a
        non-zero exit."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
            raise BenchError(f"`{self.cmd}` did not stop on signal {sig}")
        if self.proc.returncode != 0:
            raise BenchError(f"`{self.cmd}` exited with {self.proc.returncode}")
        return out

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Namespaces:
    """Namespaces joined by veth pairs, one end in each. Use as a context
    manager: leaving it runs the registered cleanups, kills the processes it
    started and deletes the namespaces, whatever happened.

    roles: names of the namespaces (full name: prefix + role); pairs:
    (role_a, dev_a, role_b, dev_b) per veth; macs: fixed MAC per device
    name (others get the kernel's random one)."""

    def __init__(self, prefix, roles, pairs, macs):
        self.ns = {role: f"{prefix}{role}" for role in roles}
        self._pairs = pairs
        self._macs = macs
        self.processes = []
        self.cleanups = []

    def __enter__(self):
        try:
            for ns in self.ns.values():
                sh("ip", "netns", "add", ns)
                sh("ip", "-n", ns, "link", "set", "lo", "up")
                sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                   "net.ipv6.conf.default.disable_ipv6=1", ns=ns)
            for pair in self._pairs:
                self._pair(*pair)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _pair(self, a_role, a, b_role, b):
        mac = lambda dev: ["address", self._macs[dev]] if dev in self._macs else []
        sh("ip", "-n", self.ns[a_role], "link", "add", a, *mac(a), "type", "veth",
           "peer", "name", b, *mac(b), "netns", self.ns[b_role])
        sh("ip", "-n", self.ns[a_role], "link", "set", a, "up")
        sh("ip", "-n", self.ns[b_role], "link", "set", b, "up")

    def exec(self, role, *argv, check=True):
        return sh(*argv, ns=self.ns[role], check=check)

    def batch(self, role, tool, lines, run_dir, name):
        """Runs `tool -batch` (ip or bridge) in role's namespace on lines
        written to run_dir/name: hundreds of entries in one process."""
        path = os.path.join(run_dir, name)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        sh(tool, "-n", self.ns[role], "-batch", path)

    def start(self, role, argv, log=None):
        p = Process(argv, ns=self.ns[role], log=log)
        self.processes.append(p)
        return p

    def on_exit(self, fn):
        """Registers fn() to run on exit (LIFO), before the processes still
        running are killed and the namespaces deleted."""
        self.cleanups.append(fn)

    def __exit__(self, *exc):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # cleanup must go on; say what was left
                print(f"bench: cleanup: {e}", flush=True)
        for p in reversed(self.processes):
            p.kill()
        for ns in self.ns.values():
            sh("ip", "netns", "del", ns, check=False)
        return False


class Chain(Namespaces):
    """gen -> dut -> sink (see the module comment)."""

    def __init__(self, prefix):
        super().__init__(prefix, ("gen", "dut", "sink"),
                         (("gen", "gen0", "dut", "in0"), ("dut", "out0", "sink", "sink0")), MAC)


def sweep_stale(prefix_root):
    """Deletes namespaces of earlier runs whose process is gone (names are
    <prefix_root><pid>-<role>), so an interrupted run does not block the next."""
    for line in sh("ip", "netns", "list").splitlines():
        name = line.split()[0] if line.strip() else ""
        if not name.startswith(prefix_root):
            continue
        pid = name[len(prefix_root):].split("-")[0]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            sh("ip", "netns", "del", name, check=False)


def json_line(line):
    """Parses a JSON line; BenchError quoting it if it is not JSON."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise BenchError(f"expected JSON, got {line!r}: {e}") from None
