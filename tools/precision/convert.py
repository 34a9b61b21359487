#!/usr/bin/env python3
"""Make a float16, bfloat16 or int8 copy of a ZeroShot Serve model directory.

    /usr/bin/python3 tools/precision/convert.py --precision bfloat16 \
        --model-dir models/clip-vit-b-32 --out models/clip-vit-b-32-bf16 [--towers image,text]

Precisions (docs/model-format.md, `precision`):
- float16: weights cast to half precision; for GPUs (on a CPU several times slower than float32).
- bfloat16: weights cast to bfloat16; for CPUs with avx512_bf16 or AMX (and for GPUs). The tower
  takes float32 pixels and casts them itself.
- int8: dynamic quantisation of every linear layer (`aten::linear`, the attention projections
  included): int8 weights, quantised per output channel, and activations quantised per batch at
  run time; everything else (convolutions, embeddings, layer norms, attention's softmax and
  matrix products, the final projection) stays float32, as do the tower's inputs and outputs.
  CPU only: libtorch has no CUDA kernels for quantised linear layers.

Every family the server serves works (CLIP, SigLIP, SigLIP 2 NaFlex, the bundled tiny-clip): the
tool needs only the TorchScript files and model.json. A float16 cast of a file shared with a
tower that stays float32 (the bundled tiny model keeps both towers in model.pt) is applied only
below the submodule named by --submodule TOWER=ATTRIBUTE, e.g. --submodule image=image. A
bfloat16 or int8 tower is written to a file of its own (`image_encoder.bf16.pt`,
`text_encoder.int8.pt`, ..., method `forward`, taking float32 inputs), so shared files need no
--submodule.

Before it ends, the tool runs each bfloat16 or int8 tower on a random input next to the float32
one and prints the cosine of their outputs (a check that the copy runs, not an accuracy figure:
measure that on real data, docs/benchmarks.md).
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

TOWERS = ("image", "text")
PRECISIONS = ("float16", "bfloat16", "int8")
SUFFIX = {"float16": "fp16", "bfloat16": "bf16", "int8": "int8"}


def parse_args(argv, precision=None):
    """The command line; ``precision`` fixes --precision (for half.py)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    if precision is None:
        p.add_argument("--precision", required=True, choices=PRECISIONS)
    p.add_argument("--model-dir", required=True, type=Path, help="float32 model directory")
    p.add_argument("--out", required=True, type=Path, help="new directory for the copy")
    p.add_argument("--towers", default="image,text",
                   help="comma-separated towers to convert (default: image,text)")
    p.add_argument("--name", help="model name of the copy (default: the original's + "
                                  "'-fp16', '-bf16' or '-int8')")
    p.add_argument("--submodule", action="append", default=[], metavar="TOWER=ATTRIBUTE",
                   help="float16: cast only this attribute of a file shared with a float32 "
                        "tower")
    args = p.parse_args(argv)
    if precision is not None:
        args.precision = precision
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


def convert(model_dir: Path, out: Path, precision, towers, submodules=None, name_out=None):
    """Writes the copy to ``out`` and returns its manifest."""
    submodules = submodules or {}
    manifest_path = model_dir / "model.json"
    if not manifest_path.is_file():
        sys.exit(f"{manifest_path}: missing (expected: a model directory with model.json)")
    if out.exists():
        sys.exit(f"{out}: exists (expected: a new directory)")
    manifest = json.loads(manifest_path.read_text())
    for tower in towers:
        current = manifest[tower].get("precision", "float32")
        if current != "float32":
            sys.exit(f"{manifest_path}: the {tower} tower is {current} (expected: float32, "
                     "the original to convert)")
    suffix = SUFFIX[precision]
    name_out = name_out or f"{manifest['name']}-{suffix}"
    shutil.copytree(model_dir, out)
    if precision == "float16":
        _cast(model_dir, out, manifest, towers, submodules, torch.float16)
    else:
        _per_tower(model_dir, out, manifest, towers, precision)
    for tower in towers:
        manifest[tower]["precision"] = precision
    manifest["name"] = name_out
    manifest["version"] = f"{manifest['version']}-{suffix}"
    modelformat.write_model_json(out, manifest)
    _check(model_dir, out, manifest, towers)
    return manifest


def _files(manifest):
    """TorchScript file name -> the towers stored in it."""
    files = {}
    for tower in TOWERS:
        files.setdefault(manifest[tower]["torchscript"], []).append(tower)
    return files


def _cast(model_dir, out, manifest, towers, submodules, dtype):
    files = _files(manifest)
    for name, in_file in files.items():
        for tower in in_file:
            if tower in towers and len(set(in_file) & set(towers)) < len(in_file) \
                    and tower not in submodules:
                sys.exit(f"{name} also holds the"
                         f" {', '.join(t for t in in_file if t not in towers)} tower, which stays"
                         f" float32: name the {tower} tower's submodule with"
                         f" --submodule {tower}=ATTRIBUTE")
    for name, in_file in files.items():
        wanted = [t for t in in_file if t in towers]
        if not wanted:
            continue
        module = torch.jit.load(str(model_dir / name), map_location="cpu")
        if len(wanted) == len(in_file):
            module.to(dtype)
        else:
            for tower in wanted:
                getattr(module, submodules[tower]).to(dtype)
        module.save(str(out / name))


