#!/usr/bin/python3
"""Summarises bench/http-vs-grpc.sh: per round, images/s with p50 and p99 for gRPC, HTTP/JSON
driven by wrk and HTTP/JSON driven by the JDK's HttpClient, and HTTP's share of gRPC's images/s;
then the means. Usage: http_summary.py RESULTS_DIR."""
import json
import statistics
import sys
from pathlib import Path


def figures(path: Path) -> tuple[float, float, float, int]:
    """Images/s answered OK, p50 and p99 in ms, errors."""
    data = json.loads(path.read_text())
    if "steps" in data:  # zeroshot bench
        step = data["steps"][0]
        lat = step["latency_ms"]
        return step["throughput_per_s"], lat["p50_ms"], lat["p99_ms"], sum(step["errors"].values())
    lat = data["latency_ms"]  # wrk, through bench/http-classify.lua
    return data["ok_per_s"], lat["p50_ms"], lat["p99_ms"], data["socket_errors"] + data["non_2xx"]


def main(results: Path) -> None:
    rounds = sorted(int(p.stem.split("-")[1]) for p in results.glob("grpc-*.json"))
    kinds = [("grpc", "gRPC"), ("http", "HTTP/JSON, wrk"), ("http-java", "HTTP/JSON, JDK client")]
    table = {k: [figures(results / f"{k}-{r}.json") for r in rounds] for k, _ in kinds}
    head = " | ".join(f"{name} images/s | p50 ms | p99 ms" for _, name in kinds)
    print(f"| round | {head} | wrk / gRPC | JDK / gRPC |")
    print("|---" * (2 + 3 * len(kinds) + 1) + "|")
    for i, r in enumerate(rounds):
        cells = " | ".join(
            f"{t:.1f} | {p50:.1f} | {p99:.1f}" for t, p50, p99, _ in (table[k][i] for k, _ in kinds))
        grpc = table["grpc"][i][0]
        print(f"| {r} | {cells} | {table['http'][i][0] / grpc:.0%} | {table['http-java'][i][0] / grpc:.0%} |")
    print()
    means = {k: statistics.mean(row[0] for row in table[k]) for k, _ in kinds}
    errors = sum(row[3] for k, _ in kinds for row in table[k])
    print(f"mean over {len(rounds)} rounds: gRPC {means['grpc']:.1f} images/s; HTTP/JSON"
          f" {means['http']:.1f} (wrk, {means['http'] / means['grpc']:.0%} of gRPC),"
          f" {means['http-java']:.1f} (JDK client, {means['http-java'] / means['grpc']:.0%});"
          f" errors {errors}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
