#!/usr/bin/env python3
"""Top-1 accuracy of copies of the bundled tiny-clip (float32, bfloat16, int8, ...) on the
evaluation sets of its eval.json: Fashion-MNIST test by prompts alone, seen and held-out
colour x shape pairs (tools/tinyclip/train.py's `evaluate`, same seed, same images).

    /usr/bin/python3 tools/precision/tinyclip_accuracy.py models/tiny-clip DIR-bf16 DIR-int8

Each model directory's TorchScript towers are run as model.json names them (file, method), so a
converted copy is evaluated exactly as written; on Debian's torch, not the server's libtorch (the
server's embeddings of the same files agree with these to a cosine of 0.9999 or better,
EmbeddingAgreement in docs/benchmarks.md). Prints one JSON object: model directory -> figures.
Needs Debian's dataset-fashion-mnist.
"""
import json
import sys
from pathlib import Path

import torch

TINYCLIP = Path(__file__).resolve().parents[1] / "tinyclip"
sys.path.insert(0, str(TINYCLIP))
import text  # noqa: E402
import train  # noqa: E402

KEYS = ("fashion_mnist_test", "shapes_seen", "shapes_held_out", "held_out_colour_only",
        "held_out_shape_only")


class Towers:
    """``encode_image`` and ``encode_text`` of a model directory, as the server calls them."""

    def __init__(self, model_dir: Path):
        manifest = json.loads((model_dir / "model.json").read_text())
        self.image = getattr(torch.jit.load(str(model_dir / manifest["image"]["torchscript"])),
                             manifest["image"]["method"])
        self.text = getattr(torch.jit.load(str(model_dir / manifest["text"]["torchscript"])),
                            manifest["text"]["method"])

    def encode_image(self, pixels):
        return self.image(pixels).float()

    def encode_text(self, ids):
        return self.text(ids).float()


def main(argv):
    if not argv:
        sys.exit(__doc__)
    torch.set_num_threads(2)
    vocab = text.build_vocab()
    report = {}
    for model_dir in map(Path, argv):
        seed = json.loads((model_dir / "eval.json").read_text())["seed"]
        result = train.evaluate(Towers(model_dir), vocab, seed)
        report[model_dir.name] = {k: round(100 * result[k]["top1"], 2) for k in KEYS}
        print(model_dir.name, report[model_dir.name], file=sys.stderr)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
