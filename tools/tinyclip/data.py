"""Training and evaluation data: Fashion-MNIST from Debian's package, shapes rendered here, and
the one preprocessing function that training, evaluation and the server all follow."""
import gzip
import os
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import shapes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
IMAGE_SIZE = 32
# CLIP's mean and std: the tiny model uses them so that its manifest reads like a real CLIP's
# (written as these float32 values widened, as models/tiny-clip/model.json has them).
MEAN = np.array(modelformat.CLIP_MEAN, dtype=np.float32)
STD = np.array(modelformat.CLIP_STD, dtype=np.float32)


def preprocess(img, size=IMAGE_SIZE):
    """CLIP's reference transform (modelformat.clip_preprocess): float32 [3, size, size]."""
    return modelformat.clip_preprocess(img, size)


def _read_idx(name):
    with gzip.open(os.path.join(FASHION_DIR, name), "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion(split):
    """(uint8 images [N,28,28], labels [N]) of the 'train' or 't10k' split."""
    return (_read_idx(f"{split}-images-idx3-ubyte.gz"), _read_idx(f"{split}-labels-idx1-ubyte.gz"))


def fashion_tensors(images):
    return np.stack([preprocess(Image.fromarray(a, "L")) for a in images])


def resized(img, size=IMAGE_SIZE):
    """CLIP's resize and centre crop alone: uint8 [size, size, 3], what `normalise` expects.
    normalise(resized(img)) is preprocess(img) bit for bit, at a quarter of the memory."""
    img = img.resize(modelformat.clip_resized_size(*img.size, size), Image.BICUBIC)
    return np.asarray(img.crop(modelformat.clip_crop_box(*img.size, size)).convert("RGB"))


def normalise(pixels):
    """uint8 [N, H, W, 3] tensor -> float32 [N, 3, H, W], CLIP's /255 and mean/std."""
    x = pixels.to(torch.float32) / 255.0
    return ((x - torch.from_numpy(MEAN)) / torch.from_numpy(STD)).permute(0, 3, 1, 2).contiguous()


def shape_set(rng, pairs, per_pair, size=None, background=None, diameters=shapes.DIAMETERS):
    """Rendered shapes: (uint8 [N,32,32,3] for `normalise`, colour index [N], shape index [N])."""
    xs, cs, ss = [], [], []
    for _ in range(per_pair):
        for c, s in pairs:
            xs.append(resized(shapes.render(rng, c, s, size, background, diameters)))
            cs.append(shapes.COLOUR_NAMES.index(c))
            ss.append(shapes.SHAPES.index(s))
    return np.stack(xs), np.array(cs), np.array(ss)


def neutral_set(rng, per_shape, unnamed=0.0):
    """Shapes in white, grey or black, a share `unnamed` of them in colours no caption names:
    (uint8 images, shape index)."""
    xs, ss = [], []
    for _ in range(per_shape):
        for si, s in enumerate(shapes.SHAPES):
            xs.append(resized(shapes.render_neutral(rng, s, unnamed=unnamed)))
            ss.append(si)
    return np.stack(xs), np.array(ss)
