"""Sample images and the embeddings this Python module gives them, for checking an export.

`samples/` gets the three reference images of tests/reference/siglip_inputs.npz as PNG (a
224 x 224 ramp, 160 x 240 noise, a 96 x 288 pattern: square, landscape and very wide, so NaFlex
exports see three different patch grids) and `reference_embeddings.json`:
`{"images": [{"file": "samples/ramp.png", "embedding": [...]}], "texts": []}`, embeddings
L2-normalised, computed by the PyTorch module (before scripting) from the PNG files as written,
preprocessed by preprocess.py with Pillow as transformers' Pillow-based processors do. No texts:
there is no SentencePiece tokenizer in this Python code to give their ids.
"""
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

import preprocess

REFERENCE_INPUTS = Path(__file__).resolve().parent / "tests" / "reference" / "siglip_inputs.npz"
SAMPLE_IMAGES = {"ramp.png": "image0_uint8", "noise.png": "image1_uint8",
                 "pattern.png": "image2_uint8"}


def images():
    """{file name: PIL RGB image} of the three reference images."""
    with np.load(REFERENCE_INPUTS) as data:
        return {name: Image.fromarray(data[key], "RGB") for name, key in SAMPLE_IMAGES.items()}


def encoder_inputs(pil_images, image_config):
    """encode_image's arguments (torch tensors) for PIL images under a model.json image object."""
    return tuple(torch.from_numpy(a) for a in preprocess.batch(pil_images, image_config))


def write(model, image_config, folder, computed=None):
    """Writes the PNGs and reference_embeddings.json under `folder`; returns the JSON.

    `computed` = (encoder inputs, pooled outputs) the caller already has for these images:
    reused when the inputs made from the written PNGs are identical (they are: PNG is lossless),
    which saves three forward passes of a full-size model.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    decoded = []
    for name, image in images().items():
        image.save(folder / name)
        with Image.open(folder / name) as f:
            decoded.append(f.convert("RGB"))
    inputs = encoder_inputs(decoded, image_config)
    if computed is not None and all(torch.equal(a, b) for a, b in zip(inputs, computed[0])):
        pooled = computed[1]
    else:
        with torch.no_grad():
            pooled = model.encode_image(*inputs)
    emb = F.normalize(pooled, dim=-1)
    reference = {
        "about": "Embeddings (L2-normalised float32) computed in Python by tools/siglip (the "
                 "PyTorch module, before scripting) from these files, preprocessed with Pillow "
                 "as transformers' Pillow-based SigLIP processors do (see tools/siglip/"
                 "preprocess.py).",
        "images": [{"file": f"samples/{name}", "embedding": [round(float(x), 7) for x in v]}
                   for name, v in zip(SAMPLE_IMAGES, emb)],
        "texts": [],
    }
    (folder / "reference_embeddings.json").write_text(json.dumps(reference) + "\n", "utf-8")
    return reference
