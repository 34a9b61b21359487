#!/usr/bin/python3
"""Summarises the benchmark suite's results and plots throughput against p99 latency.

Usage: plot.py RESULTS_DIR   (bench/target/results, as written by bench/run-suite.sh)

Reads RESULTS_DIR/<model>/{in-process,saturation,latency,batching-off}.json (and
phone-{exact,fast}.json where the suite's step 5 ran) and writes
RESULTS_DIR/summary.json, RESULTS_DIR/summary.md and RESULTS_DIR/throughput-vs-p99.png.
A model whose files are missing is left out, saying so.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

# Issue 7's targets on the 2-core machine: served / in-process, and batching on / off.
TARGETS = {
    "tiny-clip": {"saturation_fraction": 0.70, "batching_gain": 3.0},
    "vit-b-32": {"saturation_fraction": 0.90},
    # Issue 22: SigLIP base/16-224-sized, served / in-process.
    "siglip-b16": {"saturation_fraction": 0.90},
}
FILES = ("in-process", "saturation", "latency", "batching-off")


def load(model_dir):
    runs = {}
    for name in FILES:
        path = os.path.join(model_dir, name + ".json")
        if not os.path.exists(path):
            return None, path
        with open(path) as f:
            runs[name] = json.load(f)
    return runs, None


def best_step(run):
    return max(run["steps"], key=lambda s: s["throughput_per_s"])


def in_process_after(model_dir):
    """The in-process limit measured again after the server runs, where the suite did so."""
    path = os.path.join(model_dir, "in-process-after.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)["best"]


def phone(model_dir):
    """Step 5: 12 MP JPEGs at saturation, exact against fast preprocessing, where it ran."""
    best = {}
    for mode in ("exact", "fast"):
        path = os.path.join(model_dir, f"phone-{mode}.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            step = best_step(json.load(f))
        best[mode] = {"images_per_s": step["throughput_per_s"], "concurrency": step["concurrency"],
                      "p99_ms": step["latency_ms"]["p99_ms"],
                      "errors": sum(step["errors"].values())}
    exact = best["exact"]["images_per_s"]
    best["fast_over_exact"] = round(best["fast"]["images_per_s"] / exact, 2) if exact else None
    return best


def summarise(model, runs, after=None):
    in_process = dict(runs["in-process"]["best"])
    if after is not None:
        # The VM's speed drifts over the minutes between the two: the server runs are compared
        # with the mean of the limit measured just before and just after them.
        in_process["before_images_per_s"] = in_process["images_per_s"]
        in_process["after_images_per_s"] = after["images_per_s"]
        in_process["images_per_s"] = round((in_process["images_per_s"] + after["images_per_s"]) / 2, 2)
    saturated = best_step(runs["saturation"])
    unbatched = best_step(runs["batching-off"])
    sat = saturated["throughput_per_s"]
    off = unbatched["throughput_per_s"]
    summary = {
        "model": model,
        "in_process_images_per_s": in_process["images_per_s"],
        "in_process_batch_size": in_process["batch_size"],
        "in_process_before_after_images_per_s": (
            [in_process["before_images_per_s"], in_process["after_images_per_s"]]
            if after is not None else None),
        "saturation_images_per_s": sat,
        "saturation_concurrency": saturated["concurrency"],
        "saturation_p99_ms": saturated["latency_ms"]["p99_ms"],
        "saturation_mean_batch_size": (saturated["server"] or {}).get("mean_batch_size"),
        # The load generator's share of the machine there: CPU the server did not have.
        "saturation_client_cpu_share": saturated.get("client_cpu_share"),
        "batching_off_images_per_s": off,
        "saturation_fraction": round(sat / in_process["images_per_s"], 3),
        "batching_gain": round(sat / off, 3) if off else None,
        "errors": sum(sum(s["errors"].values()) for n in FILES[1:] for s in runs[n]["steps"]),
        "latency": [
            {
                "fraction_of_saturation": round(s["target_rate_per_s"] / sat, 2),
                "target_rate_per_s": s["target_rate_per_s"],
                "throughput_per_s": s["throughput_per_s"],
                "p50_ms": s["latency_ms"]["p50_ms"],
                "p99_ms": s["latency_ms"]["p99_ms"],
                "late_sends": s.get("late_sends"),
                "mean_batch_size": (s["server"] or {}).get("mean_batch_size"),
                "mean_queue_wait_ms": (s["server"] or {}).get("mean_queue_wait_ms"),
                "mean_batch_ms": (s["server"] or {}).get("mean_batch_ms"),
            }
            for s in runs["latency"]["steps"]
        ],
    }
    checks = {}
    for key, target in TARGETS.get(model, {}).items():
        value = summary[key]
        checks[key] = {"target": target, "value": value, "met": value is not None and value >= target}
    summary["targets"] = checks
    return summary


def markdown(summaries, run):
    lines = [
        f"Suite run {run.get('date')} on {run.get('machine', {}).get('cores')} cores"
        f" ({run.get('machine', {}).get('cpu')}), commit {str(run.get('commit'))[:10]},"
        f" `{run.get('command')}`" + (" (QUICK: smoke only, not a benchmark)" if run.get("quick") else ""),
        "",
        "| model | in-process (best batch) | server at saturation (callers) | p99 there"
        " | generator CPU there | batching off | served / in-process | batching gain |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        lines.append(
            f"| {s['model']} | {s['in_process_images_per_s']:,.0f}/s ({s['in_process_batch_size']})"
            f"{before_after(s)}"
            f" | {s['saturation_images_per_s']:,.0f}/s ({s['saturation_concurrency']})"
            f" | {s['saturation_p99_ms']} ms | {percent(s['saturation_client_cpu_share'])}"
            f" | {s['batching_off_images_per_s']:,.0f}/s"
            f" | {s['saturation_fraction']:.0%}{mark(s, 'saturation_fraction')}"
            f" | {s['batching_gain']}x{mark(s, 'batching_gain')} |"
        )
    lines += ["", "| model | load | offered | served | p50 | p99 | mean batch | queue wait | batch time | late sends |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in summaries:
        for l in s["latency"]:
            lines.append(
                f"| {s['model']} | {l['fraction_of_saturation']:.0%} | {l['target_rate_per_s']:,.0f}/s"
                f" | {l['throughput_per_s']:,.0f}/s | {l['p50_ms']} ms | {l['p99_ms']} ms"
                f" | {l['mean_batch_size']} | {l['mean_queue_wait_ms']} ms | {ms(l.get('mean_batch_ms'))}"
                f" | {l['late_sends']} |"
            )
    phones = [s for s in summaries if s.get("phone")]
    if phones:
        lines += ["", "12 MP phone JPEGs at saturation (best of the callers tried):", "",
                  "| model | exact (callers) | p99 | fast (callers) | p99 | fast / exact | errors |",
                  "|---|---|---|---|---|---|---|"]
        for s in phones:
            p = s["phone"]
            lines.append(
                f"| {s['model']} | {p['exact']['images_per_s']:,.1f}/s ({p['exact']['concurrency']})"
                f" | {p['exact']['p99_ms']} ms | {p['fast']['images_per_s']:,.1f}/s"
                f" ({p['fast']['concurrency']}) | {p['fast']['p99_ms']} ms | {p['fast_over_exact']}x"
                f" | {p['exact']['errors'] + p['fast']['errors']} |")
    return "\n".join(lines) + "\n"


def before_after(s):
    """' [before 4,957 / after 4,420]' where the limit was measured on both sides."""
    pair = s.get("in_process_before_after_images_per_s")
    return "" if not pair else f" [before {pair[0]:,.0f} / after {pair[1]:,.0f}]"


def ms(value):
    """A figure in ms, or '-' where the run did not report it (older zeroshot bench)."""
    return "-" if value is None else f"{value} ms"


def percent(share):
    return "-" if share is None else f"{share:.0%}"


def mark(summary, key):
    check = summary["targets"].get(key)
    if check is None:
        return ""
    return f" (target ≥ {check['target']:g}: {'met' if check['met'] else 'NOT met'})"


def plot(summaries, runs_by_model, path, run=None):
    fig, axes = plt.subplots(1, len(summaries), figsize=(6.5 * len(summaries), 4.8), squeeze=False)
    for ax, s in zip(axes[0], summaries):
        runs = runs_by_model[s["model"]]
        # Callers label the closed-loop points: batching on above its points, batching off below
        # them, so that the two series' labels at low load (often the same spot) do not overlap.
        series = [
            ("closed loop, batching on (point labels: callers)", runs["saturation"], "o-", "concurrency", (4, 5)),
            ("closed loop, batching off (point labels: callers)", runs["batching-off"], "s--", "concurrency", (4, -11)),
            ("open loop (Poisson), batching on", runs["latency"], "^-", None, None),
        ]
        for label, run_, style, key, offset in series:
            steps = sorted(run_["steps"], key=lambda st: st["throughput_per_s"])
            xs = [st["throughput_per_s"] for st in steps]
            ys = [max(st["latency_ms"]["p99_ms"], 1e-3) for st in steps]
            line = ax.plot(xs, ys, style, label=label)[0]
            if key:
                for st, x, y in zip(steps, xs, ys):
                    ax.annotate(str(st[key]), (x, y), textcoords="offset points", xytext=offset,
                                fontsize=7, color=line.get_color())
        ax.axvline(s["in_process_images_per_s"], color="grey", linestyle=":", label="in-process limit")
        ax.set_yscale("log")
        # Plain numbers at 1, 2 and 5 of each decade: a log axis spanning less than a decade
        # would otherwise show a single labelled tick (10^1).
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("throughput (images/s)")
        ax.set_ylabel("p99 latency (ms, log scale)")
        ax.set_title(s["model"])
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    if run:
        machine = run.get("machine", {})
        fig.suptitle(
            f"bench/run-suite.sh, {run.get('date', '?')}, commit {str(run.get('commit'))[:10]}; "
            f"{machine.get('cores', '?')} cores ({machine.get('cpu', '?')}), "
            f"{machine.get('memory', '?')} memory",
            fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "bench/target/results"
    run = {}
    if os.path.exists(os.path.join(results, "run.json")):
        with open(os.path.join(results, "run.json")) as f:
            run = json.load(f)
    summaries, runs_by_model = [], {}
    for model in sorted(os.listdir(results)):
        model_dir = os.path.join(results, model)
        if not os.path.isdir(model_dir):
            continue
        runs, missing = load(model_dir)
        if runs is None:
            print(f"plot.py: leaving out {model}: {missing} is missing", file=sys.stderr)
            continue
        runs_by_model[model] = runs
        summary = summarise(model, runs, in_process_after(model_dir))
        summary["phone"] = phone(model_dir)
        summaries.append(summary)
    if not summaries:
        print(f"plot.py: no complete model results in {results}", file=sys.stderr)
        return 1
    with open(os.path.join(results, "summary.json"), "w") as f:
        json.dump({"run": run, "models": summaries}, f, indent=1)
    table = markdown(summaries, run)
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write(table)
    plot(summaries, runs_by_model, os.path.join(results, "throughput-vs-p99.png"), run)
    print(table)
    print(f"wrote {results}/summary.json, summary.md, throughput-vs-p99.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
