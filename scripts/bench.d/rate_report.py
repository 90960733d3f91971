"""The rate suite's summary: medians per case, ratios, Markdown."""

import statistics

from matrix import collect, markdown_table, mpps, paired_ratio, ratio, spread

GROUP = ("direction", "size", "flows")  # the cases one ratio compares within
CASE = GROUP + ("path",)


def summarize(samples, cases):
    """samples: list of {"path", "direction", "size", "flows", "result" or
    "error"}; cases: the matrix in table order (dicts with the same keys).
    Returns one row per case with the median delivered rate over the runs
    whose output was correct, and ratios vs the kernel path and the ceiling
    of the same (direction, size, flows): the median of the ratios within a
    round (matrix.paired_ratio; None where no round has both)."""
    rows = []
    groups = {}
    for case in cases:
        groups.setdefault(tuple(case[k] for k in GROUP), []).append(case)
    for group in groups.values():
        by_path = {}
        for case in group:
            path = case["path"]
            good, notes = collect(samples, {k: case[k] for k in CASE}, "wrong frames at the sink")
            row = {**{k: case[k] for k in CASE}, "runs": len(good), "notes": notes,
                   "delivered_pps": None, "offered_pps": None, "loss": None}
            if good:
                rates = [r["delivered_pps"] for r in good]
                row["delivered_pps"] = statistics.median(rates)
                row["delivered_range_pps"] = [min(rates), max(rates)]
                row["offered_pps"] = statistics.median(r["offered_pps"] for r in good)
                row["loss"] = statistics.median(r["loss"] for r in good)
                row["frames"] = f'{good[0]["input_frame_bytes"]} -> {good[0]["output_frame_bytes"]}'
            by_path[path] = row
            rows.append(row)
        for row in by_path.values():
            for ref in ("kernel", "ceiling"):
                mine = {k: row[k] for k in CASE}
                row[f"vs_{ref}"] = (paired_ratio(samples, mine, {**mine, "path": ref},
                                                 "delivered_pps") if ref in by_path else None)
    return rows


def markdown(rows):
    out = []
    for r in rows:
        # Negative when the kernel's own frames (IGMP, ARP) outnumber the losses.
        loss = f'{max(r["loss"], 0.0) * 100:.1f}%' if r["loss"] is not None else "-"
        out.append([r["direction"], str(r["size"]), str(r["flows"]), r["path"],
                    r.get("frames", "-"), mpps(r["offered_pps"]), mpps(r["delivered_pps"]),
                    spread(r["runs"], r.get("delivered_range_pps"), mpps), loss,
                    ratio(r["vs_kernel"]), ratio(r["vs_ceiling"]),
                    "; ".join(r["notes"])])
    return markdown_table(
        ["direction", "size", "flows", "path", "bytes in -> out", "offered Mpps",
         "delivered Mpps", "runs: min-max", "loss", "vs kernel", "vs ceiling", "notes"],
        "lrrllrrrrrrl", out)
