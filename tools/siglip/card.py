"""Writes MODEL_CARD.md for an exported SigLIP / SigLIP 2: what it is, where it came from, and
what the export checked."""
import datetime

import torch


def write(path, meta, source, checks, reference):
    """Writes the card to `path`; `checks` is {file: {method: max abs diff}}."""
    model, c = source.model, source.model.config
    params = sum(p.numel() for p in model.parameters())
    image_params = sum(p.numel() for p in model.vision_model.parameters())
    v, t, text = c.vision, c.text, meta["text"]
    mask = ("attention mask over padding" if text["attention_mask"]
            else "no attention mask (as the official processors run it)")
    if c.naflex:
        p = meta["image"]["patches"]
        grid = int(v.num_patches ** 0.5)
        image_line = (f"- Image (NaFlex): up to {p['max_num_patches']} patches of "
                      f"{p['patch_size']} px, learned {grid} x {grid} position grid resized per "
                      f"image; {meta['image']['resize']['interpolation']} resize keeping the "
                      f"aspect ratio approximately.")
    else:
        image_line = (f"- Image: {v.image_size} x {v.image_size} px (whole image resized, "
                      f"{meta['image']['resize']['interpolation']}, no crop), {v.patch_size} px "
                      f"patches.")
    lines = [
        f"# {meta['name']} (version {meta['version']})",
        "",
        source.origin,
        "",
        "## Architecture",
        "",
        f"- Family `{meta['family']}`: {params / 1e6:.1f} M parameters "
        f"({image_params / 1e6:.1f} M image, {(params - image_params) / 1e6:.1f} M text).",
        image_line,
        f"- Vision tower: {v.num_hidden_layers} layers of width {v.hidden_size}, "
        f"attention-pooling head.",
        f"- Text tower: {t.num_hidden_layers} layers of width {t.hidden_size}, {t.vocab_size} "
        f"token ids, {text['context_length']} positions, read at the last position; "
        f"`{text['tokenizer']}` ({text['tokenizer_type']} pipeline, pad id {text['pad_id']}); "
        f"{mask}.",
        f"- Embedding: {meta['embedding_dim']}-d; scoring sigmoid(cosine x "
        f"{meta['logit_scale']:.6g} + ({meta['logit_bias']:.6g})) per label, from the weights.",
        "",
        "## Checked at export",
        "",
    ]
    for file, diffs in checks.items():
        for method, diff in diffs.items():
            lines.append(f"- `{file}` `{method}`: saved, reloaded and compared with the PyTorch "
                         f"module at batch 1 and 3: max abs difference {diff:.2g}.")
    lines += [
        f"- `samples/reference_embeddings.json`: the PyTorch module's embeddings of "
        f"{len(reference['images'])} sample images (Pillow preprocessing as transformers' "
        f"processors).",
        "",
        f"TorchScript scripted on the CPU in float32 with torch {torch.__version__}. Exported "
        f"{datetime.date.today().isoformat()} by tools/siglip/export.py.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
