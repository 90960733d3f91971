"""Running a suite's cases for several rounds and gathering each case's
samples again: shared by the rate, bum and tcp suites.

A case is a dict of the keys that name it ({"path", "size", ...}); a sample
is the case plus "round" (0-based) and "result" (a dict with a boolean "ok")
or "error" (text)."""

import statistics

from netns import BenchError


def run(runs, cases, one, label, line):
    """Calls one(case) for every case, `runs` rounds over the list (so the
    cases compared in a table run close together in time). label(case) and
    line(result) make the progress line. A BenchError fails that case only."""
    samples = []
    for n in range(runs):
        for case in cases:
            text = f"bench: run {n + 1}/{runs} {label(case)}"
            try:
                result = one(case)
                samples.append({**case, "round": n, "result": result})
                print(f"{text} {line(result)}", flush=True)
            except BenchError as e:
                samples.append({**case, "round": n, "error": str(e)})
                print(f"{text} failed: {e}", flush=True)
    return samples


def collect(samples, case, wrong_note):
    """(the good results of case, notes): results whose "ok" is false are
    left out and noted as wrong_note, errors by their first line."""
    mine = [s for s in samples if all(s.get(k) == v for k, v in case.items())]
    good = [s["result"] for s in mine if "result" in s and s["result"]["ok"]]
    notes = sorted({s["error"].splitlines()[0] for s in mine if "error" in s})
    if any("result" in s and not s["result"]["ok"] for s in mine):
        notes.append(wrong_note)
    return good, notes


def paired_ratio(samples, case, ref, key):
    """Median over rounds of case's result[key] / ref's result[key] in the
    same round (both good), or None without such a round. The two ran a
    minute apart at most, so a drift of the machine's speed between rounds
    (other guests, frequency) cancels out of each ratio."""
    def by_round(c):
        return {s["round"]: s["result"][key] for s in samples
                if all(s.get(k) == v for k, v in c.items()) and "result" in s
                and s["result"]["ok"]}
    mine, base = by_round(case), by_round(ref)
    ratios = [mine[n] / base[n] for n in mine if n in base and base[n]]
    return statistics.median(ratios) if ratios else None


def median_of(results, key):
    """Median of results[i][key], and [min, max]; (None, None) if no result."""
    if not results:
        return None, None
    values = [r[key] for r in results]
    return statistics.median(values), [min(values), max(values)]


def mpps(v):
    return f"{v / 1e6:.3f}" if v is not None else "-"


def gbit(v):
    return f"{v / 1e9:.2f}" if v is not None else "-"


def ratio(v):
    return f"{v:.2f}x" if v else "-"


def spread(runs, value_range, fmt):
    """The "runs: min-max" cell: how many runs counted and their range."""
    if not value_range:
        return "-"
    lo, hi = value_range
    return f"{runs}: {fmt(lo)}-{fmt(hi)}"


def markdown_table(header, align, rows):
    """Markdown table: header cells, one alignment per column ("l" or "r"),
    rows of cell strings."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def all_ok(samples):
    return all("result" in s and s["result"]["ok"] for s in samples)
