"""The evpn suite: issue 4's figure, the time from a route reflector's
End-of-RIB of 100,000 EVPN type-2 routes to all of them in the BPF FDB of a
CE running nwbpfd (target: under 5 s), and nwbpfd's RSS with them.

Per round, fresh namespaces:

    rr ns                              ce ns                      host ns
    nwbpf-evpnbench  rr0 <-veth-> eth0 [nwbpfd, mode tc] port0 <-veth-> host0
    192.168.0.2                   192.168.0.1

nwbpf-evpnbench (tests/bench/README.md) is the route reflector, built on the
agent's own BGP stack: it waits for the CE's session, advertises --evpn-routes
type-2 routes of VNI 99 (next hops 192.168.0.10-13, permanent neighbours on
the CE so no ARP runs) and End-of-RIB, polls the CE's pinned fdb map until
every route is there and checks each entry; then withdraws them all and polls
until none is left. It prints one JSON document:

  {"routes", "vteps", "vni", "updates", "send_s", "install_s", "total_s",
   "first_entry_s", "poll_ms", "progress": [[s, entries]],
   "memory": {"before"|"installed"|"withdrawn": {"rss_kib", "peak_kib"}},
   "withdraw": {"updates", "send_s", "remove_s", "total_s", "progress"}}

install_s runs from End-of-RIB queued on the reflector's socket to the end of
the first poll that found every route (an upper bound: one poll, poll_ms, of
slack: poll_ms is the longest poll); send_s from the first UPDATE to
End-of-RIB queued."""

import json
import os
import statistics
import subprocess

import agent
import matrix
from netns import BenchError, Namespaces

TITLE = "EVPN routes into the FDB"
TARGET_S = 5.0  # the "under 5 s"
RR, CE = "192.168.0.2", "192.168.0.1"
VTEPS = [f"192.168.0.{10 + i}" for i in range(4)]
MACS = {"rr0": "02:b0:00:00:01:01", "eth0": "02:b0:00:00:01:02"}
PHASE_TIMEOUT_S = 120


def fdb_size(routes):
    """The CE's fdb_size: room for every route at a hash map's comfortable
    load (a power of two, at least the config's default)."""
    size = 65536
    while size < 2 * routes:
        size *= 2
    return size


def config_text(tools, run_dir, node, routes):
    """The bench's static config (agent.py) with a large fdb and [bgp]
    toward the reflector; connect_retry 1 s, since the CE starts first."""
    text = agent.config_text(tools, run_dir, node)
    marker = "learn_remote = false\n"
    if marker not in text:
        raise BenchError("agent.config_text() changed: no learn_remote line to add fdb_size after")
    text = text.replace(marker, f"{marker}fdb_size = {fdb_size(routes)}\n", 1)
    return text + f'\n[bgp]\nas = 65000\nroute_reflectors = ["{RR}"]\nconnect_retry = 1\n'


