"""What the model tools share about the model format (docs/model-format.md): CLIP's image
preprocessing, the model.json image object that describes it, and how model.json is written.

tools/clip and tools/tinyclip preprocess their reference images and describe their models with it;
tools/siglip and tools/precision write their model.json with it. Import it with the tool's own
folder's sibling on the path:

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
    import modelformat
"""
import json
from pathlib import Path

import numpy as np
from PIL import Image

# OpenAI CLIP's normalisation, per RGB channel.
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def clip_resized_size(width, height, size):
    """torchvision's Resize(size) on a PIL image: the short side to `size`, the long side
    scaled and truncated. Returns (width, height)."""
    if width <= height:
        return size, int(size * height / width)
    return int(size * width / height), size


def clip_crop_box(width, height, size):
    """CenterCrop(size) of a `width` x `height` image, offsets rounded: (left, top, right,
    bottom)."""
    left = int(round((width - size) / 2.0))
    top = int(round((height - size) / 2.0))
    return left, top, left + size, top + size


def clip_preprocess(image, size):
    """OpenAI's clip.load transform on a PIL image: Resize(size, BICUBIC) on the short side,
    CenterCrop(size), convert("RGB") (after the crop, as _convert_image_to_rgb), /255,
    Normalize(CLIP mean, std). Returns float32 [3, size, size], channel-major: bit for bit what
    clip.load gives (tools/clip/tests/preprocess)."""
    image = image.resize(clip_resized_size(*image.size, size), Image.BICUBIC)
    image = image.crop(clip_crop_box(*image.size, size)).convert("RGB")
    pixels = np.asarray(image, dtype=np.float32) / np.float32(255.0)
    mean = np.asarray(CLIP_MEAN, dtype=np.float32)
    std = np.asarray(CLIP_STD, dtype=np.float32)
    return ((pixels - mean) / std).transpose(2, 0, 1)


def clip_image(torchscript, method, size, mean=CLIP_MEAN, std=CLIP_STD):
    """model.json's `image` object for CLIP's preprocessing at `size` pixels."""
    return {
        "torchscript": torchscript, "method": method,
        "size": size,
        "resize": {"shortest_edge": size, "interpolation": "bicubic"},
        "crop": {"type": "center", "size": size},
        "mean": [float(v) for v in mean], "std": [float(v) for v in std],
    }


def write_model_json(directory, manifest):
    """Writes `manifest` as `directory`/model.json: two-space indents, keys in the given order,
    non-ASCII escaped, a final newline. Returns the path."""
    path = Path(directory) / "model.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
