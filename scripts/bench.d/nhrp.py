"""The nhrp suite: issue 5's figure, the time from the first frame between
two CEs that know no [[peer]] to the first frame on the direct path (target
under 100 ms on the netns topology), and where that time goes.

nhrp.sh builds the seed topology as tests/e2e/nhrp.sh does (nwbpfd on rs as
NHS, route reflector and relay; on ce1..3 as NHC) once per mode (the
nwbpf-xdp and nwbpf-tc of --paths) and runs --runs rounds, each starting
with no shortcut (ce1's and ce3's agents restarted). In a round h1 pings h3
every millisecond for a second. From its captures (kernel timestamps, one
clock):

  T0     the round's first frame h1 sends (its vethb): the echo request
  Treq   ce1's NHRP Resolution Request leaving ce1 (underlay port "ce1")
  Trep   the Resolution Reply reaching ce1 (same port)
  Tfwd   rs's copy of ce3's own Resolution Request for ce1 reaching ce1
         (h3's replies are relayed too), if any
  T1     the first VXLAN frame from ce1's NBMA address to ce3's (same port)

first frame -> direct = T1 - T0, the figure; the others split it: T0 ->
request (BPF's PEER_MISS to the agent's request on the wire), request ->
reply (the NHS's answer), reply -> direct (the shortcut into BPF, plus up to
one ping interval, 1 ms, until h1's next frame). "relayed" counts ce1's
VXLAN frames to rs between T0 and T1."""

import json
import os
import shutil
import statistics
import subprocess

import matrix
from netns import BenchError

TITLE = "NHRP first frame to shortcut"
TARGET_MS = 100.0  # issue 5: "first packet to shortcut installed <= 100 ms"
MODES = {"nwbpf-xdp": "xdp", "nwbpf-tc": "tc"}
CE1, CE3, RS = "192.168.0.1", "192.168.0.3", "192.168.0.10"
VXLAN_PORT = "4789"
RESOLUTION_REQUEST, RESOLUTION_REPLY = "1", "2"  # RFC 2332 section 5.2
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nhrp.sh")
DRIVER_TIMEOUT_S = 60  # topology, agents, warm-up
ROUND_TIMEOUT_S = 45   # two agent restarts, their sessions, the round


TOOLS = ("dumpcap", "tshark", "jq")


def check():
    """An error message if a tool the suite runs is missing, else None."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    return f"the nhrp suite needs {', '.join(missing)}: run scripts/install-deps" \
        if missing else None


def _ns(stamp):
    """A tshark frame.time_epoch ("1763807412.123456000") in integer ns."""
    sec, _, frac = stamp.partition(".")
    return int(sec) * 10**9 + int((frac + "000000000")[:9])


def frames(pcap, fields):
    """Every frame of pcap as a tuple (time ns, *fields), first occurrence of
    each field (a VXLAN frame's ip.src is the outer header's), "" if absent."""
    r = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "occurrence=f",
                        "-e", "frame.time_epoch", *sum((["-e", f] for f in fields), [])],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"tshark -r {pcap} failed: {r.stderr.strip()}")
    rows = []
    for line in r.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) + 1 - len(cols))
        rows.append((_ns(cols[0]), *cols[1:]))
    return rows


def analyse(window, edge, wan):
    """One round's times (ms from T0) from the frames of its window."""
    start, end = window["start_ns"], window["end_ns"]
    sent = [t for t, in edge if start <= t <= end]
    if not sent:
        raise BenchError(f"round {window['round']}: no frame from h1 in the capture")
    t0 = sent[0]
    mine = [f for f in wan if t0 <= f[0] <= end]

    def first(what, pred):
        for f in mine:
            if pred(*f[1:]):
                return f[0]
        raise BenchError(f"round {window['round']}: no {what} on the underlay port of ce1")

    t1 = first("VXLAN frame ce1 -> ce3",
               lambda src, dst, port, op: (src, dst, port) == (CE1, CE3, VXLAN_PORT))
    treq = first("Resolution Request from ce1",
                 lambda src, dst, port, op: src == CE1 and op == RESOLUTION_REQUEST)
    trep = first("Resolution Reply to ce1",
                 lambda src, dst, port, op: dst == CE1 and op == RESOLUTION_REPLY)
    # rs also forwards ce3's own request for ce1 (h3's replies are relayed
    # too): ce1 then learns ce3 as a target does, which may come first.
    try:
        tfwd = first("forwarded Resolution Request",
                     lambda src, dst, port, op: dst == CE1 and op == RESOLUTION_REQUEST)
    except BenchError:
        tfwd = None
    relayed = sum(1 for t, src, dst, port, op in mine
                  if t < t1 and (src, dst, port) == (CE1, RS, VXLAN_PORT))
    ms = lambda t: (t - t0) / 1e6
    return {"round": window["round"], "t0_ns": t0, "first_to_direct_ms": ms(t1),
            "first_to_request_ms": ms(treq), "first_to_reply_ms": ms(trep),
            "first_to_forwarded_request_ms": ms(tfwd) if tfwd is not None else None,
            "forwarded_first": tfwd is not None and tfwd <= trep,
            "reply_to_direct_ms": (t1 - trep) / 1e6, "relayed_frames": relayed,
            "rs_relay_counter": window["relayed"], "cli_shortcut_ms": window["shortcut_ms"],
            "lost_pings": window["lost"]}


