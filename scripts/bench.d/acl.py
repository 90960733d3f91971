"""The acl suite: issue 6's ebconfig figure, the per-packet cost of the ACL
at 10,000 rules within 1.2x of its cost at 10 rules, beside ebtables
carrying the same rules on the kernel path.

- nwbpf: the ACL rows of `nwbpf-progcost --json` (BPF_PROG_RUN, no
  topology): xdp_edge encap with no ACL, and VLAN 99 with an ip-filter of
  10 shapes holding 10 and 10,000 rules, none matching the frame, so every
  shape is looked up (tests/bench/README.md).
- kernel: the rate suite's kernel path, encap direction (bridge br99 +
  vxlan99 on the gen -> dut -> sink chain, paths.py), with the same rules
  as ebtables rules on FORWARD `-o vxlan99`, as Nante-WAN wrote its
  ebconfig: 0 (the filter table with an empty FORWARD chain), 10 and 10,000
  rules, loaded in one ebtables-restore. The generator's frames
  (172.16.0.1 -> 172.16.0.2, UDP) match none, so every rule is walked: the
  same worst case as the BPF rows. Per-packet cost is the chain's
  (generator, bridge, VXLAN, sink on one CPU): 1e9 / delivered pps.

ebtables is installed (apt-get) if missing; on Debian 12 `ebtables` is
ebtables-nft (rules compiled to nf_tables), and the suite says which one it
measured. Without it, or without kernel support, the kernel half is skipped
with the reason and the BPF half still runs."""

import os
import shutil
import subprocess
import time

import matrix
import measure
import paths
import progcost
from agent import VNI
from netns import BenchError, Chain

TITLE = "ebconfig ACL cost"
RULE_COUNTS = (10, 10000)   # nwbpf-progcost's ACL rows (progcost_acl.cpp)
KERNEL_RULES = (0, *RULE_COUNTS)
SHAPES = 10                 # rule i is in shape i % SHAPES
WITHIN = 1.2                # the "within 1.2x"
FRAME = 64
PROGCOST_TIMEOUT_S = 1200


def ip_rules(count):
    """The rules progcost_acl.cpp's acl_image(count) gives AclTable, as
    (src/prefix, dst, dport): UDP, deny. Rule i: source 192.168.0.0 +
    (i << 9) of prefix /(23 + i % SHAPES), destination 10.0.0.0 + i /32,
    destination port 1000 + i % 50000; none matches LOCAL_HOST's frames."""
    def dotted(v):
        return ".".join(str((v >> s) & 0xff) for s in (24, 16, 8, 0))
    return [(f"{dotted(0xc0a80000 + (i << 9))}/{23 + i % SHAPES}",
             dotted(0x0a000000 + i), 1000 + i % 50000) for i in range(count)]


def ebtables_restore_text(count):
    """ebtables-restore input: the filter table, FORWARD holding the rules
    in order, policy ACCEPT (the ip-filter's default permit)."""
    lines = ["*filter", ":INPUT ACCEPT", ":FORWARD ACCEPT", ":OUTPUT ACCEPT"]
    lines += [f"-A FORWARD -o vxlan{VNI} -p IPv4 --ip-proto udp --ip-src {src} "
              f"--ip-dst {dst} --ip-dport {dport} -j DROP" for src, dst, dport in ip_rules(count)]
    return "\n".join(lines + ["COMMIT"]) + "\n"


# --- nwbpf: BPF_PROG_RUN --------------------------------------------------

