#!/usr/bin/env python3
"""Writes phone-size JPEGs for the suite's exact-vs-fast preprocessing step (issue 15).

CLIP's reference photos (tools/clip/tests/preprocess in the repository) scaled bicubically to
4032x3024 or 3024x4032, JPEG quality 90 with 4:2:0 chroma, as a 12-megapixel phone camera writes
them; nothing large is committed. Usage: phone_jpegs.py PHOTO_DIR OUT_DIR
"""
import os
import sys

from PIL import Image

SIZES = {"rocket.jpg": (4032, 3024), "chelsea.png": (3024, 4032), "horse.png": (4032, 3024),
         "camera.png": (3024, 4032)}


def main():
    photos, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name, size in SIZES.items():
        target = os.path.join(out, os.path.splitext(name)[0] + f"_{size[0]}x{size[1]}.jpg")
        if os.path.exists(target):
            continue
        image = Image.open(os.path.join(photos, name)).convert("RGB")
        image.resize(size, Image.BICUBIC).save(target, quality=90, subsampling="4:2:0")
        print(f"wrote {target} ({os.path.getsize(target) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
