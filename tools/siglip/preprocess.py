"""SigLIP's and SigLIP 2's image preprocessing with Pillow, as transformers' Pillow-based
processors compute it (SiglipImageProcessor, Siglip2ImageProcessor), written from the facts.

- Fixed resolution: resize the whole image to size x size (aspect ratio not kept, no crop;
  Pillow's filter, antialiased when shrinking), x (1/255) in float64, cast to float32,
  (x - mean) / std in float32, channels first.
- NaFlex: the size rule of `naflex_size`, one Pillow resize to it, the same arithmetic, then
  patches in row-major order, each flattened as (row, column, channel), zero rows appended up to
  max_num_patches, a mask of the real patches and the (patch rows, patch columns).
Grey, palette and RGBA images are converted to RGB with Pillow's `convert("RGB")` first (alpha
dropped); transformers' processors only do that when the checkpoint sets do_convert_rgb.
"""
import math

import numpy as np
from PIL import Image

INTERPOLATIONS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR,
                  "nearest": Image.NEAREST}
# preprocessor_config.json `resample` (PIL's numbering) -> model.json interpolation
RESAMPLE_NAMES = {0: "nearest", 2: "bilinear", 3: "bicubic"}


def _normalise(image, mean, std):
    """uint8 H x W x 3 -> float32 H x W x 3, as the processors compute it."""
    x = (np.asarray(image, dtype=np.uint8).astype(np.float64) * (1 / 255)).astype(np.float32)
    return (x - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)


def _rgb(image):
    return image if image.mode == "RGB" else image.convert("RGB")


def fixed(image, size, interpolation="bicubic", mean=(0.5,) * 3, std=(0.5,) * 3):
    """A PIL image -> float32 [3, size, size]."""
    image = _rgb(image).resize((size, size), INTERPOLATIONS[interpolation])
    return np.ascontiguousarray(_normalise(image, mean, std).transpose(2, 0, 1))


def naflex_size(height, width, patch_size, max_num_patches, eps=1e-5):
    """(target height, target width): the largest scale found by bisection in [eps/10, 100],
    to within eps, at which the sides, each rounded up to whole patches (at least one), give
    at most max_num_patches patches. The lower end of the final interval is used."""
    def scaled(scale, side):
        return max(patch_size, int(math.ceil(side * scale / patch_size) * patch_size))

    low, high = eps / 10, 100.0
    while high - low >= eps:
        mid = (low + high) / 2
        rows = scaled(mid, height) // patch_size
        cols = scaled(mid, width) // patch_size
        if rows * cols <= max_num_patches:
            low = mid
        else:
            high = mid
    return scaled(low, height), scaled(low, width)


def naflex(image, patch_size=16, max_num_patches=256, interpolation="bilinear",
           mean=(0.5,) * 3, std=(0.5,) * 3):
    """A PIL image -> (patches float32 [P, 3p^2], mask int64 [P], spatial shape int64 [2]),
    P = max_num_patches."""
    image = _rgb(image)
    height, width = naflex_size(image.height, image.width, patch_size, max_num_patches)
    x = _normalise(image.resize((width, height), INTERPOLATIONS[interpolation]), mean, std)
    rows, cols = height // patch_size, width // patch_size
    x = x.reshape(rows, patch_size, cols, patch_size, 3).transpose(0, 2, 1, 3, 4)
    patches = np.zeros((max_num_patches, patch_size * patch_size * 3), dtype=np.float32)
    patches[:rows * cols] = x.reshape(rows * cols, -1)
    mask = np.zeros(max_num_patches, dtype=np.int64)
    mask[:rows * cols] = 1
    return patches, mask, np.array([rows, cols], dtype=np.int64)


def batch(images, image_config):
    """The encode_image arguments (NumPy) for PIL images under a model.json `image` object."""
    mean, std = image_config["mean"], image_config["std"]
    interpolation = image_config["resize"]["interpolation"]
    if "patches" in image_config:
        p = image_config["patches"]
        out = [naflex(im, p["patch_size"], p["max_num_patches"], interpolation, mean, std)
               for im in images]
        return tuple(np.stack(parts) for parts in zip(*out))
    return (np.stack([fixed(im, image_config["size"], interpolation, mean, std)
                      for im in images]),)
