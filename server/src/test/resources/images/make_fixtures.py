"""Generates the image fixtures for zeroshot.server.model.image tests.

Every fixture is drawn from a formula, so the Java tests recompute the expected
pixels instead of trusting a decoder. The *.f32 files are what OpenAI CLIP's
preprocessing (Resize(n, filter) on the short side, CenterCrop(n), convert("RGB"),
/255, Normalize(CLIP mean, std)) makes on this machine's Pillow: float32
little-endian, shape [3, n, n].

Rerun from the repository root with Debian's Pillow 9.4 (the `python3` on PATH
has no PIL):

    /usr/bin/python3 server/src/test/resources/images/make_fixtures.py

The output is deterministic for a given Pillow/libjpeg/libwebp build; JPEG and
lossy WebP bytes may differ between builds, which the tests tolerate.
"""

import io
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps, features

OUT = os.path.dirname(os.path.abspath(__file__))
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def save(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def encode(img, fmt, **kwargs):
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


# --- patterns, mirrored in ImageFixtures.java -------------------------------


def pattern_rgb(w, h):
    """r = 16x + 5, g = 20y + 7, b = (37x + 53y) mod 256 (x < 16, y < 12)."""
    a = np.zeros((h, w, 3), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x] = (16 * x + 5, 20 * y + 7, (37 * x + 53 * y) % 256)
    return a


def pattern_alpha(w, h):
    """alpha = (16x + 11y) mod 256: includes 0, partial and 255 values."""
    return np.array(
        [[(16 * x + 11 * y) % 256 for x in range(w)] for y in range(h)], dtype=np.uint8
    )


def photo_like(w, h):
    """Smooth gradients plus hard edges, so every filter tap matters."""
    a = np.zeros((h, w, 3), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x, 0] = (x * 255) // (w - 1)
            a[y, x, 1] = (y * 255) // (h - 1)
            a[y, x, 2] = 230 if ((x // 7) + (y // 5)) % 2 else 20
    return a


QUADRANTS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]


def quadrants(w, h):
    """Top-left red, top-right green, bottom-left blue, bottom-right white."""
    a = np.zeros((h, w, 3), dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x] = QUADRANTS[(2 if y >= h // 2 else 0) + (1 if x >= w // 2 else 0)]
    return a


# --- CLIP reference preprocessing --------------------------------------------


def clip_tensor(img, n, resample):
    w, h = img.size
    if w <= h:
        size = (n, int(n * h / w))
    else:
        size = (int(n * w / h), n)
    img = img.resize(size, resample)
    w, h = img.size
    top = int(round((h - n) / 2.0))
    left = int(round((w - n) / 2.0))
    img = img.crop((left, top, left + n, top + n)).convert("RGB")
    x = np.asarray(img, dtype=np.uint8).astype(np.float32) / np.float32(255)
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)).astype("<f4").tobytes()


# --- hand-written PNG for modes Pillow cannot save (16-bit RGB) --------------


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_rgb16(w, h):
    rows = b""
    for y in range(h):
        rows += b"\x00"
        for x in range(w):
            rows += struct.pack(">HHH", 4000 * x + 77, 5000 * y + 99, 65535 - 3000 * x)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


# Inverse of ImageOps.exif_transpose, so the stored pixels display as drawn.
STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def main():
    w, h = 16, 12
    rgb = Image.fromarray(pattern_rgb(w, h), "RGB")
    rgba = Image.fromarray(np.dstack([pattern_rgb(w, h), pattern_alpha(w, h)]), "RGBA")

    # Lossless formats: exact pattern.
    save("rgb8.png", encode(rgb, "PNG"))
    save("rgba8.png", encode(rgba, "PNG"))
    save("gray8.png", encode(rgb.getchannel("R"), "PNG"))
    la = Image.merge("LA", [rgb.getchannel("R"), rgb.getchannel("G")])
    save("gray_alpha.png", encode(la, "PNG"))
    gray16 = np.array(
        [[4000 * x + 300 * y + 77 for x in range(w)] for y in range(h)], dtype=np.uint16
    )
    save("gray16.png", encode(Image.fromarray(gray16, "I;16"), "PNG"))
    save("rgb16.png", png_rgb16(w, h))
    save("image.bmp", encode(rgb, "BMP"))

    palette = Image.new("P", (w, h))
    palette.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
    palette.putdata([((x // 4) + (y // 4)) % 4 for y in range(h) for x in range(w)])
    save("palette_trns.png", encode(palette, "PNG", transparency=bytes([255, 128, 0, 255])))

    # GIF: frame 0 is the palette pattern, frame 1 is solid yellow.
    frame1 = Image.new("P", (w, h), 3)
    frame1.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
    save("two_frames.gif", encode(palette, "GIF", save_all=True, append_images=[frame1]))

    if features.check("webp"):
        save("lossless.webp", encode(rgba, "WEBP", lossless=True, exact=True))
        save("lossy.webp", encode(Image.fromarray(quadrants(32, 32)), "WEBP", quality=90))

    # Lossy and metadata-driven formats: blocky patterns, checked with a tolerance.
    quads = Image.fromarray(quadrants(32, 24), "RGB")
    save("quadrants.jpg", encode(quads, "JPEG", quality=95))
    save("gray.jpg", encode(quads.convert("L"), "JPEG", quality=95))
    cmyk = Image.new("CMYK", (32, 24))
    cmyk.paste((0, 0, 0, 0), (0, 0, 16, 12))  # white
    cmyk.paste((255, 0, 0, 0), (16, 0, 32, 12))  # cyan
    cmyk.paste((0, 255, 0, 0), (0, 12, 16, 24))  # magenta
    cmyk.paste((0, 0, 0, 255), (16, 12, 32, 24))  # black
    save("cmyk.jpg", encode(cmyk, "JPEG", quality=95))
    for orientation, op in STORE_FOR_ORIENTATION.items():
        stored = quads if op is None else quads.transpose(op)
        exif = Image.Exif()
        exif[0x0112] = orientation
        data = encode(stored, "JPEG", quality=95, exif=exif.tobytes())
        shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        assert shown.size == quads.size, (orientation, shown.size)
        save("exif_orientation_%d.jpg" % orientation, data)

    # Truncated files: cut in the middle of the compressed data.
    big = Image.fromarray(photo_like(96, 64), "RGB")
    png = encode(big, "PNG")
    save("truncated.png", png[: len(png) // 2])
    jpg = encode(big, "JPEG", quality=90)
    save("truncated.jpg", jpg[: len(jpg) // 2])
    save("image.tiff", encode(rgb, "TIFF"))

    # Resize references: downscale 96x64 and upscale 20x30 to 32, every filter.
    save("photo_96x64.png", png)
    filters = {
        "bicubic": Image.Resampling.BICUBIC,
        "bilinear": Image.Resampling.BILINEAR,
        "nearest": Image.Resampling.NEAREST,
    }
    for name, resample in filters.items():
        save("photo_96x64.%s32.f32" % name, clip_tensor(big, 32, resample))
    small = Image.fromarray(photo_like(20, 30), "RGB")
    save("photo_20x30.png", encode(small, "PNG"))
    save("photo_20x30.bicubic32.f32", clip_tensor(small, 32, Image.Resampling.BICUBIC))
    alpha = np.array(
        [[(7 * x + 13 * y) % 256 for x in range(96)] for y in range(64)], dtype=np.uint8
    )
    translucent = Image.fromarray(np.dstack([photo_like(96, 64), alpha]), "RGBA")
    save("translucent_96x64.png", encode(translucent, "PNG"))
    save(
        "translucent_96x64.bicubic32.f32",
        clip_tensor(translucent, 32, Image.Resampling.BICUBIC),
    )


if __name__ == "__main__":
    main()
