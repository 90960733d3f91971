"""The bum suite: ingress replication of broadcast frames to N remote VTEPs.

On the chain (netns.py) in the encap direction: the generator sends
broadcast frames (dst ff:ff:ff:ff:ff:ff) into the edge port in0; the dut
floods each to every remote VTEP (paths.remote_vteps: each its own NBMA
address on the sink's subnet, a permanent neighbour in the dut namespace);
the sink counts the VXLAN copies out of out0. A correct path makes exactly N
copies per input frame; a case where the copies per frame the DUT took in
differ from N is marked wrong.

Paths: kernel (one all-zeros `bridge fdb append` per VTEP), nwbpf-xdp (XDP
passes BUM to TC, which replicates), nwbpf-tc, nwbpf-tunnel."""

import json

import matrix
import measure
import paths
from netns import Chain

TITLE = "BUM replication"
PATHS = ("kernel", "nwbpf-xdp", "nwbpf-tc", "nwbpf-tunnel")
# Every copy of one input frame is queued on sink0's veth ring (256 frames)
# before the sink's NAPI runs, and in0 handles one generator batch per NAPI
# poll: batch x N must stay below the ring, or copies are dropped there
# (a harness limit, the same for every path).
COPIES_PER_BATCH = 192
TOLERANCE = 0.001  # kernel control frames (IGMP) the sink may count too


def cases(args):
    return [{"path": path, "size": size, "vteps": n}
            for size in args.sizes for n in args.vteps
            for path in args.paths if path in PATHS]


def generator_args(size, vteps):
    batch = max(1, min(64, COPIES_PER_BATCH // vteps))
    return ["--size", size, "--batch", batch,
            "--src-mac", paths.LOCAL_HOST["mac"], "--dst-mac", "ff:ff:ff:ff:ff:ff",
            "--src-ip", paths.LOCAL_HOST["ip"], "--dst-ip", "172.16.0.255"]


def _link_stats(chain, dev):
    """(rx packets, tx packets, tx dropped) of dev in the dut namespace."""
    s = json.loads(chain.exec("dut", "ip", "-s", "-j", "link", "show", "dev", dev))[0]["stats64"]
    return s["rx"]["packets"], s["tx"]["packets"], s["tx"]["dropped"]


def _one(ctx, case):
    path, size, n = case["path"], case["size"], case["vteps"]
    expected = paths.expected_output(path, "encap", size)
    with Chain(ctx.prefix) as chain:
        facts = paths.setup(path, "encap", chain, ctx.tools, ctx.run_dir, vteps=n)
        before = _link_stats(chain, "in0"), _link_stats(chain, "out0")
        r = measure.measure(chain, ctx.tools, generator_args(size, n), ctx.args.duration,
                            expected)
        after = _link_stats(chain, "in0"), _link_stats(chain, "out0")
    elapsed = r["generator"]["elapsed_s"]
    taken = after[0][0] - before[0][0]  # frames in0 received: what the DUT took in
    dropped = after[1][2] - before[1][2]  # copies out0 could not hand to sink0
    copies = r["delivered"] / taken if taken else 0.0
    return {**facts, "offered_pps": r["offered_pps"], "input_pps": taken / elapsed,
            "copies_pps": r["delivered_pps"], "copies_per_frame": copies,
            "input_frames": taken, "copies": r["delivered"], "out0_tx_dropped": dropped,
            "frames_ok": r["ok"],
            "ok": r["ok"] and abs(copies - n) <= TOLERANCE * n,
            "sink": r["sink"], "generator": r["generator"]}


def _label(case):
    return f"bum {case['size']:4} B {case['vteps']:3} VTEP(s) {case['path']:12}"


def _line(r):
    return (f"input {r['input_pps'] / 1e6:7.3f} Mpps copies {r['copies_pps'] / 1e6:7.3f} Mpps "
            f"{r['copies_per_frame']:7.2f} per frame"
            f"{'' if r['ok'] else '  WRONG COPIES AT THE SINK'}")


def summarize(samples, matrix_cases):
    rows = []
    for case in matrix_cases:
        good, notes = matrix.collect(
            samples, case, f"not {case['vteps']} copies per frame (results.json has the counts)")
        row = {**case, "runs": len(good), "notes": notes}
        row["input_pps"], row["input_range_pps"] = matrix.median_of(good, "input_pps")
        row["copies_pps"], row["copies_range_pps"] = matrix.median_of(good, "copies_pps")
        row["copies_per_frame"], _ = matrix.median_of(good, "copies_per_frame")
        rows.append(row)
    for r, case in zip(rows, matrix_cases):
        r["vs_kernel"] = matrix.paired_ratio(samples, case, {**case, "path": "kernel"},
                                             "copies_pps")
    return rows


def markdown(rows):
    out = []
    for r in rows:
        out.append([str(r["size"]), str(r["vteps"]), r["path"], matrix.mpps(r["input_pps"]),
                    matrix.mpps(r["copies_pps"]),
                    matrix.spread(r["runs"], r["copies_range_pps"], matrix.mpps),
                    f"{r['copies_per_frame']:.2f}" if r["copies_per_frame"] is not None else "-",
                    matrix.ratio(r["vs_kernel"]), "; ".join(r["notes"])])
    return matrix.markdown_table(
        ["size", "VTEPs", "path", "input Mpps", "copies Mpps", "runs: min-max",
         "copies per frame", "vs kernel", "notes"], "rrlrrrrrl", out)


def run(ctx):
    matrix_cases = cases(ctx.args)
    samples = matrix.run(ctx.args.runs, matrix_cases, lambda c: _one(ctx, c), _label, _line)
    rows = summarize(samples, matrix_cases)
    a = ctx.args
    return {"settings": {"sizes": a.sizes, "vteps": a.vteps, "duration_s": a.duration,
                         "runs": a.runs, "copies_per_batch": COPIES_PER_BATCH},
            "note": (f"broadcast frames of {','.join(map(str, a.sizes))} bytes into the edge "
                     f"port, {a.duration:g} s per case, {a.runs} run(s); input = frames the "
                     "edge port received, copies = VXLAN frames counted by the sink "
                     "(medians); copies per frame must equal the VTEP count"),
            "table": markdown(rows), "summary": rows, "samples": samples,
            "ok": matrix.all_ok(samples)}
