#!/usr/bin/env python3
"""Make a half-precision (float16) copy of a ZeroShot Serve model directory: convert.py with
--precision float16 (see convert.py for bfloat16 and int8).

    /usr/bin/python3 tools/precision/half.py --model-dir models/clip-vit-b-32 \
        --out models/clip-vit-b-32-fp16 [--towers image,text] [--submodule image=image]

Half precision roughly halves GPU memory and raises GPU throughput; check the copy against the
float32 original before serving it (docs/models.md). TorchScript modules that bake float32 into
their code (a traced `.to(torch.float32)`) fail at the server's warm-up with a message that names
the tower; export those from scripted code instead.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert  # noqa: E402

if __name__ == "__main__":
    convert.main(precision="float16")
