"""Exports a CLIP model (ViT variants) to a ZeroShot Serve model directory.

    /usr/bin/python3 tools/clip/export.py --checkpoint ViT-B-32.pt --out models/clip-vit-b-32
    /usr/bin/python3 tools/clip/export.py --hf-dir clip-vit-base-patch32/ --out DIR
    /usr/bin/python3 tools/clip/export.py --random ViT-B/32 --seed 0 --out DIR   # tests

Writes image_encoder.pt and text_encoder.pt (TorchScript traced on the CPU in float32, batch
size free, 77-token context), tokenizer.json, model.json, MODEL_CARD.md and samples/ (a few
images and reference_embeddings.json: what this Python module computes, for tools/clip/verify.py
and the Java tests). Nothing is downloaded: the checkpoint is a file or folder the user has.
"""
import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import card  # noqa: E402
import checkpoints  # noqa: E402
import model as clip_model  # noqa: E402
import samples  # noqa: E402
import tokenizer as clip_tokenizer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

IMAGE_FILE = "image_encoder.pt"
TEXT_FILE = "text_encoder.pt"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # as ManifestReader checks it
MAX_LOGIT_SCALE = 100.0  # OpenAI clamps the learned scale to 100 while training


class ImageEncoder(torch.nn.Module):
    """The image tower alone, traced into its own file (undecorated: see docs/model-format.md)."""

    def __init__(self, clip):
        super().__init__()
        self.visual = clip.visual

    def encode_image(self, pixels):
        return self.visual(pixels)


class TextEncoder(torch.nn.Module):
    """The text tower alone: everything of CLIP but `visual` and `logit_scale`."""

    def __init__(self, clip):
        super().__init__()
        self.token_embedding = clip.token_embedding
        self.positional_embedding = clip.positional_embedding
        self.transformer = clip.transformer
        self.ln_final = clip.ln_final
        self.text_projection = clip.text_projection

    def encode_text(self, ids):
        # CLIP.encode_text reads only the attributes copied above.
        return clip_model.CLIP.encode_text(self, ids)


def parse_args(argv):
    """The command line; exactly one of --random, --checkpoint and --hf-dir."""
    parser = argparse.ArgumentParser(description="Export a CLIP model for ZeroShot Serve.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", type=Path, metavar="FILE.pt",
                        help="OpenAI CLIP checkpoint (the .pt archive of ViT-B/32, ViT-B/16, "
                             "ViT-L/14) or a plain state dict in OpenAI's layout")
    source.add_argument("--hf-dir", type=Path, metavar="DIR",
                        help="Hugging Face CLIP directory (needs the transformers package)")
    source.add_argument("--random", metavar="ARCH", choices=sorted(clip_model.CONFIGS),
                        help="random weights of that exact shape (for tests and benchmarks)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--name", help="model name clients use (default: from the source)")
    parser.add_argument("--version", help="model version, part of cache keys "
                                          "(default: from the source)")
    parser.add_argument("--reference-image", type=Path, action="append", default=[],
                        metavar="FILE", help="also embed this image in samples/ (repeatable)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads (default: torch's choice)")
    return parser.parse_args(argv)


def load_source(args):
    """(model, name, version, description) for the chosen source; exits on unreadable input."""
    if args.random:
        slug = args.random.lower().replace("/", "-")
        return (clip_model.random(args.random, args.seed), f"clip-{slug}-random",
                f"random-seed{args.seed}",
                f"random weights of the {args.random} shape (seed {args.seed}): NOT a "
                f"trained model")
    if args.checkpoint:
        sd = checkpoints.read_openai(args.checkpoint)
        source = args.checkpoint.name
    else:
        sd = checkpoints.read_hugging_face(args.hf_dir)
        source = args.hf_dir.name
    model = checkpoints.build(sd, source)
    c = model.config
    slug = f"clip-vit-{'l' if c.vision_width >= 1024 else 'b'}-{c.vision_patch_size}"
    # The file or folder name, cut so that the version stays within the manifest's 64 chars.
    version = f"{Path(source).stem[:48]}-{checkpoints.fingerprint(sd)}"
    return model, slug, version, f"CLIP {slug} exported from {source}"


