#!/usr/bin/python3
"""Rewrites a model directory's MODEL_CARD.md from its eval.json, after IndependentShapesEval
has added the independent renderer's figures to it:

    /usr/bin/python3 tools/tinyclip/model_card.py models/tiny-clip
"""
import json
import sys
from pathlib import Path

import samples

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    samples.write_model_card(json.loads((folder / "eval.json").read_text()), folder / "MODEL_CARD.md")