def bpf_rows(ctx):
    """{case: ns} of nwbpf-progcost's ACL rows (the smallest FDB scale, which
    this suite ignores, keeps the run short). Raises BenchError."""
    binary = ctx.tools.progcost
    if not os.path.isfile(binary):
        raise BenchError(f"{binary} is not built: ninja -C {ctx.args.build_dir} nwbpf-progcost")
    print("bench: acl: nwbpf-progcost --json --fdb-sizes 1000", flush=True)
    try:
        r = subprocess.run([binary, "--json", "--fdb-sizes", "1000"], capture_output=True,
                           text=True, timeout=PROGCOST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{binary} did not finish within {PROGCOST_TIMEOUT_S} s") from None
    if r.returncode != 0:
        raise BenchError(f"{binary} --json exited with {r.returncode}: {r.stderr[-2000:]}")
    doc = progcost.parse(r.stdout)
    rows = {p["case"]: p["ns"] for p in doc["programs"]
            if p["program"] == "xdp_edge" and p["case"].startswith("encap/")}
    wanted = ["encap/no-acl", *(f"encap/acl-{n}" for n in RULE_COUNTS)]
    if missing := [c for c in wanted if c not in rows]:
        raise BenchError(f"nwbpf-progcost gave no xdp_edge row(s) {', '.join(missing)}")
    return {"repeat": doc["repeat"], "runs": doc["runs"], "kernel": doc.get("kernel"),
            "ns": {c: rows[c] for c in wanted}}


# --- kernel: bridge + VXLAN + ebtables -----------------------------------

def ebtables_variant():
    """(`ebtables --version` text, None), installing ebtables if missing, or
    (None, why the kernel half cannot run)."""
    if not shutil.which("ebtables"):
        print("bench: acl: ebtables missing: apt-get install -y ebtables", flush=True)
        r = subprocess.run(["apt-get", "install", "-y", "ebtables"], capture_output=True,
                           text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if r.returncode != 0 or not shutil.which("ebtables"):
            return None, ("ebtables is not installed and `apt-get install -y ebtables` "
                          f"did not install it ({r.returncode}): {r.stderr.strip()[-300:]}")
    r = subprocess.run(["ebtables", "--version"], capture_output=True, text=True)
    if r.returncode != 0:
        return None, f"`ebtables --version` failed: {r.stderr.strip()}"
    return r.stdout.strip(), None


def _load_rules(chain, count):
    """Loads `count` rules into dut's bridge filter table; returns the
    seconds ebtables-restore took. Checks the chain holds them all."""
    argv = ["ip", "netns", "exec", chain.ns["dut"], "ebtables-restore"]
    start = time.monotonic()
    r = subprocess.run(argv, input=ebtables_restore_text(count), capture_output=True, text=True)
    seconds = time.monotonic() - start
    if r.returncode != 0:
        raise BenchError(f"ebtables-restore of {count} rules failed: {r.stderr.strip()[-500:]}")
    listed = chain.exec("dut", "ebtables", "-L", "FORWARD")
    if f"entries: {count}," not in listed:
        raise BenchError(f"FORWARD should hold {count} rules: {listed.splitlines()[:3]}")
    return seconds


def _kernel_one(ctx, case):
    gen_args = paths.generator_args("encap", FRAME, 1)
    expected = paths.expected_output("kernel", "encap", FRAME)
    with Chain(ctx.prefix) as chain:
        paths.setup("kernel", "encap", chain, ctx.tools, ctx.run_dir)
        load_s = _load_rules(chain, case["rules"])
        result = measure.measure(chain, ctx.tools, gen_args, ctx.args.duration, expected)
        # No rule may have matched: the frames walked the whole chain.
        counters = chain.exec("dut", "ebtables", "-L", "FORWARD", "--Lc")
        matched = [l for l in counters.splitlines() if "pcnt = " in l
                   and "pcnt = 0 " not in l]
    result.update({"load_s": load_s, "rules_matched": len(matched)})
    result["ok"] = result["ok"] and not matched
    return result


def _kernel(ctx, variant):
    cases = [{"rules": n} for n in KERNEL_RULES]
    samples = matrix.run(
        ctx.args.runs, cases, lambda c: _kernel_one(ctx, c),
        lambda c: f"acl kernel+ebtables {c['rules']:5} rules",
        lambda r: (f"delivered {_kpps(r['delivered_pps']):>7} kpps "
                   f"({1e9 / r['delivered_pps']:.0f} ns/frame), rules loaded in "
                   f"{r['load_s']:.2f} s{'' if r['ok'] else '  WRONG'}"))
    rows = []
    for c in cases:
        good, notes = matrix.collect(samples, c, "wrong frames at the sink or a rule matched")
        pps, _ = matrix.median_of(good, "delivered_pps")
        load, _ = matrix.median_of(good, "load_s")
        rows.append({"rules": c["rules"], "delivered_pps": pps, "runs": len(good),
                     "ns": 1e9 / pps if pps else None, "load_s": load, "notes": notes})
    # Cost ratio = the inverse of the rate ratio, paired per round.
    rate = matrix.paired_ratio(samples, {"rules": RULE_COUNTS[-1]}, {"rules": RULE_COUNTS[0]},
                               "delivered_pps")
    return {"variant": variant, "rows": rows, "ratio": 1 / rate if rate else None,
            "samples": samples, "ok": matrix.all_ok(samples)}


# --- report ---------------------------------------------------------------

def _ns(v):
    return f"{v:.1f}" if v is not None else "-"


def _kpps(v):
    return f"{v / 1e3:.1f}" if v is not None else "-"


def _s(v):
    return f"{v:.2f}" if v is not None else "-"


def _ratio(v, ref):
    return f"{v / ref:.2f}x" if v is not None and ref else "-"


def markdown(bpf, kernel, skipped):
    lo, hi = RULE_COUNTS
    parts = []
    if bpf.get("ns"):
        ns, ratio = bpf["ns"], bpf["ratio"]
        parts.append(matrix.markdown_table(
            ["path", "no ACL ns/pkt", f"{lo} rules ns/pkt", f"{hi:,} rules ns/pkt",
             f"{hi:,}/{lo}", f"within {WITHIN}x"], "lrrrrl",
            [["nwbpf xdp_edge encap (BPF_PROG_RUN)", _ns(ns["encap/no-acl"]),
              _ns(ns[f"encap/acl-{lo}"]), _ns(ns[f"encap/acl-{hi}"]), f"{ratio:.3f}",
              "yes" if ratio <= WITHIN else "**no**"]]))
    else:
        parts.append(f"**nwbpf rows not measured:** {bpf['error']}")
    if kernel:
        by = {r["rules"]: r for r in kernel["rows"]}
        parts.append(matrix.markdown_table(
            ["rules", "delivered kpps", "ns/pkt (chain)", f"cost / {lo} rules", "runs",
             "ebtables-restore s", "notes"], "rrrrrrl",
            [[f"{n:,}", _kpps(by[n]["delivered_pps"]), _ns(by[n]["ns"]),
              _ratio(by[n]["ns"], by[lo]["ns"]), str(by[n]["runs"]), _s(by[n]["load_s"]),
              "; ".join(by[n]["notes"])] for n in KERNEL_RULES]))
        line = f"kernel path, {kernel['variant']}: cost {hi:,}/{lo} rules "
        line += (f"= {kernel['ratio']:.1f}x (median of the per-round ratios)"
                 if kernel["ratio"] else "not measured (a case failed)")
        if by[hi]["ns"] and by[lo]["ns"]:
            line += (f"; each rule walked adds {(by[hi]['ns'] - by[lo]['ns']) / (hi - lo):.0f} "
                     "ns per packet")
        parts.append(line)
    else:
        parts.append(f"**kernel path with ebtables skipped:** {skipped}")
    return "\n\n".join(parts)


def run(ctx):
    try:
        bpf = bpf_rows(ctx)
    except BenchError as e:
        print(f"bench: acl: nwbpf rows failed: {e}", flush=True)
        bpf = {"error": str(e)}
    variant, skipped = ebtables_variant()
    kernel = None
    if variant:
        for f in (ctx.tools.trafficgen, ctx.tools.sink):
            if not os.path.isfile(f):
                skipped, variant = f"{f} is not built", None
    if variant:
        kernel = _kernel(ctx, variant)
    lo, hi = RULE_COUNTS
    if bpf.get("ns"):
        bpf["ratio"] = bpf["ns"][f"encap/acl-{hi}"] / bpf["ns"][f"encap/acl-{lo}"]
        print(f"bench: acl: nwbpf {hi}/{lo} rules = {bpf['ratio']:.3f}: "
              f"{'within' if bpf['ratio'] <= WITHIN else 'NOT within'} {WITHIN}x", flush=True)
    summary = {"bpf": bpf, "kernel": {k: v for k, v in (kernel or {}).items() if k != "samples"},
               "kernel_skipped": skipped}
    note = (f"nwbpf: BPF_PROG_RUN, repeat {bpf.get('repeat')}, median of {bpf.get('runs')} runs, "
            f"64-byte frame, {SHAPES} shapes, no rule matching. Kernel: bridge + vxlan{VNI} "
            f"encap on the veth chain, {FRAME}-byte frames, 1 flow, {ctx.args.duration:g} s "
            f"per case, {ctx.args.runs} run(s); ns/pkt = 1e9 / delivered pps of the whole "
            "single-CPU chain (generator and sink included), so compare its ratios, "
            "not its ns with BPF_PROG_RUN's")
    return {"settings": {"rules": list(KERNEL_RULES), "frame": FRAME,
                         "duration_s": ctx.args.duration, "runs": ctx.args.runs},
            "note": note, "table": markdown(bpf, kernel, skipped), "summary": summary,
            "samples": kernel["samples"] if kernel else [],
            "ok": "ns" in bpf and (kernel is None or kernel["ok"])}