class _Call(nn.Module):
    """``forward(*inputs)`` calls the wrapped TorchScript module's tower method, with the first
    input (the pixels, for an image tower) cast to ``dtype`` when it is floating point.

    quantize_dynamic_jit quantises ``forward`` only, and a tower's method has another name
    (``encode_image``, ``encode_text_with_mask``, ...) and one to three tensor inputs. Traced,
    this wrapper keeps the call to the scripted method (``prim::CallMethod``) with its control
    flow, so it works for any method without writing its signature out. The cast lets a
    bfloat16 tower take float32 pixels like every other tower (the server's tensor library
    cannot make bfloat16 tensors itself)."""

    def __init__(self, inner, method, dtype):
        super().__init__()
        self.inner = inner
        self.method = method
        self.dtype = dtype

    def forward(self, *inputs):
        first = inputs[0].to(self.dtype) if inputs[0].is_floating_point() else inputs[0]
        return getattr(self.inner, self.method)(first, *inputs[1:])


def _per_tower(model_dir, out, manifest, towers, precision):
    """bfloat16 and int8: each tower in a file of its own, ``<tower>_encoder.<suffix>.pt``,
    method ``forward``, taking the float32 inputs a float32 tower takes."""
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic_jit

    generator = torch.Generator().manual_seed(0)
    for tower in towers:
        spec = manifest[tower]
        inner = torch.jit.load(str(model_dir / spec["torchscript"]), map_location="cpu")
        dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
        inner.to(dtype)
        example = tuple(_example(manifest, tower, generator))
        wrapper = torch.jit.trace(_Call(inner, spec["method"], dtype), example,
                                  check_trace=False)
        if precision == "int8":
            wrapper = quantize_dynamic_jit(wrapper, {"": per_channel_dynamic_qconfig})
        name = f"{tower}_encoder.{SUFFIX[precision]}.pt"
        wrapper.save(str(out / name))
        spec["torchscript"] = name
        spec["method"] = "forward"
    still_used = {manifest[t]["torchscript"] for t in TOWERS}
    for name in _files(json.loads((model_dir / "model.json").read_text())):
        if name not in still_used:
            (out / name).unlink()


def _example(manifest, tower, generator):
    """A random input of the tower's shape (batch 2)."""
    if tower == "text":
        length = manifest["text"]["context_length"]
        # Small ids: every vocabulary has them (the bundled model's has a few hundred words).
        ids = torch.randint(1, 32, (2, length), generator=generator)
        inputs = [ids]
        if manifest["text"].get("attention_mask"):
            inputs.append(torch.ones(2, length, dtype=torch.long))
        return inputs
    image = manifest["image"]
    if "patches" in image:
        p = image["patches"]["patch_size"]
        n = image["patches"]["max_num_patches"]
        side = int(n ** 0.5)
        pixels = torch.randn(2, n, 3 * p * p, generator=generator)
        mask = torch.ones(2, n, dtype=torch.bool)
        shapes = torch.tensor([[side, n // side]] * 2)
        return [pixels, mask, shapes]
    size = image.get("size") or image["resize"]["height"]
    return [torch.randn(2, 3, size, size, generator=generator)]


def _check(model_dir, out, manifest, towers):
    original = json.loads((model_dir / "model.json").read_text())
    generator = torch.Generator().manual_seed(0)
    for tower in towers:
        if manifest[tower]["precision"] == "float16":
            # Debian's torch 1.13 has no float16 convolution on the CPU; the server's libtorch
            # has, and its warm-up runs the copy.
            print(f"{tower}: float16 not run here (checked at the server's warm-up)")
            continue
        inputs = _example(original, tower, generator)
        before = getattr(torch.jit.load(str(model_dir / original[tower]["torchscript"])),
                         original[tower]["method"])(*inputs)
        after_module = torch.jit.load(str(out / manifest[tower]["torchscript"]))
        with torch.no_grad():
            after = getattr(after_module, manifest[tower]["method"])(*inputs).float()
        cosine = torch.nn.functional.cosine_similarity(before.float(), after).min().item()
        print(f"{tower}: {manifest[tower]['precision']} runs; cosine to float32 on a random "
              f"input {cosine:.5f}")


def main(argv=None, precision=None):
    args = parse_args(argv, precision)
    manifest = convert(args.model_dir, args.out, args.precision, args.towers, args.submodules,
                       args.name)
    converted = [t for t in TOWERS if manifest[t].get("precision") == args.precision]
    print(f"wrote {args.out}: model {manifest['name']} {manifest['version']},"
          f" {' and '.join(converted)} in {args.precision}")


if __name__ == "__main__":
    main()
