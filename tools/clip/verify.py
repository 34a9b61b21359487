"""Checks an exported CLIP against the Python module's reference embeddings.

    # 1. the TorchScript files themselves, in Python (needs torch):
    /usr/bin/python3 tools/clip/verify.py --model-dir DIR
    # 2. what the server serves: fetch embeddings with the commands step 1 prints, then
    /usr/bin/python3 tools/clip/verify.py --model-dir DIR --served images.json texts.json

The reference is DIR/samples/reference_embeddings.json, written by export.py from the PyTorch
module before tracing. `--served` files are `bin/zeroshot embed --json` outputs, their vectors
in the reference's order. Exits 1 when any cosine is below --min-cosine.
"""
import argparse
import json
import shlex
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(description="Compare an export with its reference.")
    parser.add_argument("--model-dir", type=Path, required=True, help="exported model directory")
    parser.add_argument("--served", type=Path, nargs="+", metavar="JSON",
                        help="outputs of `bin/zeroshot embed --json` (images, then texts)")
    parser.add_argument("--target", default="localhost:50051",
                        help="server address for the printed commands (default localhost:50051)")
    parser.add_argument("--min-cosine", type=float, default=0.9999,
                        help="lowest acceptable cosine (default 0.9999)")
    return parser.parse_args(argv)


def read_json(path):
    """A JSON file, or exit with a one-line error."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"error: {path}: cannot be read as JSON ({e})")


def cosines(actual, expected):
    """Row-wise cosine of two [N, D] arrays."""
    a = np.asarray(actual, dtype=np.float64)
    b = np.asarray(expected, dtype=np.float64)
    if a.shape != b.shape:
        raise SystemExit(f"error: {a.shape[0]} vectors of {a.shape[1:]} served vs "
                         f"{b.shape[0]} of {b.shape[1:]} in the reference")
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def embed_commands(model_dir, meta, reference, target):
    """The two `bin/zeroshot embed` commands whose outputs --served takes."""
    base = f"bin/zeroshot embed --json --target {target} --model {meta['name']}"
    images = " ".join(f"--image {shlex.quote(str(model_dir / 'samples' / r['file']))}"
                      for r in reference["images"])
    texts = " ".join(f"--text {shlex.quote(r['text'])}" for r in reference["texts"])
    return [f"{base} {images} > images.json", f"{base} {texts} > texts.json"]


def check_torchscript(model_dir, meta, reference):
    """Cosines of the traced files' outputs (on the reference's inputs) to the reference."""
    import torch
    import samples
    from PIL import Image
    size = meta["image"]["size"]
    pixels = torch.stack([samples.preprocess(Image.open(model_dir / "samples" / r["file"]), size)
                          for r in reference["images"]])
    ids = torch.tensor([r["ids"] for r in reference["texts"]])
    image = torch.jit.load(str(model_dir / meta["image"]["torchscript"]))
    text = torch.jit.load(str(model_dir / meta["text"]["torchscript"]))
    with torch.no_grad():
        img = getattr(image, meta["image"]["method"])(pixels).numpy()
        txt = getattr(text, meta["text"]["method"])(ids).numpy()
    return img, txt


def served_vectors(paths):
    """Vectors of `embed --json` outputs, concatenated in order."""
    vectors = []
    for path in paths:
        vectors += [e["values"] for e in read_json(path).get("embeddings", [])]
    return vectors


def report(kind, values, minimum):
    """Prints the worst and mean cosine; returns whether all pass."""
    print(f"{kind}: n={len(values)} worst cosine {values.min():.7f} mean {values.mean():.7f}")
    return bool(values.min() >= minimum)


def main(argv=None):
    """Runs the check and exits 0 (all cosines >= --min-cosine) or 1."""
    args = parse_args(argv)
    meta = read_json(args.model_dir / "model.json")
    reference = read_json(args.model_dir / "samples" / "reference_embeddings.json")
    ref_img = [r["embedding"] for r in reference["images"]]
    ref_txt = [r["embedding"] for r in reference["texts"]]
    if args.served:
        served = served_vectors(args.served)
        if len(served) != len(ref_img) + len(ref_txt):
            raise SystemExit(f"error: {len(served)} served vectors (expected: "
                             f"{len(ref_img)} images then {len(ref_txt)} texts)")
        img, txt = served[:len(ref_img)], served[len(ref_img):]
        source = "served"
    else:
        img, txt = check_torchscript(args.model_dir, meta, reference)
        source = "TorchScript (Python)"
        print("To check the server, serve the directory, then run:")
        for command in embed_commands(args.model_dir, meta, reference, args.target):
            print("  " + command)
        print(f"  /usr/bin/python3 tools/clip/verify.py --model-dir {args.model_dir} "
              f"--served images.json texts.json")
    ok = report(f"{source} images", cosines(img, ref_img), args.min_cosine)
    ok = report(f"{source} texts", cosines(txt, ref_txt), args.min_cosine) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