def _tool(ns, argv, log):
    """Runs nwbpf-evpnbench in ns, its progress (stderr) shown and logged;
    returns its JSON. Raises BenchError with its last words if it fails."""
    tail = []
    with open(log, "w") as logf:
        proc = subprocess.Popen(["ip", "netns", "exec", ns, *argv], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        for line in proc.stderr:
            print(f"bench: evpn: {line.rstrip()}", flush=True)
            logf.write(line)
            tail = (tail + [line.rstrip()])[-20:]
        out = proc.stdout.read()
        proc.wait()
    if proc.returncode != 0:
        raise BenchError(f"nwbpf-evpnbench exited with {proc.returncode}: " + "\n".join(tail))
    try:
        return json.loads(out)
    except json.JSONDecodeError as e:
        raise BenchError(f"nwbpf-evpnbench printed no JSON ({e}): {out[:200]!r}") from None


def one_round(ctx, round_no, routes):
    prefix = f"{ctx.prefix}evpn{round_no}-"
    pairs = (("rr", "rr0", "ce", "eth0"), ("ce", "port0", "host", "host0"))
    with Namespaces(prefix, ("rr", "ce", "host"), pairs, MACS) as ns:
        ns.exec("rr", "ip", "addr", "add", f"{RR}/24", "dev", "rr0")
        ns.exec("ce", "ip", "addr", "add", f"{CE}/24", "dev", "eth0")
        for vtep in VTEPS:
            ns.exec("ce", "ip", "neigh", "replace", vtep, "lladdr", MACS["rr0"], "nud",
                    "permanent", "dev", "eth0")
        node = agent.Node(instance=f"evpn{round_no}", mode="tc", overlay="10.0.0.1", nbma=CE,
                          wan="eth0", port="port0", port_path="auto")
        name = f"evpn{round_no}-ce"
        started = agent.start(ns, "ce", ctx.tools, ctx.run_dir, name, node,
                              text=config_text(ctx.tools, ctx.run_dir, node, routes))
        argv = [ctx.tools.evpnbench, "--listen", RR, "--peer", CE, "--routes", routes,
                "--vni", agent.VNI, "--vteps", ",".join(VTEPS),
                "--pin-dir", os.path.join(ctx.run_dir, "bpffs", "nwbpf", node.instance),
                "--agent-pid", started["pid"], "--timeout", PHASE_TIMEOUT_S]
        return _tool(ns.ns["rr"], [str(a) for a in argv],
                     os.path.join(ctx.run_dir, f"evpn{round_no}-rr.log"))


def _mib(kib):
    return f"{kib / 1024:.1f}"


def _s(v):
    return f"{v:.3f}" if v is not None else "-"


def _row(label, r):
    m = r["memory"]
    w = r.get("withdraw", {})
    return [label, f"{r['routes']:,}", str(r["updates"]), _s(r["send_s"]), _s(r["install_s"]),
            _s(r["total_s"]), _s(w.get("remove_s")), _mib(m["before"]["rss_kib"]),
            _mib(m["installed"]["rss_kib"]), _mib(m["installed"]["peak_kib"]),
            _mib(m["withdrawn"]["rss_kib"]) if "withdrawn" in m else "-"]


def summarize(results):
    """Medians over the rounds of every figure in the table."""
    med = lambda f: statistics.median(f(r) for r in results)
    return {
        "routes": results[0]["routes"],
        "updates": results[0]["updates"],
        "send_s": med(lambda r: r["send_s"]),
        "install_s": med(lambda r: r["install_s"]),
        "total_s": med(lambda r: r["total_s"]),
        "withdraw_remove_s": med(lambda r: r["withdraw"]["remove_s"]),
        "rss_kib_before": med(lambda r: r["memory"]["before"]["rss_kib"]),
        "rss_kib_installed": med(lambda r: r["memory"]["installed"]["rss_kib"]),
        "peak_kib_installed": med(lambda r: r["memory"]["installed"]["peak_kib"]),
        "rss_kib_withdrawn": med(lambda r: r["memory"]["withdrawn"]["rss_kib"]),
    }


def markdown(results, summary):
    header = ["round", "routes", "UPDATEs", "send s", "EoR -> all in FDB s", "first UPDATE -> all s",
              "withdraw -> FDB empty s", "RSS before MiB", "RSS with routes MiB",
              "peak RSS MiB", "RSS after withdraw MiB"]
    rows = [_row(str(i + 1), r) for i, r in enumerate(results)]
    if len(results) > 1:
        s = summary
        rows.append(["**median**", f"{s['routes']:,}", str(s["updates"]), _s(s["send_s"]),
                     _s(s["install_s"]), _s(s["total_s"]), _s(s["withdraw_remove_s"]),
                     _mib(s["rss_kib_before"]), _mib(s["rss_kib_installed"]),
                     _mib(s["peak_kib_installed"]), _mib(s["rss_kib_withdrawn"])])
    table = matrix.markdown_table(header, "l" + "r" * (len(header) - 1), rows)
    within = summary["install_s"] < TARGET_S
    verdict = (f"End-of-RIB -> all {summary['routes']:,} routes in the FDB: "
               f"{summary['install_s']:.3f} s (median of {len(results)}): within the "
               f"{TARGET_S:.0f} s target: {'yes' if within else 'NO'}")
    return f"{table}\n\n{verdict}"


def run(ctx):
    if not os.path.isfile(ctx.tools.evpnbench):
        raise BenchError(f"{ctx.tools.evpnbench} is not built: ninja -C {ctx.args.build_dir} "
                         "nwbpf-evpnbench (or run with --build)")
    routes = ctx.args.evpn_routes
    results = []
    for i in range(ctx.args.runs):
        r = one_round(ctx, i + 1, routes)
        print(f"bench: evpn round {i + 1}: End-of-RIB -> all {routes:,} in FDB "
              f"{r['install_s']:.3f} s, withdraw -> empty {r['withdraw']['remove_s']:.3f} s, "
              f"RSS {_mib(r['memory']['installed']['rss_kib'])} MiB", flush=True)
        results.append(r)
    summary = summarize(results)
    return {"settings": {"routes": routes, "vteps": VTEPS, "vni": agent.VNI,
                         "fdb_size": fdb_size(routes), "runs": ctx.args.runs},
            "note": (f"nwbpf-evpnbench as the route reflector of one CE (nwbpfd, mode tc): "
                     f"{routes:,} type-2 routes of VNI {agent.VNI} over {len(VTEPS)} next hops, "
                     f"then End-of-RIB; then all withdrawn. Times from the reflector's side "
                     f"(End-of-RIB queued on its socket) to the end of the poll of the CE's "
                     f"pinned fdb map that found them all (a poll takes up to "
                     f"{max(r['poll_ms'] for r in results):.0f} ms). RSS: "
                     f"nwbpfd's VmRSS after Established, with the routes, after the "
                     f"withdrawal; peak: VmHWM."),
            "table": markdown(results, summary),
            "summary": summary, "samples": results, "ok": True}
