"""The progcost suite: per-program cost from BPF_PROG_RUN with repeat (no
topology), and the FDB lookup cost as the table grows, both measured by
<build>/tests/bench/nwbpf-progcost --json, which prints one JSON object:

  {"repeat": N, "runs": N, "kernel": "...",
   "programs": [{"program": "xdp_edge", "case": "encap", "ns": 123.4,
                 "verdict": "XDP_REDIRECT"}, ...],
   "fdb_scale": [{"entries": 1000, "program": "xdp_edge", "case": "encap",
                  "lookup": "one-mac" | "1000-macs" (+ "/hash": without
                  the FDB memo, every lookup in the hash maps), "ns": ...}, ...]}

The issue's target: the lookup cost stays flat from 1k to 1M entries, within
10% (max/min of ns over the entry counts, per program, case and lookup)."""

import json
import os
import subprocess

import matrix
from netns import BenchError

TITLE = "Per-program cost"
FLAT = 1.10  # the "within 10%"
TIMEOUT_S = 1800  # 1M-entry tables take a while to fill


def _field(obj, key, types, what, where):
    """obj[key] if it is one of types (bool is no number here); else a
    BenchError saying what was expected where."""
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, types) or isinstance(value, bool):
        raise BenchError(f"nwbpf-progcost --json: {where}: {key!r} must be {what}, "
                         f"in {json.dumps(obj)[:200]}")
    return value


def parse(text):
    """Checks the output against the contract above; returns the object.
    Raises BenchError naming the first thing that does not fit."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise BenchError(f"nwbpf-progcost --json printed no JSON ({e}): {text[:200]!r}") from None
    number = (int, float)
    for key in ("repeat", "runs"):
        _field(doc, key, int, "an integer", "top level")
    for i, p in enumerate(_field(doc, "programs", list, "a list", "top level")):
        for key in ("program", "case", "verdict"):
            _field(p, key, str, "a string", f"programs[{i}]")
        _field(p, "ns", number, "a number", f"programs[{i}]")
    for i, f in enumerate(_field(doc, "fdb_scale", list, "a list", "top level")):
        for key in ("program", "case", "lookup"):
            _field(f, key, str, "a string", f"fdb_scale[{i}]")
        _field(f, "entries", int, "an integer", f"fdb_scale[{i}]")
        _field(f, "ns", number, "a number", f"fdb_scale[{i}]")
    return doc


def spread(fdb_scale):
    """One row per (program, case, lookup): ns per entry count, and
    max/min over them with whether that is within 10%."""
    rows = {}
    for f in fdb_scale:
        key = (f["program"], f["case"], f["lookup"])
        rows.setdefault(key, {"program": key[0], "case": key[1], "lookup": key[2],
                              "ns": {}})["ns"][f["entries"]] = f["ns"]
    for r in rows.values():
        values = list(r["ns"].values())
        r["spread"] = max(values) / min(values) if min(values) > 0 else None
        r["flat"] = r["spread"] is not None and r["spread"] <= FLAT
    return list(rows.values())


def _ns(v):
    return f"{v:.1f}" if v is not None else "-"


def _ratio(v):
    return f"{v:.3f}" if v is not None else "-"


def markdown(doc, rows):
    programs = matrix.markdown_table(
        ["program", "case", "ns/frame", "verdict"], "llrl",
        [[p["program"], p["case"], _ns(p["ns"]), p["verdict"]] for p in doc["programs"]])
    entries = sorted({n for r in rows for n in r["ns"]})
    scale = matrix.markdown_table(
        ["program", "case", "lookup", *(f"{n:,} entries ns" for n in entries), "max/min",
         "within 10%"], "lll" + "r" * len(entries) + "rl",
        [[r["program"], r["case"], r["lookup"], *(_ns(r["ns"].get(n)) for n in entries),
          _ratio(r["spread"]), "yes" if r["flat"] else "**no**"]
         for r in rows])
    flat = all(r["flat"] for r in rows)
    verdict = (f"FDB lookup cost flat within 10% from {entries[0]:,} to {entries[-1]:,} "
               f"entries: {'yes' if flat else 'NO'}" if entries else "no FDB scale figures")
    return f"{programs}\n\n### FDB scale\n\n{scale}\n\n{verdict}"


def _run_tool(binary, run_dir):
    """Runs `binary --json`, its progress (stderr) shown as it comes; returns
    stdout. Raises BenchError with its last words if it fails or times out."""
    out_path = os.path.join(run_dir, "progcost.json")
    tail = []
    with open(out_path, "w") as out:
        proc = subprocess.Popen(["timeout", str(TIMEOUT_S), binary, "--json"], stdout=out,
                                stderr=subprocess.PIPE, text=True)
        for line in proc.stderr:
            print(f"bench: progcost: {line.rstrip()}", flush=True)
            tail = (tail + [line.rstrip()])[-20:]
        proc.wait()
    if proc.returncode == 124:
        raise BenchError(f"{binary} --json did not finish within {TIMEOUT_S} s")
    if proc.returncode != 0:
        raise BenchError(f"{binary} --json exited with {proc.returncode}: " + "\n".join(tail))
    with open(out_path) as f:
        return f.read()


def run(ctx):
    binary = ctx.tools.progcost
    if not os.path.isfile(binary):
        raise BenchError(f"{binary} is not built: ninja -C {ctx.args.build_dir} "
                         "nwbpf-progcost (or run with --build)")
    doc = parse(_run_tool(binary, ctx.run_dir))
    rows = spread(doc["fdb_scale"])
    for row in rows:
        print(f"bench: progcost fdb scale {row['program']} {row['case']} {row['lookup']}: "
              f"max/min {_ratio(row['spread'])}: {'within' if row['flat'] else 'NOT within'} 10%",
              flush=True)
    return {"settings": {"repeat": doc["repeat"], "runs": doc["runs"],
                         "kernel": doc.get("kernel")},
            "note": (f"BPF_PROG_RUN, repeat {doc['repeat']}, programs: median of {doc['runs']} "
                     f"run(s); FDB scale: fastest of {doc['runs']} run(s) on each of 3 fresh "
                     f"benches (nwbpf-progcost); kernel {doc.get('kernel', '?')}"),
            "table": markdown(doc, rows),
            "summary": {"programs": doc["programs"], "fdb_scale": rows}, "ok": True}
