#!/usr/bin/python3
"""Plots a soak run and checks issue 29's targets, first tenth of the run against the last.

Usage: plot_soak.py SOAK_DIR   (bench/target/soak, as written by bench/soak.sh)

Reads SOAK_DIR/resources.csv (the script's samples: RSS and heap used just after a full GC,
threads, open files) and SOAK_DIR/latency.csv (the driver's windows: calls, errors, latency
percentiles) and writes SOAK_DIR/soak.png, SOAK_DIR/summary.json and SOAK_DIR/summary.md.
Targets: RSS after GC of the last tenth within 5 % of the first, no more threads or open files
at the end than at the start (largest sample of each tenth), p99 of the last tenth within 20 % of
the first (mean of the windows' p99).
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402


# Issue 29's soak: a run with fewer calls or items is a smoke run, and says so on what it writes.
SOAK_CALLS = 1_000_000
SOAK_STREAM_ITEMS = 100_000


def smoke(run):
    return run["calls"] < SOAK_CALLS or run["stream_items"] < SOAK_STREAM_ITEMS


def rows(path):
    with open(path) as f:
        return [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]


def tenths(samples, t0, t1):
    """The samples of the first and of the last tenth of [t0, t1] (at least one each)."""
    span = max(t1 - t0, 1e-9)
    first = [s for s in samples if s["t"] <= t0 + span / 10] or samples[:1]
    last = [s for s in samples if s["t"] >= t1 - span / 10] or samples[-1:]
    return first, last


def mean(xs):
    return sum(xs) / len(xs)


def main(out):
    resources = rows(os.path.join(out, "resources.csv"))
    latency = [w for w in rows(os.path.join(out, "latency.csv")) if w["calls"] > 0]
    with open(os.path.join(out, "run.json")) as f:
        run = json.load(f)
    driver_path = os.path.join(out, "driver.json")
    driver = json.load(open(driver_path)) if os.path.exists(driver_path) else {}
    # The load's span: from the first to the last latency window (the resource samples go on a
    # little before and after it).
    t0 = min(w["epoch_s"] - w["elapsed_s"] for w in latency)
    t1 = max(w["epoch_s"] for w in latency)
    for s in resources:
        s["t"] = s["epoch_s"]
    for w in latency:
        w["t"] = w["epoch_s"]
    load = [s for s in resources if t0 <= s["t"] <= t1 + run["sample_s"]] or resources
    r_first, r_last = tenths(load, t0, t1)
    l_first, l_last = tenths(latency, t0, t1)

    def change(key, rows_first, rows_last, agg=mean):
        a, b = agg([r[key] for r in rows_first]), agg([r[key] for r in rows_last])
        return a, b, (b - a) / a if a else 0.0

    rss = change("rss_kb", r_first, r_last)
    heap = change("heap_used_kb", r_first, r_last)
    threads = change("threads", r_first, r_last, max)
    files = change("open_files", r_first, r_last, max)
    p99 = change("p99_ms", l_first, l_last)
    stream_windows = [w for w in latency if w["stream_items"] > 0]
    s_first, s_last = tenths(stream_windows, t0, t1) if stream_windows else ([], [])
    checks = [
        ("RSS after GC, MiB (mean)", rss[0] / 1024, rss[1] / 1024, rss[2], "within 5 %", abs(rss[2]) <= 0.05),
        ("heap after GC, MiB (mean)", heap[0] / 1024, heap[1] / 1024, heap[2], "—", None),
        ("threads (largest)", threads[0], threads[1], threads[2], "no growth", threads[1] <= threads[0]),
        ("open files (largest)", files[0], files[1], files[2], "no growth", files[1] <= files[0]),
        ("Classify p99, ms (mean of windows)", p99[0], p99[1], p99[2], "within 20 %", p99[2] <= 0.20),
    ]
    if s_first:
        sp = change("stream_p99_ms", s_first, s_last)
        checks.append(("stream item p99, ms (mean of windows)", sp[0], sp[1], sp[2], "—", None))
    summary = {
        "smoke_run": smoke(run),
        "run": run,
        "driver": driver,
        "minutes": round((t1 - t0) / 60, 1),
        "samples": len(load),
        "windows": len(latency),
        "errors": sum(w["errors"] + w["stream_errors"] for w in latency),
        "checks": [
            {"measure": m, "first_tenth": round(a, 2), "last_tenth": round(b, 2),
             "change": round(c, 4), "target": t, "met": ok}
            for m, a, b, c, t, ok in checks
        ],
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    lines = [
        ("SMOKE RUN (not the soak's 1,000,000 calls and 100,000 stream items): " if smoke(run) else "")
        + f"{run['calls']:,} calls, a stream of {run['stream_items']:,} items, "
        f"{summary['minutes']} min, {summary['samples']} samples, {summary['errors']:.0f} errors",
        "",
        "| measure | first tenth | last tenth | change | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for m, a, b, c, t, ok in checks:
        met = "—" if ok is None else ("yes" if ok else "**no**")
        if smoke(run) and ok is not None:
            met = f"({met}: smoke run, not judged)"
        lines.append(f"| {m} | {a:,.1f} | {b:,.1f} | {c:+.1%} | {t} | {met} |")
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    plot(out, run, load, latency, t0)


def plot(out, run, resources, latency, t0):
    panels = [
        ("RSS after GC (MiB)", resources, [("rss_kb", 1 / 1024, "RSS")]),
        ("heap after GC (MiB)", resources, [("heap_used_kb", 1 / 1024, "heap used")]),
        ("threads", resources, [("threads", 1, "threads")]),
        ("open files", resources, [("open_files", 1, "file descriptors")]),
        ("p99 latency (ms)", latency, [("p99_ms", 1, "Classify"), ("stream_p99_ms", 1, "stream item")]),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 11), sharex=True)
    for ax, (title, data, series) in zip(axes, panels):
        for key, scale, label in series:
            points = [(r["t"] - t0, r[key] * scale) for r in data if key != "stream_p99_ms" or r["stream_items"] > 0]
            ax.plot([p[0] / 60 for p in points], [p[1] for p in points], ".-", label=label)
        ax.set_ylabel(title)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        if len(series) > 1:
            ax.legend(loc="lower right")
    axes[-1].set_xlabel("minutes since the load started")
    fig.suptitle(
        ("SMOKE RUN, not the soak: " if smoke(run) else "Soak: ")
        + f"{run['calls']:,} Classify calls + a stream of {run['stream_items']:,} items, "
        f"tiny-clip, {run['machine']['cores']} cores ({run['date'][:10]})"
    )
    fig.tight_layout()
    path = os.path.join(out, "soak.png")
    fig.savefig(path, dpi=100)
    print(f"wrote {path}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
