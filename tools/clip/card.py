"""Writes MODEL_CARD.md for an exported CLIP: what it is, where it came from, how to check it."""
import datetime

import torch


def _source(args):
    if args.random:
        return (f"Random weights of the exact {args.random} shape (`--random {args.random} "
                f"--seed {args.seed}`): for tests and benchmarks only. Its predictions mean "
                f"nothing.")
    if args.checkpoint:
        return (f"OpenAI CLIP weights from `{args.checkpoint.name}`, supplied by the user. "
                f"OpenAI's model card applies: "
                f"https://github.com/openai/CLIP/blob/main/model-card.md")
    return f"Hugging Face CLIP weights from `{args.hf_dir.name}`, supplied by the user."


def write(path, meta, model, args, reference):
    """Writes the card to `path`."""
    c = model.config
    params = sum(p.numel() for p in model.parameters())
    image_params = sum(p.numel() for p in model.visual.parameters())
    lines = [
        f"# {meta['name']} (version {meta['version']})",
        "",
        _source(args),
        "",
        "## Architecture",
        "",
        f"- CLIP ViT, OpenAI's layout: {params / 1e6:.1f} M parameters "
        f"({image_params / 1e6:.1f} M image, {(params - image_params) / 1e6:.1f} M text).",
        f"- Image: {c.image_resolution} px, {c.vision_patch_size} px patches, "
        f"{c.vision_layers} layers of width {c.vision_width}.",
        f"- Text: {c.context_length} tokens, CLIP's byte-level BPE ({c.vocab_size} ids, padded "
        f"with 0 after the end token), {c.transformer_layers} layers of width "
        f"{c.transformer_width}; the feature is read at the end token.",
        f"- Embedding: {c.embed_dim}-d; logit scale {meta['logit_scale']} (from the weights).",
        "",
        "## Files",
        "",
        "- `image_encoder.pt`, `text_encoder.pt`: TorchScript traced on the CPU in float32 with "
        f"torch {torch.__version__}; batch size free.",
        "- `tokenizer.json`: CLIP's tokenizer, built by tools/clip/tokenizer.py from OpenAI's "
        "merges file (MIT, `LICENSE-openai-clip`). It does not run ftfy or html.unescape.",
        "- `samples/reference_embeddings.json`: what the Python module computes for "
        f"{len(reference['images'])} images and {len(reference['texts'])} texts.",
        "",
        "## Check the export",
        "",
        "Serve this directory, then `python3 tools/clip/verify.py --model-dir <this directory>` "
        "prints the commands that fetch served embeddings and compares them with the reference.",
        "",
        f"Exported {datetime.date.today().isoformat()} by tools/clip/export.py.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
