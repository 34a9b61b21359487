"""Reference inputs and the embeddings this Python module gives them, for checking an export.

`samples/reference_embeddings.json` has the layout of models/tiny-clip's: `images` (file,
embedding) and `texts` (text, ids, embedding), embeddings L2-normalised. Images are preprocessed
here as OpenAI's `clip.load` transform does with Pillow (short side to 224 bicubic, centre crop,
RGB, /255, CLIP mean/std), so a server that reproduces both the preprocessing and the model
reproduces these vectors.
"""
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402
TEXTS = [
    "a photo of a cat.", "a photo of a dog", "A Diagram", "itap of a tabby cat.",
    "Hello,   World!!", "a photo of a hot-dog", "café crème", "emoji 😀 test",
    "a bad photo of the big orange star", "a red star " * 40,
]


def synthetic_images(seed=0):
    """Three deterministic PNG-able images: RGB 320x240, grayscale 200x300, RGBA 256x256."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:240, 0:320]
    rgb = np.stack([x * 255 // 319, y * 255 // 239, (x + y) * 255 // 558], -1).astype(np.uint8)
    rgb = Image.fromarray(rgb, "RGB")
    draw = ImageDraw.Draw(rgb)
    draw.ellipse((60, 40, 200, 180), fill=(220, 30, 40))
    draw.rectangle((210, 120, 300, 220), fill=(20, 40, 200))
    gray = Image.fromarray(rng.integers(0, 256, (300, 200), dtype=np.uint8), "L")
    ImageDraw.Draw(gray).polygon([(100, 20), (190, 280), (10, 280)], fill=255)
    rgba = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(rgba).regular_polygon((128, 128, 100), 5, fill=(250, 200, 0, 255))
    return {"synthetic_rgb.png": rgb, "synthetic_gray.png": gray, "synthetic_rgba.png": rgba}


def preprocess(image, size=224):
    """OpenAI's transform (modelformat.clip_preprocess) as a torch tensor [3, size, size]."""
    return torch.from_numpy(modelformat.clip_preprocess(image, size))


def _rounded(vector):
    return [round(float(v), 7) for v in vector]


def embed(model, tok, images, texts):
    """Normalised embeddings of PIL images and texts, and the texts' ids."""
    size, length = model.config.image_resolution, model.config.context_length
    pixels = torch.stack([preprocess(im, size) for im in images])
    ids = torch.tensor([tok.tokenize(t, length) for t in texts])
    with torch.no_grad():
        img = F.normalize(model.encode_image(pixels), dim=-1)
        txt = F.normalize(model.encode_text(ids), dim=-1)
    return img, txt, ids


def write(model, tok, folder, extra_images=()):
    """Writes the sample images and reference_embeddings.json; returns the JSON written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    images = synthetic_images()
    for name, image in images.items():
        image.save(folder / name)
    for path in extra_images:
        try:
            images[path.name] = Image.open(path)
            images[path.name].load()
        except OSError as e:
            raise SystemExit(f"error: {path}: cannot be read as an image ({e})")
        shutil.copy(path, folder / path.name)
    img, txt, ids = embed(model, tok, list(images.values()), TEXTS)
    reference = {
        "about": "Embeddings (L2-normalised float32) computed in Python by tools/clip (the "
                 "PyTorch module, before tracing) from these files and texts; preprocessing "
                 "as OpenAI's clip.load transform with Pillow. tools/clip/verify.py and the "
                 "Java tests compare served embeddings with them.",
        "images": [{"file": name, "embedding": _rounded(v)}
                   for name, v in zip(images, img)],
        "texts": [{"text": t, "ids": i.tolist(), "embedding": _rounded(v)}
                  for t, i, v in zip(TEXTS, ids, txt)],
    }
    (folder / "reference_embeddings.json").write_text(
        json.dumps(reference, ensure_ascii=False) + "\n", encoding="utf-8")
    return reference
