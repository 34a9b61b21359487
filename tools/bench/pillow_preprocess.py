#!/usr/bin/env python3
"""Pillow's CLIP preprocessing, exact and with draft(), timed on the files FastPreprocessBenchmark
wrote, and the combined table for docs/benchmarks.md.

Exact is CLIP's own transform on a PIL image: open, convert("RGB"), Resize(224, bicubic) on the
short side (long side truncated), CenterCrop(224), /255, (x - mean) / std in float32. Draft is the
same after Image.draft("RGB", (2 * target width, 2 * target height)), libjpeg's DCT scaling to the
smallest 1/2, 1/4 or 1/8 that keeps both sides at least that size, and the resize goes to the
exact decode's output size, as the server's fast mode does. One thread, bytes in memory.

    /usr/bin/python3 tools/bench/pillow_preprocess.py server/target/benchmarks
"""
import io
import json
import pathlib
import statistics
import sys
import time

import numpy as np
import PIL
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

N = 224
MEAN = np.array(modelformat.CLIP_MEAN, dtype=np.float32)
STD = np.array(modelformat.CLIP_STD, dtype=np.float32)


def target(w, h):
    # torchvision Resize(int): short side N, long side int(N * long / short).
    return modelformat.clip_resized_size(w, h, N)


def crop_pixels(data, draft):
    im = Image.open(io.BytesIO(data))
    full = im.size
    ow, oh = target(*full)
    if draft and im.format == "JPEG":
        im.draft("RGB", (2 * ow, 2 * oh))
    im = im.convert("RGB").resize((ow, oh), Image.BICUBIC)
    return np.asarray(im.crop(modelformat.clip_crop_box(ow, oh, N)), dtype=np.uint8)


def tensor(data, draft):
    x = crop_pixels(data, draft).astype(np.float32) / np.float32(255)
    return ((x - MEAN) / STD).transpose(2, 0, 1).copy()


def time_ms(data, draft, runs):
    for _ in range(max(5, runs // 5)):
        tensor(data, draft)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        tensor(data, draft)
        samples.append((time.perf_counter() - t0) * 1000)
    return {"p50": round(statistics.median(samples), 2), "mean": round(statistics.mean(samples), 2)}


def main():
    bench = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "server/target/benchmarks")
    java = json.loads((bench / "preprocess-fast.json").read_text())
    rows = []
    for name, j in java["images"].items():
        data = (bench / "preprocess-fast" / name).read_bytes()
        diff = np.abs(crop_pixels(data, True).astype(int) - crop_pixels(data, False).astype(int))
        drafted = Image.open(io.BytesIO(data))
        drafted.draft("RGB", tuple(2 * s for s in target(*drafted.size)))
        rows.append({
            "image": name, "size": j["size"], "bytes": j["bytes"], "runs": j["runs"],
            "java_exact": j["exact_ms"], "java_fast": j["fast_ms"],
            "java_fast_decoded": j["fast_decoded_size"],
            "java_max": j["fast_vs_exact_max_levels"], "java_mean": j["fast_vs_exact_mean_levels"],
            "pillow_exact": time_ms(data, False, j["runs"]),
            "pillow_draft": time_ms(data, True, j["runs"]),
            "pillow_draft_size": "%dx%d" % drafted.size,
            "pillow_max": int(diff.max()), "pillow_mean": round(float(diff.mean()), 4),
        })
    out = {"pillow": PIL.__version__, "numpy": np.__version__, "java": java, "rows": rows}
    (bench / "preprocess-fast-pillow.json").write_text(json.dumps(out, indent=2))
    print("| image | Java exact | Java fast (decoded at) | Pillow exact | Pillow draft (decoded at)"
          " | fast vs exact: max / mean levels | draft vs exact: max / mean levels |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.2f | %.2f (%s) | %.2f | %.2f (%s) | %g / %.3f | %d / %.3f |" % (
            r["image"], r["java_exact"]["p50"], r["java_fast"]["p50"], r["java_fast_decoded"],
            r["pillow_exact"]["p50"], r["pillow_draft"]["p50"], r["pillow_draft_size"],
            r["java_max"], r["java_mean"], r["pillow_max"], r["pillow_mean"]))
    print("ms per image per thread, p50; Pillow %s, numpy %s" % (PIL.__version__, np.__version__))


if __name__ == "__main__":
    main()
