"""Summaries of scripts/bench results: medians per case, ratios, Markdown."""

import statistics


GROUP = ("direction", "size", "flows")  # the cases one ratio compares within
CASE = GROUP + ("path",)


def summarize(samples, cases):
    """samples: list of {"path", "direction", "size", "flows", "result" or
    "error"}; cases: the matrix in table order (dicts with the same keys).
    Returns one row per case with the median delivered rate over the runs
    whose output was correct, and ratios vs the kernel path and the ceiling
    of the same (direction, size, flows) (None where either side is missing)."""
    rows = []
    groups = {}
    for case in cases:
        groups.setdefault(tuple(case[k] for k in GROUP), []).append(case)
    for group in groups.values():
        by_path = {}
        for case in group:
            path = case["path"]
            mine = [s for s in samples if all(s[k] == case[k] for k in CASE)]
            good = [s["result"] for s in mine if "result" in s and s["result"]["output_ok"]]
            notes = sorted({s["error"].splitlines()[0] for s in mine if "error" in s})
            if any("result" in s and not s["result"]["output_ok"] for s in mine):
                notes.append("wrong frames at the sink")
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
                base = by_path.get(ref, {}).get("delivered_pps")
                mine = row["delivered_pps"]
                row[f"vs_{ref}"] = mine / base if mine and base else None
    return rows


def _mpps(v):
    return f"{v / 1e6:.3f}" if v is not None else "-"


def _ratio(v):
    return f"{v:.2f}x" if v is not None else "-"


def markdown(rows):
    lines = ["| direction | size | flows | path | bytes in -> out | offered Mpps | delivered Mpps "
             "| runs: min-max | loss | vs kernel | vs ceiling | notes |",
             "|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        # Negative when the kernel's own frames (IGMP, ARP) outnumber the losses.
        loss = f'{max(r["loss"], 0.0) * 100:.1f}%' if r["loss"] is not None else "-"
        spread = "-"
        if r.get("delivered_range_pps"):
            lo, hi = r["delivered_range_pps"]
            spread = f'{r["runs"]}: {_mpps(lo)}-{_mpps(hi)}'
        lines.append(f'| {r["direction"]} | {r["size"]} | {r["flows"]} | {r["path"]} '
                     f'| {r.get("frames", "-")} '
                     f'| {_mpps(r["offered_pps"])} | {_mpps(r["delivered_pps"])} | {spread} | {loss} '
                     f'| {_ratio(r["vs_kernel"])} | {_ratio(r["vs_ceiling"])} '
                     f'| {"; ".join(r["notes"])} |')
    return "\n".join(lines)
