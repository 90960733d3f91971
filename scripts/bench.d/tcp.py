"""The tcp suite: iperf3 TCP from h1 to h2 across the overlay (overlay.py)
for each path: Gbit/s received and retransmits (iperf3 -J, as
tests/e2e/lib/e2e.sh's e2e_iperf measures them), and what caused the
retransmits: frames dropped by a device or by nwbpf, or reordering seen by
the sender."""

import json
import shutil
import time

import matrix
from netns import BenchError
from overlay import HOST, Overlay

TITLE = "TCP throughput across the overlay"
PATHS = ("kernel", "nwbpf-xdp", "nwbpf-tc", "nwbpf-tunnel")
TOOLS = ("iperf3", "ethtool", "ss", "ping", "bridge", "nstat")
OMIT_S = 1  # TCP's slow start is not part of the figure (iperf3 -O)
WARM_UP_S = 10


def check():
    """An error message if a tool the suite runs is missing, else None."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    return f"the tcp suite needs {', '.join(missing)}: run scripts/install-deps" \
        if missing else None


def _warm_up(net):
    """Pings h2 from h1 until a reply (ARP across the overlay settles)."""
    ip = HOST["ce2"][1]["ip"]
    deadline = time.monotonic() + WARM_UP_S
    while time.monotonic() < deadline:
        if " 1 received" in net.exec("h1", "ping", "-c", 1, "-W", 1, "-q", ip, check=False):
            return
    raise BenchError(f"h1 cannot ping h2 ({ip}) within {WARM_UP_S} s")


def _iperf(net, seconds):
    ip = HOST["ce2"][1]["ip"]
    net.start("h2", ["iperf3", "-s", "-1", "-B", ip])
    deadline = time.monotonic() + 5
    while not net.exec("h2", "ss", "-Hltn", "sport = :5201").strip():
        if time.monotonic() > deadline:
            raise BenchError("iperf3 -s did not listen within 5 s")
        time.sleep(0.1)
    # A stalled transfer must fail here, not hang the run.
    out = net.exec("h1", "timeout", seconds + OMIT_S + 15, "iperf3", "-c", ip, "-t", seconds,
                   "-O", OMIT_S, "--connect-timeout", 3000, "-J", check=False)
    try:
        doc = json.loads(out)
    except json.JSONDecodeError:
        raise BenchError(f"iperf3 -c printed no JSON: {out.strip()[:300]!r}") from None
    if "error" in doc:
        raise BenchError(f"iperf3: {doc['error']}")
    end = doc["end"]
    return {"bits_per_s": end["sum_received"]["bits_per_second"],
            "retransmits": end["sum_sent"].get("retransmits"),
            "cpu_percent": end.get("cpu_utilization_percent")}


def _link_drops(net):
    """{"ns/dev": {"rx": n, "tx": n}} for every device of the overlay that
    dropped something (veth rings, qdiscs): where retransmits come from."""
    out = {}
    for role in ("h1", "ce1", "ce2", "h2"):
        for link in json.loads(net.exec(role, "ip", "-j", "-s", "link", "show")):
            stats = link.get("stats64", {})
            rx, tx = stats.get("rx", {}).get("dropped", 0), stats.get("tx", {}).get("dropped", 0)
            if rx or tx:
                out[f"{role}/{link['ifname']}"] = {"rx": rx, "tx": tx}
    return out


# Kernel TCP counters that tell a retransmit's cause: a segment lost, or
# only late (reordered), or damaged.
TCP_COUNTERS = ("TcpRetransSegs", "TcpInCsumErrors", "TcpExtTCPSACKReorder", "TcpExtTCPTSReorder",
                "TcpExtTCPOFOQueue", "TcpExtTCPSpuriousRTOs", "TcpExtTCPLossProbes")


def _tcp_counters(net):
    """{"host/counter": n} of TCP_COUNTERS on h1 and h2 that are not zero
    (nstat -z: absolute since the namespace was made, i.e. this case)."""
    out = {}
    for host in ("h1", "h2"):
        doc = json.loads(net.exec(host, "nstat", "-a", "-z", "-j", *TCP_COUNTERS))
        for name, n in doc.get("kernel", {}).items():
            if n:
                out[f"{host}/{name}"] = n
    return out


def _agent_drops(net, tools, facts):
    """{"ce/reason": packets} of every drop the agents counted."""
    out = {}
    for ce, f in facts.items():
        doc = json.loads(net.exec(ce, tools.nwbpf, "-c", f["config"], "show", "stats", "-j"))
        for d in doc["drops"]:
            if d.get("packets"):
                out[f"{ce}/{d['name']}"] = d["packets"]
    return out


def _one(ctx, case):
    path = case["path"]
    with Overlay(ctx.prefix) as net:
        if path == "kernel":
            net.kernel_path()
            facts = {}
        else:
            facts = net.agents(path, ctx.tools, ctx.run_dir)
        _warm_up(net)
        before = _link_drops(net)
        r = _iperf(net, ctx.args.tcp_seconds)
        after = _link_drops(net)
        agent_drops = _agent_drops(net, ctx.tools, facts)
        tcp_counters = _tcp_counters(net)
    drops = {dev: {k: n - before.get(dev, {}).get(k, 0) for k, n in c.items()}
             for dev, c in after.items()}
    return {**r, "link_drops": {d: c for d, c in drops.items() if c["rx"] or c["tx"]},
            "agent_drops": agent_drops, "tcp_counters": tcp_counters, "agents": facts,
            "ok": r["bits_per_s"] > 0}


def _label(case):
    return f"tcp {case['path']:12}"


def _line(r):
    drops = ", ".join(f"{d} rx {c['rx']} tx {c['tx']}" for d, c in r["link_drops"].items())
    agent = ", ".join(f"{k} {n}" for k, n in r["agent_drops"].items())
    return (f"{r['bits_per_s'] / 1e9:6.2f} Gbit/s, {r['retransmits']} retransmits"
            f"{'; link drops: ' + drops if drops else ''}"
            f"{'; agent drops: ' + agent if agent else ''}")


def summarize(samples, cases):
    rows = []
    for case in cases:
        good, notes = matrix.collect(samples, case, "nothing received")
        row = {**case, "runs": len(good), "notes": notes}
        row["bits_per_s"], row["range_bits_per_s"] = matrix.median_of(good, "bits_per_s")
        row["retransmits"], _ = matrix.median_of(good, "retransmits")
        for r in good:  # what the retransmits were: losses or reordering
            r["dropped"] = (sum(c["rx"] + c["tx"] for c in r["link_drops"].values())
                            + sum(r["agent_drops"].values()))
            r["reordered"] = r["tcp_counters"].get("h1/TcpExtTCPSACKReorder", 0)
        row["dropped"], _ = matrix.median_of(good, "dropped")
        row["reordered"], _ = matrix.median_of(good, "reordered")
        rows.append(row)
    for r, case in zip(rows, cases):
        r["vs_kernel"] = matrix.paired_ratio(samples, case, {**case, "path": "kernel"},
                                             "bits_per_s")
    return rows


def markdown(rows):
    count = lambda v: f"{v:g}" if v is not None else "-"
    out = []
    for r in rows:
        out.append([r["path"], matrix.gbit(r["bits_per_s"]),
                    matrix.spread(r["runs"], r["range_bits_per_s"], matrix.gbit),
                    count(r["retransmits"]), count(r["dropped"]), count(r["reordered"]),
                    matrix.ratio(r["vs_kernel"]), "; ".join(r["notes"])])
    return matrix.markdown_table(
        ["path", "Gbit/s", "runs: min-max", "retransmits", "dropped", "reorder events",
         "vs kernel", "notes"], "lrrrrrrl", out)


def run(ctx):
    cases = [{"path": p} for p in ctx.args.paths if p in PATHS]
    samples = matrix.run(ctx.args.runs, cases, lambda c: _one(ctx, c), _label, _line)
    rows = summarize(samples, cases)
    a = ctx.args
    return {"settings": {"seconds": a.tcp_seconds, "omit_s": OMIT_S, "runs": a.runs},
            "note": (f"iperf3 TCP h1 -> h2, one stream, {a.tcp_seconds} s after {OMIT_S} s "
                     f"omitted, {a.runs} run(s) (medians); edge MTU 1450, host tx checksum "
                     "offload off; two CEs on a direct underlay veth; dropped = frames "
                     "any device of the overlay or nwbpf dropped, reorder events = the "
                     "sender's TcpExtTCPSACKReorder"),
            "table": markdown(rows), "summary": rows, "samples": samples,
            "ok": matrix.all_ok(samples)}
