#!/usr/bin/python3
"""Writes the ClassifyRequests of bench/http-vs-grpc.sh's wrk runs, one per line, in the proto3 JSON
mapping: every image of a folder (as `zeroshot bench --images` reads it: jpg, jpeg, png, gif, bmp,
webp, by name) in base64, with the same labels and top_k as its gRPC runs.
Usage: http_bodies.py IMAGE_DIR "label,label,..." TOP_K > bodies.ndjson"""
import base64
import json
import sys
from pathlib import Path

IMAGES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}


def main(folder: Path, labels: str, top_k: int) -> None:
    for image in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGES):
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        request = {"image": {"encoded": encoded}, "labels": labels.split(","), "topK": top_k}
        print(json.dumps(request, separators=(",", ":")))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
