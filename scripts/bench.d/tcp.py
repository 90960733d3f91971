"""The tcp suite: iperf3 TCP from h1 to h2 across the overlay (overlay.py)
for each path: Gbit/s received and retransmits (iperf3 -J), as
tests/e2e/lib/e2e.sh's e2e_iperf measures them."""

import json
import shutil
import time

import matrix
from netns import BenchError
from overlay import HOST, Overlay

TITLE = "TCP throughput across the overlay"
PATHS = ("kernel", "nwbpf-xdp", "nwbpf-tc", "nwbpf-tunnel")
TOOLS = ("iperf3", "ethtool", "ss", "ping", "bridge")
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


def _one(ctx, case):
    path = case["path"]
    with Overlay(ctx.prefix) as net:
        if path == "kernel":
            net.kernel_path()
            facts = {}
        else:
            facts = net.agents(path, ctx.tools, ctx.run_dir)
        _warm_up(net)
        r = _iperf(net, ctx.args.tcp_seconds)
    return {**r, "agents": facts, "ok": r["bits_per_s"] > 0}


def _label(case):
    return f"tcp {case['path']:12}"


def _line(r):
    return f"{r['bits_per_s'] / 1e9:6.2f} Gbit/s, {r['retransmits']} retransmits"


def summarize(samples, cases):
    rows = []
    for case in cases:
        good, notes = matrix.collect(samples, case, "nothing received")
        row = {**case, "runs": len(good), "notes": notes}
        row["bits_per_s"], row["range_bits_per_s"] = matrix.median_of(good, "bits_per_s")
        row["retransmits"], _ = matrix.median_of(good, "retransmits")
        rows.append(row)
    for r, case in zip(rows, cases):
        r["vs_kernel"] = matrix.paired_ratio(samples, case, {**case, "path": "kernel"},
                                             "bits_per_s")
    return rows


def markdown(rows):
    out = []
    for r in rows:
        out.append([r["path"], matrix.gbit(r["bits_per_s"]),
                    matrix.spread(r["runs"], r["range_bits_per_s"], matrix.gbit),
                    f"{r['retransmits']:g}" if r["retransmits"] is not None else "-",
                    matrix.ratio(r["vs_kernel"]), "; ".join(r["notes"])])
    return matrix.markdown_table(
        ["path", "Gbit/s", "runs: min-max", "retransmits", "vs kernel", "notes"], "lrrrrl", out)


def run(ctx):
    cases = [{"path": p} for p in ctx.args.paths if p in PATHS]
    samples = matrix.run(ctx.args.runs, cases, lambda c: _one(ctx, c), _label, _line)
    rows = summarize(samples, cases)
    a = ctx.args
    return {"settings": {"seconds": a.tcp_seconds, "omit_s": OMIT_S, "runs": a.runs},
            "note": (f"iperf3 TCP h1 -> h2, one stream, {a.tcp_seconds} s after {OMIT_S} s "
                     f"omitted, {a.runs} run(s) (medians); edge MTU 1450, host tx checksum "
                     "offload off; two CEs on a direct underlay veth"),
            "table": markdown(rows), "summary": rows, "samples": samples,
            "ok": matrix.all_ok(samples)}
