"""Throughput of Client.classify_many against a running server (issue 24, point 4).

    /usr/bin/python3 clients/python/bench/classify_many_bench.py --target 127.0.0.1:50051 \\
        --images models/tiny-clip/samples --labels "red star,blue circle,green square,sneaker,bag" \\
        --template "a photo of a {}" --max-in-flight 64 --warmup 5 --duration 20

Sends the images of the folder (PNG and JPEG, read once into memory, cycled) over one
ClassifyStream with at most --max-in-flight ahead, discards the warm-up, and prints one JSON
line: images per second, errors, and the client process's CPU seconds per image. Compare with
`zeroshot bench --rpc stream --mode closed --concurrency 64 --streams 1` (the Java client) on the
same server, images and labels.
"""
import argparse
import itertools
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))
from zeroshot_client import Client, ItemError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--images", type=pathlib.Path, required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--template", default=None)
    parser.add_argument("--max-in-flight", type=int, default=64)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, discarded")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    args = parser.parse_args()

    files = sorted(p for p in args.images.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    images = [p.read_bytes() for p in files]
    labels = [label.strip() for label in args.labels.split(",")]
    with Client(args.target) as client:
        results = client.classify_many(itertools.cycle(images), labels=labels,
                                       template=args.template, max_in_flight=args.max_in_flight)
        start = time.monotonic()
        warm_until = start + args.warmup
        end = warm_until + args.duration
        counted = errors = 0
        cpu_start = None
        for result in results:
            now = time.monotonic()
            if now >= end:
                break
            if now < warm_until:
                continue
            if cpu_start is None:
                cpu_start = time.process_time()
            counted += 1
            errors += isinstance(result, ItemError)
        cpu = time.process_time() - (cpu_start or time.process_time())
        results.close()
    print(json.dumps({
        "client": "python classify_many", "max_in_flight": args.max_in_flight,
        "duration_s": args.duration, "images": counted, "errors": errors,
        "images_per_s": round(counted / args.duration, 1),
        "client_cpu_ms_per_image": round(1000 * cpu / max(counted, 1), 3),
        "cores": os.cpu_count(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
