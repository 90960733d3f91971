"""results.png with gnuplot (Debian: gnuplot-nox): one panel of grouped bars
per suite that ran, one bar per path:
  rate  delivered Mpps per (direction, size, flows)   (numbers: results.dat)
  bum   copies Mpps per (size, VTEPs)                  (results-bum.dat)
  tcp   iperf3 Gbit/s                                  (results-tcp.dat)
The rate panel takes the top row, bum and tcp share the row below. Cases
without a correct result are missing bars, not zeros."""

import os
import shutil
import subprocess

import bum
from netns import BenchError
from rate_report import GROUP

INSTALL_HINT = "apt-get install gnuplot-nox"
ROW_HEIGHT = 480
TITLE_HEIGHT = 30  # pixels above the panels for the run's title
# One colour per path in every panel, so a bar is read the same everywhere.
COLORS = {"ceiling": "#9467bd", "kernel": "#7f7f7f", "nwbpf-xdp": "#1f77b4",
          "nwbpf-tc": "#ff7f0e", "nwbpf-tunnel": "#2ca02c"}


def check():
    """Returns an error message if gnuplot is missing, else None; checked
    before the run so a long run does not end without its plot."""
    if shutil.which("gnuplot") is None:
        return f"gnuplot is missing (it draws results.png): {INSTALL_HINT}"
    return None


def _groups(rows, key, label, value, scale):
    """[(label, {path: value})] in row order, values divided by scale."""
    groups = {}
    for r in rows:
        cell = groups.setdefault(label(*(r[k] for k in key)), {})
        if r.get(value):
            cell[r["path"]] = r[value] / scale
    return list(groups.items())


def _panels(records, paths):
    """(name, dat file, paths, groups, y label, title) per plottable suite."""
    panels = []
    if rows := records.get("rate", {}).get("summary"):
        panels.append(("rate", "results.dat", paths,
                       _groups(rows, GROUP, lambda d, s, f: f"{d} {s} B {f} fl",
                               "delivered_pps", 1e6), "delivered Mpps",
                       "forwarding rate"))
    if rows := records.get("bum", {}).get("summary"):
        panels.append(("bum", "results-bum.dat", [p for p in paths if p in bum.PATHS],
                       _groups(rows, ("size", "vteps"), lambda s, n: f"{s} B {n} VTEP{'s' if n > 1 else ''}",
                               "copies_pps", 1e6), "copies Mpps",
                       "BUM replication (VXLAN copies delivered)"))
    if rows := records.get("tcp", {}).get("summary"):
        panels.append(("tcp", "results-tcp.dat", [r["path"] for r in rows],
                       _groups(rows, (), lambda: "iperf3 TCP", "bits_per_s", 1e9),
                       "Gbit/s", "TCP across the overlay"))
    return panels


def _write_dat(path, columns, groups):
    with open(path, "w") as f:
        f.write("case " + " ".join(f'"{p}"' for p in columns) + "\n")
        for label, by_path in groups:
            cells = [f"{by_path[p]:.4f}" if p in by_path else "-" for p in columns]
            f.write(f'"{label}" ' + " ".join(cells) + "\n")


def _layout(panels):
    """(origin x, origin y, width, height) per panel, fractions of the PNG,
    and the PNG's size in pixels: rate alone on top, the others below."""
    rows = [[p for p in panels if p[0] == "rate"], [p for p in panels if p[0] != "rate"]]
    rows = [r for r in rows if r]
    widths = {id(p): 140 * len(p[3]) + 60 * len(p[2]) + 200 for p in panels}
    px_width = max(900, max(sum(widths[id(p)] for p in r) for r in rows))
    px_height = ROW_HEIGHT * len(rows) + TITLE_HEIGHT
    row_h = ROW_HEIGHT / px_height
    boxes = {}
    for i, row in enumerate(rows):
        total, x = sum(widths[id(p)] for p in row), 0.0
        for p in row:
            w = widths[id(p)] / total
            boxes[id(p)] = (x, 1 - TITLE_HEIGHT / px_height - (i + 1) * row_h, w, row_h)
            x += w
    return boxes, (px_width, px_height)


def write(records, paths, out_dir, subtitle):
    """Writes the .dat files and results.png; returns the PNG's path, or None
    if no suite produced anything to plot. Raises BenchError if gnuplot fails."""
    panels = _panels(records, paths)
    if not panels:
        return None
    boxes, (width, height) = _layout(panels)
    png = os.path.join(out_dir, "results.png")
    script = [f'set terminal pngcairo size {width},{height} font ",10"', f'set output "{png}"',
              f'set multiplot title "{subtitle}" noenhanced', "set yrange [0:*]", "set grid ytics",
              "set key outside right top noenhanced", 'set datafile missing "-"',
              "set style data histograms", "set style histogram clustered gap 1",
              "set style fill solid 0.85 border -1", "set boxwidth 0.9",
              "set xtics noenhanced rotate by 20 right"]
    for p in panels:
        name, dat_name, columns, groups, ylabel, title = p
        dat = os.path.join(out_dir, dat_name)
        _write_dat(dat, columns, groups)
        x, y, w, h = boxes[id(p)]
        script += [f"set origin {x:.4f},{y:.4f}", f"set size {w:.4f},{h:.4f}",
                   f'set title "{title}" noenhanced', f'set ylabel "{ylabel}"',
                   f'colors = "{" ".join(COLORS[c] for c in columns)}"',
                   f'plot for [i=2:{len(columns) + 1}] "{dat}" using i:xtic(1) '
                   "title columnheader(i) linecolor rgb word(colors, i - 1)"]
    script.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise BenchError(f"gnuplot failed ({r.returncode}): {r.stderr.strip()}")
    return png
