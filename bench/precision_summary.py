#!/usr/bin/env python3
"""The tables of bench/precision.sh's results folder, as Markdown on stdout.

    /usr/bin/python3 bench/precision_summary.py bench/target/precision/results
"""
import json
import sys
from pathlib import Path

PRECISIONS = ("float32", "bfloat16", "int8")


def load(path):
    return json.loads(path.read_text()) if path.is_file() else None


def main(results):
    results = Path(results)
    print(f"CPU: {(results / 'cpu.txt').read_text().strip()}; commit "
          f"{(results / 'commit.txt').read_text().strip()[:7]}\n")
    print("| model | precision | in-process batch 1 | in-process batch 8 | served at saturation "
          "(callers) | served / float32 | p50 / p99 at half load | image cosine min / mean "
          "| text cosine min / mean |")
    print("|---|---|---|---|---|---|---|---|---|")
    for model in ("tiny-clip", "vit-b-32"):
        base_served = None
        for precision in PRECISIONS:
            stem = results / f"{model}-{precision}"
            in_process = load(Path(f"{stem}.in-process.json"))
            saturation = load(Path(f"{stem}.saturation.json"))
            if in_process is None or saturation is None:
                continue
            rates = {b["batch_size"]: b["images_per_s"] for b in in_process["batch_sizes"]}
            best = max(saturation["steps"], key=lambda s: s["throughput_per_s"])
            served = best["throughput_per_s"]
            errors = sum(sum(s["errors"].values()) for s in saturation["steps"])
            if precision == "float32":
                base_served = served
            ratio = f"{served / base_served:.2f}x" if base_served else "-"
            half = load(Path(f"{stem}.half-load.json"))
            latency = "-"
            if half is not None:
                lat = half["steps"][0]["latency_ms"]
                latency = f"{lat['p50_ms']:.1f} / {lat['p99_ms']:.1f} ms"
            agreement = load(Path(f"{stem}.agreement.json"))
            image = text = "1 (reference)"
            if agreement is not None:
                image = (f"{agreement['images']['min_cosine']:.4f} / "
                         f"{agreement['images']['mean_cosine']:.4f}")
                text = (f"{agreement['texts']['min_cosine']:.4f} / "
                        f"{agreement['texts']['mean_cosine']:.4f}")
            print(f"| {model} | {precision} | {rates.get(1, '-')}/s | {rates.get(8, '-')}/s | "
                  f"{served:.1f}/s ({best['concurrency']}){' ' + str(errors) + ' errors' if errors else ''} | "
                  f"{ratio} | {latency} | {image} | {text} |")
    for model in ("tiny-clip", "vit-b-32"):
        for precision in PRECISIONS:
            profile = results / f"{model}-{precision}.profile.md"
            if profile.is_file():
                print(f"\nWhere {model} {precision}'s image encoder spends its time (batch 8, one "
                      "thread, libtorch's profiler):\n")
                print(profile.read_text().strip())
    accuracy = load(results / "tiny-clip.accuracy.json")
    if accuracy:
        print("\n| tiny-clip copy | Fashion-MNIST test | seen pairs | held-out pairs | "
              "held-out colour only | held-out shape only |")
        print("|---|---|---|---|---|---|")
        for name, figures in accuracy.items():
            print(f"| {name} | " + " | ".join(f"{figures[k]:.2f} %" for k in (
                "fashion_mnist_test", "shapes_seen", "shapes_held_out", "held_out_colour_only",
                "held_out_shape_only")) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/target/precision/results")
