#!/usr/bin/env python3
"""Make a half-precision (float16) copy of a ZeroShot Serve model directory.

The server feeds a float16 image encoder float16 pixels and reads every output back as float32
(docs/model-format.md, `precision`). Half precision roughly halves GPU memory and raises GPU
throughput; check the copy against the float32 original before serving it (docs/models.md).

    /usr/bin/python3 tools/precision/half.py --model-dir models/clip-vit-b-32 \
        --out models/clip-vit-b-32-fp16 [--towers image,text]

A TorchScript file that holds only the towers being converted is cast whole. A file shared with a
tower that stays float32 (the bundled tiny model keeps both in model.pt) is cast only below the
submodule named by --submodule TOWER=ATTRIBUTE, e.g. --submodule image=image.

TorchScript modules that bake float32 into their code (a traced `.to(torch.float32)`) fail at the
server's warm-up with a message that names the tower; export those from scripted code instead.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

TOWERS = ("image", "text")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model-dir", required=True, type=Path, help="float32 model directory")
    p.add_argument("--out", required=True, type=Path, help="new directory for the float16 copy")
    p.add_argument("--towers", default="image,text",
                   help="comma-separated towers to convert (default: image,text)")
    p.add_argument("--name", help="model name of the copy (default: the original's + '-fp16')")
    p.add_argument("--submodule", action="append", default=[], metavar="TOWER=ATTRIBUTE",
                   help="cast only this attribute of a file shared with a float32 tower")
    args = p.parse_args(argv)
    args.towers = [t.strip() for t in args.towers.split(",") if t.strip()]
    for t in args.towers:
        if t not in TOWERS:
            p.error(f"--towers: {t!r} (expected: image and/or text)")
    args.submodules = {}
    for item in args.submodule:
        tower, _, attr = item.partition("=")
        if tower not in TOWERS or not attr:
            p.error(f"--submodule: {item!r} (expected: image=ATTRIBUTE or text=ATTRIBUTE)")
        args.submodules[tower] = attr
    return args


def convert(model_dir: Path, out: Path, towers, submodules, name_out=None):
    manifest_path = model_dir / "model.json"
    if not manifest_path.is_file():
        sys.exit(f"{manifest_path}: missing (expected: a model directory with model.json)")
    if out.exists():
        sys.exit(f"{out}: exists (expected: a new directory)")
    manifest = json.loads(manifest_path.read_text())
    name_out = name_out or manifest["name"] + "-fp16"
    files = {}  # file name -> towers stored in it
    for tower in TOWERS:
        files.setdefault(manifest[tower]["torchscript"], []).append(tower)
    for name, in_file in files.items():
        for tower in in_file:
            if tower in towers and len(set(in_file) & set(towers)) < len(in_file) \
                    and tower not in submodules:
                sys.exit(f"{name} also holds the"
                         f" {', '.join(t for t in in_file if t not in towers)} tower, which stays"
                         f" float32: name the {tower} tower's submodule with"
                         f" --submodule {tower}=ATTRIBUTE")
    shutil.copytree(model_dir, out)
    for name, in_file in files.items():
        wanted = [t for t in in_file if t in towers]
        if not wanted:
            continue
        module = torch.jit.load(str(model_dir / name), map_location="cpu")
        if len(wanted) == len(in_file):
            module.half()
        else:
            for tower in wanted:
                getattr(module, submodules[tower]).half()
        module.save(str(out / name))
        for tower in wanted:
            manifest[tower]["precision"] = "float16"
    manifest["name"] = name_out
    manifest["version"] = manifest["version"] + "-fp16"
    modelformat.write_model_json(out, manifest)
    return manifest


def main(argv=None):
    args = parse_args(argv)
    manifest = convert(args.model_dir, args.out, args.towers, args.submodules, args.name)
    halves = [t for t in TOWERS if manifest[t].get("precision") == "float16"]
    print(f"wrote {args.out}: model {manifest['name']} {manifest['version']},"
          f" {' and '.join(halves)} in float16")


if __name__ == "__main__":
    main()