def trace(module, method, example):
    """Traces one method on the CPU in float32; batch size stays free."""
    with torch.no_grad():
        return torch.jit.trace_module(module, {method: example}, check_trace=False)


def check_traced(traced, eager, method, inputs):
    """Asserts the traced method equals the eager one on each input (other batch sizes)."""
    for x in inputs:
        with torch.no_grad():
            a = getattr(traced, method)(x)
            b = getattr(eager, method)(x)
        cos = F.cosine_similarity(a, b, dim=-1).min().item()
        if a.shape != b.shape or cos < 0.99999:
            raise RuntimeError(f"traced {method} differs at batch {x.shape[0]}: "
                               f"shape {tuple(a.shape)} vs {tuple(b.shape)}, cosine {cos:.6f}")


def export_towers(model, out, tok):
    """Writes the two TorchScript files and returns their check inputs' sizes."""
    c = model.config
    size, length = c.image_resolution, c.context_length
    gen = torch.Generator().manual_seed(1)
    images = [torch.randn(n, 3, size, size, generator=gen) for n in (2, 1, 3)]
    texts = [torch.tensor([tok.tokenize(t, length) for t in batch]) for batch in
             (["a photo of a cat", "a diagram"], ["a dog"], ["x", "a red car", "two birds"])]
    for encoder, method, file, inputs in (
            (ImageEncoder(model).eval(), "encode_image", IMAGE_FILE, images),
            (TextEncoder(model).eval(), "encode_text", TEXT_FILE, texts)):
        traced = trace(encoder, method, inputs[0])
        check_traced(traced, encoder, method, inputs[1:])
        torch.jit.save(traced, str(out / file))
        reloaded = torch.jit.load(str(out / file))
        check_traced(reloaded, encoder, method, inputs[1:])


def manifest(model, name, version, description):
    """model.json for this model: CLIP's preprocessing, OpenAI's pad id, the checkpoint's scale."""
    c = model.config
    scale = min(model.logit_scale.exp().item(), MAX_LOGIT_SCALE)
    return {
        "format_version": 1, "name": name, "version": version, "description": description,
        "embedding_dim": c.embed_dim, "logit_scale": round(scale, 4),
        "image": modelformat.clip_image(IMAGE_FILE, "encode_image", c.image_resolution),
        "text": {"torchscript": TEXT_FILE, "method": "encode_text",
                 "tokenizer": "tokenizer.json", "context_length": c.context_length,
                 "pad_id": clip_tokenizer.OPENAI_PAD_ID},
    }


def export(args):
    """Runs the whole export; returns the model.json written."""
    if args.threads:
        torch.set_num_threads(args.threads)
    started = time.time()
    model, name, version, description = load_source(args)
    name = args.name or name
    version = args.version or version
    if not NAME.fullmatch(name):
        raise SystemExit(f"error: --name {name!r} (expected: 1-64 of A-Z a-z 0-9 . _ -, "
                         f"starting with a letter or digit)")
    if not version.strip() or len(version) > 64:
        raise SystemExit(f"error: --version {version!r} (expected: 1-64 characters, not blank)")
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    tok = clip_tokenizer.ClipTokenizer()
    if model.config.vocab_size != len(tok.vocab):
        raise SystemExit(f"error: the model's vocabulary has {model.config.vocab_size} tokens "
                         f"(expected: {len(tok.vocab)}, CLIP's BPE vocabulary)")
    export_towers(model, out, tok)
    clip_tokenizer.write_tokenizer_json(out / "tokenizer.json")
    meta = manifest(model, name, version, description)
    modelformat.write_model_json(out, meta)
    reference = samples.write(model, tok, out / "samples", args.reference_image)
    shutil.copy(Path(__file__).resolve().parent / "LICENSE-openai-clip", out)
    card.write(out / "MODEL_CARD.md", meta, model, args, reference)
    print(f"exported {name} ({version}) to {out} in {time.time() - started:.1f} s")
    return meta


def main(argv=None):
    """Entry point: exits with a one-line message on bad input."""
    export(parse_args(argv))


if __name__ == "__main__":
    main()
