"""Training and evaluation data: Fashion-MNIST from Debian's package, shapes rendered here, and
the one preprocessing function that training, evaluation and the server all follow."""
import gzip
import os

import numpy as np
from PIL import Image

import shapes

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
IMAGE_SIZE = 32
# CLIP's mean and std: the tiny model uses them so that its manifest reads like a real CLIP's.
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(img, size=IMAGE_SIZE):
    """CLIP's reference transform: bicubic resize of the short side (long side truncated),
    centre crop with rounded offsets, RGB, /255, normalise. Returns float32 [3, size, size]."""
    w, h = img.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    img = img.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    img = img.crop((left, top, left + size, top + size)).convert("RGB")
    arr = np.asarray(img, dtype=np.float32) / np.float32(255.0)
    return ((arr - MEAN) / STD).transpose(2, 0, 1)


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


def shape_set(rng, pairs, per_pair):
    """Rendered shapes: (float32 [N,3,32,32], colour index [N], shape index [N])."""
    xs, cs, ss = [], [], []
    for _ in range(per_pair):
        for c, s in pairs:
            xs.append(preprocess(shapes.render(rng, c, s)))
            cs.append(shapes.COLOUR_NAMES.index(c))
            ss.append(shapes.SHAPES.index(s))
    return np.stack(xs), np.array(cs), np.array(ss)
