"""scripts/bench's command line: suites and the options that shape each."""

import argparse
import os

import paths

SUITES = ("rate", "bum", "tcp", "progcost", "evpn", "nhrp", "acl")
MAX_FLOOD_VTEPS = 128  # NWBPF_MAX_FLOOD_VTEPS, include/nwbpf/consts.h


def int_list(lo, hi, what):
    """argparse type: comma-separated integers in lo..hi, order kept, no repeats."""
    def parse(text):
        try:
            items = [int(t) for t in text.split(",") if t]
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: comma-separated integers expected")
        if not items or any(not lo <= v <= hi for v in items):
            raise argparse.ArgumentTypeError(f"{text!r}: each {what} must be {lo}..{hi}")
        return list(dict.fromkeys(items))
    return parse


def csv(choices):
    """argparse type: a comma-separated subset of choices, order kept, no repeats."""
    def parse(text):
        items = [t for t in text.split(",") if t]
        bad = [t for t in items if t not in choices]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"{text!r}: choose from {','.join(choices)}")
        return list(dict.fromkeys(items))
    return parse


def parse_args(root, description):
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(root, "build"),
                    help="CMake build directory with the tools and nwbpfd (default: %(default)s)")
    ap.add_argument("--build", action="store_true",
                    help="configure and build the needed targets first (ninja -j2)")
    ap.add_argument("--suites", type=csv(SUITES), default=list(SUITES),
                    help=f"comma-separated subset of {','.join(SUITES)} (default: all)")
    ap.add_argument("--paths", type=csv(paths.PATHS), default=list(paths.PATHS),
                    help=f"comma-separated subset of {','.join(paths.PATHS)} (default: all; "
                    "bum and tcp have no ceiling; nhrp runs nwbpf-xdp and nwbpf-tc)")
    ap.add_argument("--directions", type=csv(paths.DIRECTIONS), default=list(paths.DIRECTIONS),
                    help="rate: comma-separated subset of decap,encap (default: both)")
    ap.add_argument("--sizes", "--size", dest="sizes", type=int_list(42, 1500, "size"),
                    default=[64, 1400], metavar="LIST",
                    help="rate and bum: comma-separated (inner) frame lengths in bytes "
                    "without FCS, 42..1500 (default: 64,1400)")
    ap.add_argument("--flows", type=int_list(1, 65536, "flow count"), default=[1, 1000],
                    metavar="LIST",
                    help="rate: comma-separated counts of UDP flows the generator cycles "
                    "through, 1..65536 (default: 1,1000); every size is run with every flow count")
    ap.add_argument("--vteps", type=int_list(1, MAX_FLOOD_VTEPS, "VTEP count"),
                    default=[1, 10, 100], metavar="LIST",
                    help=f"bum: comma-separated counts of remote VTEPs a broadcast frame is "
                    f"replicated to, 1..{MAX_FLOOD_VTEPS} (default: 1,10,100)")
    ap.add_argument("--duration", type=float, default=5.0,
                    help="rate and bum: seconds of traffic per case (default: %(default)s)")
    ap.add_argument("--tcp-seconds", type=int, default=10,
                    help="tcp: seconds of iperf3 per path (default: %(default)s)")
    ap.add_argument("--evpn-routes", type=int, default=100000,
                    help="evpn: type-2 routes the reflector advertises, 1..1000000 "
                    "(default: %(default)s)")
    ap.add_argument("--runs", type=int, default=1,
                    help="rounds over every case of rate, bum, tcp, evpn and nhrp; the tables show "
                    "medians (default: %(default)s)")
    ap.add_argument("--out", help="directory for results.json, results.md and results.png "
                    "(default: <build-dir>/bench)")
    a = ap.parse_args()
    if not 0.5 <= a.duration <= 600:
        ap.error("--duration must be 0.5..600 seconds")
    if not 1 <= a.tcp_seconds <= 600:
        ap.error("--tcp-seconds must be 1..600")
    if not 1 <= a.evpn_routes <= 1000000:
        ap.error("--evpn-routes must be 1..1000000")
    if not 1 <= a.runs <= 100:
        ap.error("--runs must be 1..100")
    topo_suites = [s for s in a.suites if s in ("bum", "tcp")]
    if topo_suites and a.paths == ["ceiling"]:
        ap.error(f"--paths ceiling: suite(s) {','.join(topo_suites)} have no ceiling path; "
                 "add a path or leave them out of --suites")
    a.build_dir = os.path.abspath(a.build_dir)  # goes into the agent's config
    a.out = a.out or os.path.join(a.build_dir, "bench")
    return a