def run_mode(ctx, mode):
    """Runs the driver for one mode; returns its rounds' analyses."""
    run_dir = os.path.join(ctx.run_dir, f"nhrp-{mode}")
    os.makedirs(run_dir, exist_ok=True)
    env = dict(os.environ, NWBPF_BUILD_DIR=ctx.args.build_dir)
    argv = [DRIVER, f"{ctx.prefix}nhrp-{mode}-", run_dir, mode, str(ctx.args.runs)]
    timeout = DRIVER_TIMEOUT_S + ROUND_TIMEOUT_S * ctx.args.runs
    with open(os.path.join(ctx.run_dir, f"nhrp-{mode}.log"), "w") as log:
        try:
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=log, text=True, env=env,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(f"nhrp.sh {mode} took more than {timeout} s") from None
    if r.returncode != 0:
        with open(log.name) as f:
            tail = f.read().splitlines()[-15:]
        raise BenchError(f"nhrp.sh {mode} exited with {r.returncode}: " + "\n".join(tail))
    windows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    edge = frames(os.path.join(run_dir, "edge.pcapng"), [])
    wan = frames(os.path.join(run_dir, "wan.pcapng"),
                 ["ip.src", "ip.dst", "udp.dstport", "nhrp.hdr.op.type"])
    return [analyse(w, edge, wan) for w in windows]


KEYS = ("first_to_direct_ms", "first_to_request_ms", "first_to_reply_ms",
        "first_to_forwarded_request_ms", "reply_to_direct_ms", "relayed_frames", "lost_pings")


def summarize(results):
    """Per path, each figure's median, min and max over the rounds that
    have it (None if none has)."""
    out = {}
    for path, rounds in results.items():
        out[path] = {"rounds": len(rounds),
                     "forwarded_first": sum(r["forwarded_first"] for r in rounds)}
        for k in KEYS:
            v = [r[k] for r in rounds if r[k] is not None]
            out[path][k] = ({"median": statistics.median(v), "min": min(v), "max": max(v)}
                            if v else None)
    return out


def _cell(stat, fmt):
    if stat is None:
        return "-"
    return f"{fmt(stat['median'])} ({fmt(stat['min'])}-{fmt(stat['max'])})"


def markdown(summary):
    header = ["path", "rounds", "first frame -> direct ms", "-> Resolution Request ms",
              "-> Resolution Reply ms", "-> rs's forwarded Request ms", "Reply -> direct ms",
              "frames relayed", "pings lost"]
    ms, count = (lambda v: f"{v:.1f}"), (lambda v: f"{v:g}")
    rows = [[path, str(s["rounds"]), *(_cell(s[k], ms) for k in KEYS[:5]),
             *(_cell(s[k], count) for k in KEYS[5:])] for path, s in summary.items()]
    table = matrix.markdown_table(header, "l" + "r" * (len(header) - 1), rows)
    verdicts = [f"{path}: first frame -> first direct frame "
                f"{s['first_to_direct_ms']['median']:.1f} ms (median of {s['rounds']}, "
                f"{s['first_to_direct_ms']['min']:.1f}-{s['first_to_direct_ms']['max']:.1f}): "
                f"within the {TARGET_MS:.0f} ms target: "
                f"{'yes' if s['first_to_direct_ms']['median'] <= TARGET_MS else 'NO'}; "
                f"in {s['forwarded_first']} round(s) rs's copy of ce3's request reached ce1 "
                f"no later than the Reply"
                for path, s in summary.items()]
    return table + "\n\n" + "\n".join(f"- {v}" for v in verdicts)


def run(ctx):
    paths = [p for p in ctx.args.paths if p in MODES]
    if not paths:
        raise BenchError(f"no NHRP path in --paths: add {' or '.join(MODES)}")
    results = {}
    for path in paths:
        rounds = run_mode(ctx, MODES[path])
        for r in rounds:
            print(f"bench: nhrp {path} round {r['round']}: first frame -> direct "
                  f"{r['first_to_direct_ms']:.1f} ms (request {r['first_to_request_ms']:.1f}, "
                  f"reply {r['first_to_reply_ms']:.1f}), {r['relayed_frames']} relayed",
                  flush=True)
        results[path] = rounds
    summary = summarize(results)
    return {"settings": {"paths": paths, "runs": ctx.args.runs, "ping_interval_ms": 1},
            "note": ("The seed topology (scripts/lib/topology.sh) as tests/e2e/nhrp.sh builds "
                     "it: nwbpfd on rs (NHS, route reflector, relay) and on every CE (NHC, no "
                     "[[peer]]). Per round ce1's and ce3's agents restart (no shortcut), then "
                     "h1 pings h3 every 1 ms for 1 s; times from the captures' kernel "
                     "timestamps, from h1's first frame (its vethb) to ce1's Resolution Request, "
                     "the Reply reaching ce1, rs's copy of ce3's own request reaching ce1, and "
                     "the first VXLAN frame ce1 -> ce3 (the underlay port of ce1). Medians over "
                     "the rounds, (min-max); frames relayed: ce1's VXLAN frames to rs before "
                     "the direct one. Reply -> direct includes up to 1 ms until h1's next "
                     "ping."),
            "table": markdown(summary),
            "summary": summary, "samples": results,
            "ok": True}
