#!/usr/bin/python3
"""Re-runs train.py's evaluation (Fashion-MNIST, the training renderer's test split) on a model
directory's exported model.pt and writes the figures into its eval.json, keeping every other
entry (the independent renderer's among them), then rewrites its MODEL_CARD.md:

    /usr/bin/python3 tools/tinyclip/evaluate.py models/tiny-clip

For a model trained before an evaluation was added to train.py: the same seed gives the same
images, so the figures already in eval.json come out again (checked: the command fails if one
of them moves by more than 0.1 point) and the new ones are added. Needs Debian's
dataset-fashion-mnist.
"""
import json
import sys
from pathlib import Path

import torch

import samples
import text
import train


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    folder = Path(argv[0])
    torch.set_num_threads(2)
    recorded = json.loads((folder / "eval.json").read_text())
    fresh = train.evaluate(torch.jit.load(str(folder / "model.pt")), text.build_vocab(),
                           recorded["seed"])
    for key in ("fashion_mnist_test", "shapes_seen", "shapes_held_out", "held_out_colour_only",
                "held_out_shape_only"):
        if key in recorded and abs(recorded[key]["top1"] - fresh[key]["top1"]) > 0.001:
            sys.exit(f"{key}: {fresh[key]['top1']:.4f} now, {recorded[key]['top1']:.4f} recorded: "
                     "not the model or the evaluation that eval.json describes")
    recorded.update(fresh)
    (folder / "eval.json").write_text(json.dumps(recorded, indent=2) + "\n")
    samples.write_model_card(recorded, folder / "MODEL_CARD.md")
    print(json.dumps({k: v for k, v in fresh.items() if k == "by_diameter"}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
