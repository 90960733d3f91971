"""PNG plot of scripts/bench's summary with gnuplot (Debian: gnuplot-nox):
grouped bars of the delivered rate, one group per (direction, size, flows),
one bar per path."""

import os
import shutil
import subprocess

from netns import BenchError
from report import GROUP

INSTALL_HINT = "apt-get install gnuplot-nox"


def check():
    """Returns an error message if gnuplot is missing, else None; checked
    before the run so a long run does not end without its plot."""
    if shutil.which("gnuplot") is None:
        return f"gnuplot is missing (it draws results.png): {INSTALL_HINT}"
    return None


def _label(key):
    direction, size, flows = key
    return f"{direction} {size} B {flows} fl"


def write(rows, paths, out_dir, title):
    """Writes results.dat (the plotted numbers) and results.png beside the
    other results; returns the PNG's path. Raises BenchError if gnuplot
    fails. Cases without a correct result are missing bars, not zeros."""
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in GROUP), {})[r["path"]] = r["delivered_pps"]
    dat = os.path.join(out_dir, "results.dat")
    png = os.path.join(out_dir, "results.png")
    with open(dat, "w") as f:
        f.write("case " + " ".join(f'"{p}"' for p in paths) + "\n")
        for key, by_path in groups.items():
            cells = [f"{by_path[p] / 1e6:.4f}" if by_path.get(p) else "-" for p in paths]
            f.write(f'"{_label(key)}" ' + " ".join(cells) + "\n")
    width = max(800, 120 * len(groups) + 200)
    script = f"""
set terminal pngcairo size {width},520 font ",10"
set output "{png}"
set title "{title}" noenhanced
set ylabel "delivered Mpps"
set yrange [0:*]
set grid ytics
set key outside right top noenhanced
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics noenhanced rotate by 20 right
plot for [i=2:{len(paths) + 1}] "{dat}" using i:xtic(1) title columnheader(i)
"""
    r = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"gnuplot failed ({r.returncode}): {r.stderr.strip()}")
    return png
