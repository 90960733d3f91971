"""The rate suite: delivered packet rate of every path (paths.py) on the
gen -> dut -> sink chain, per direction, frame size and flow count, with
ratios against the kernel path and the harness ceiling."""

import matrix
import measure
import paths
import rate_report
from netns import Chain

TITLE = "Forwarding rate"


def cases(args):
    """Every (direction, size, flows, path) of the matrix, paths innermost so
    the cases compared in one table group run close together in time."""
    return [{"path": path, "direction": direction, "size": size, "flows": flows}
            for direction in args.directions for size in args.sizes
            for flows in args.flows for path in args.paths]


def _one(ctx, case):
    path, direction, size, flows = (case[k] for k in ("path", "direction", "size", "flows"))
    expected = paths.expected_output(path, direction, size)
    gen_args = paths.generator_args(direction, size, flows)
    with Chain(ctx.prefix) as chain:
        facts = paths.setup(path, direction, chain, ctx.tools, ctx.run_dir)
        result = measure.measure(chain, ctx.tools, gen_args, ctx.args.duration, expected)
    result.update(facts)
    return result


def _label(case):
    return (f"rate {case['direction']:5} {case['size']:4} B {case['flows']:5} flow(s) "
            f"{case['path']:12}")


def _line(r):
    return (f"offered {r['offered_pps'] / 1e6:7.3f} Mpps delivered {r['delivered_pps'] / 1e6:7.3f}"
            f" Mpps{'' if r['ok'] else '  WRONG FRAMES AT THE SINK'}")


def run(ctx):
    """Runs the matrix; returns the suite's record (see scripts/bench)."""
    matrix_cases = cases(ctx.args)
    samples = matrix.run(ctx.args.runs, matrix_cases, lambda c: _one(ctx, c), _label, _line)
    rows = rate_report.summarize(samples, matrix_cases)
    a = ctx.args
    return {"settings": {"directions": a.directions, "sizes": a.sizes, "flows": a.flows,
                         "paths": a.paths, "duration_s": a.duration, "runs": a.runs},
            "note": (f"frames of {','.join(map(str, a.sizes))} bytes, "
                     f"{','.join(map(str, a.flows))} flow(s), {a.duration:g} s per case, "
                     f"{a.runs} run(s); delivered = frames counted by the sink per second"),
            "table": rate_report.markdown(rows),
            "summary": rows, "samples": samples, "ok": matrix.all_ok(samples)}
