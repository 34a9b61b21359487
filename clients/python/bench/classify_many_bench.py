"""Throughput of Client.classify_many (or, with --async, AsyncClient's) against a running server (issue 24, point 4).

    /usr/bin/python3 clients/python/bench/classify_many_bench.py --target 127.0.0.1:50051 \\
        --images models/tiny-clip/samples --labels "red star,blue circle,green square,sneaker,bag" \\
        --template "a photo of a {}" --max-in-flight 64 --warmup 5 --duration 20

Sends the images of the folder (PNG and JPEG, read once into memory, cycled) over one
ClassifyStream with at most --max-in-flight unanswered, discards the warm-up, and prints one JSON
line: images per second, errors, and the client process's CPU seconds per image. Compare with
`zeroshot bench --rpc stream --mode closed --concurrency 64 --streams 1` (the Java client) on the
same server, images and labels.
"""
import argparse
import asyncio
import itertools
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))
from zeroshot_client import AsyncClient, Client, ItemError  # noqa: E402


class _Meter:
    """Counts the results that arrive in the measured window, and the client's CPU time then."""

    def __init__(self, warmup: float, duration: float) -> None:
        start = time.monotonic()
        self.warm_until = start + warmup
        self.end = self.warm_until + duration
        self.counted = self.errors = 0
        self.cpu_start = None

    def take(self, result) -> bool:
        """Records one result; False once the measured window is over."""
        now = time.monotonic()
        if now >= self.end:
            return False
        if now >= self.warm_until:
            if self.cpu_start is None:
                self.cpu_start = time.process_time()
            self.counted += 1
            self.errors += isinstance(result, ItemError)
        return True

    def totals(self):
        cpu = time.process_time() - (self.cpu_start or time.process_time())
        return self.counted, self.errors, cpu


def _measure(args, images, labels):
    with Client(args.target) as client:
        results = client.classify_many(images, labels=labels, template=args.template,
                                       max_in_flight=args.max_in_flight)
        meter = _Meter(args.warmup, args.duration)
        for result in results:
            if not meter.take(result):
                break
        totals = meter.totals()
        results.close()
    return totals


def _measure_async(args, images, labels):
    async def run():
        async with AsyncClient(args.target) as client:
            results = client.classify_many(images, labels=labels, template=args.template,
                                           max_in_flight=args.max_in_flight)
            meter = _Meter(args.warmup, args.duration)
            async for result in results:
                if not meter.take(result):
                    break
            totals = meter.totals()
            await results.aclose()
        return totals
    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--images", type=pathlib.Path, required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--template", default=None)
    parser.add_argument("--max-in-flight", type=int, default=64)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, discarded")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--async", dest="use_async", action="store_true",
                        help="AsyncClient.classify_many (grpc.aio) instead of Client's")
    args = parser.parse_args()

    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    images = [p.read_bytes() for p in files]
    labels = [label.strip() for label in args.labels.split(",")]
    measure = _measure_async if args.use_async else _measure
    counted, errors, cpu = measure(args, itertools.cycle(images), labels)
    print(json.dumps({
        "client": f"python {'AsyncClient' if args.use_async else 'Client'}.classify_many",
        "max_in_flight": args.max_in_flight,
        "duration_s": args.duration, "images": counted, "errors": errors,
        "images_per_s": round(counted / args.duration, 1),
        "client_cpu_ms_per_image": round(1000 * cpu / max(counted, 1), 3),
        "cores": os.cpu_count(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
