"""One measurement: sink on sink0, generator on gen0, delivered = what the
sink counted over the generator's own elapsed time."""

import time

from netns import BenchError, json_line

# Frames still queued in the veths when the generator stops are counted
# during this pause; it is not part of the rate's time base.
DRAIN_S = 0.3
FOREIGN_FRAMES = 0.001


def measure(chain, tools, gen_args, duration, expected):
    """Returns a result dict: offered/delivered pps, loss, and whether the
    sink saw the expected frames (size, VXLAN or not). Raises BenchError if
    a tool fails."""
    sink = chain.start("sink", [tools.sink, "-i", "sink0", "--json", "--interval", 1,
                                "--pass-arp"])
    sink.wait_line(lambda l: json_line(l).get("event") == "ready", what="the sink's ready line")
    out = chain.exec("gen", tools.trafficgen, "-i", "gen0", "--duration", duration, "--json",
                     *gen_args)
    gen = json_line(out.strip().splitlines()[-1])
    time.sleep(DRAIN_S)
    total = None
    for line in sink.stop().splitlines():
        record = json_line(line)
        if record.get("event") == "total":
            total = record
    if total is None:
        raise BenchError("the sink printed no total")
    delivered = total["packets"]
    size, vxlan = expected
    return {
        "offered_pps": gen["pps"],
        "delivered_pps": delivered / gen["elapsed_s"],
        "sent": gen["packets"],
        "delivered": delivered,
        "loss": 1 - delivered / gen["packets"] if gen["packets"] else 0.0,
        "input_frame_bytes": gen["frame_bytes"],
        "output_frame_bytes": size,
        "ok": output_ok(total, size, vxlan),
        "sink": total,
        "generator": gen,
    }


def output_ok(total, size, vxlan):
    """Whether the sink saw the expected frames: the right length, VXLAN
    exactly when it should be. The kernel's own control frames (a bridge's
    IGMP report, say) may pass too, so 0.1% of foreign frames are tolerated."""
    n = total["packets"]
    if n == 0:
        return False
    tolerance = FOREIGN_FRAMES * n
    return (abs(total["bytes"] - n * size) <= tolerance * size
            and abs(total["vxlan"] - (n if vxlan else 0)) <= tolerance)
