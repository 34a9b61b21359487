#!/usr/bin/python3
"""Summarises bench/http-vs-grpc.sh: images/s, p50 and p99 per round and protocol, and HTTP's
share of gRPC's images/s (per round, and of the means). Usage: http_summary.py RESULTS_DIR."""
import json
import statistics
import sys
from pathlib import Path


def step(path: Path) -> dict:
    report = json.loads(path.read_text())
    return report["steps"][0]


def main(results: Path) -> None:
    rounds = sorted({int(p.stem.split("-")[1]) for p in results.glob("unary-*.json")})
    rows = []
    for r in rounds:
        grpc, http = step(results / f"unary-{r}.json"), step(results / f"http-{r}.json")
        rows.append((r, grpc, http))
    print("| round | gRPC images/s | p50 ms | p99 ms | HTTP/JSON images/s | p50 ms | p99 ms | HTTP / gRPC |")
    print("|---|---|---|---|---|---|---|---|")
    for r, g, h in rows:
        print(f"| {r} | {g['throughput_per_s']:.1f} | {g['latency_ms']['p50_ms']:.1f} | {g['latency_ms']['p99_ms']:.1f} "
              f"| {h['throughput_per_s']:.1f} | {h['latency_ms']['p50_ms']:.1f} | {h['latency_ms']['p99_ms']:.1f} "
              f"| {h['throughput_per_s'] / g['throughput_per_s']:.0%} |")
    g_mean = statistics.mean(g["throughput_per_s"] for _, g, _ in rows)
    h_mean = statistics.mean(h["throughput_per_s"] for _, _, h in rows)
    errors = sum(sum(g["errors"].values()) + sum(h["errors"].values()) for _, g, h in rows)
    print()
    print(f"mean over {len(rows)} rounds: gRPC {g_mean:.1f} images/s, HTTP/JSON {h_mean:.1f} images/s:"
          f" HTTP/JSON at {h_mean / g_mean:.0%} of gRPC; errors {errors}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
