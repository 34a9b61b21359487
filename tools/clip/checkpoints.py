"""Reads CLIP weights from the files users have: OpenAI's `.pt` archives, plain state dicts in
OpenAI's layout, and Hugging Face CLIP directories (converted to OpenAI's layout).

Every unreadable input ends the export with one line saying what was expected.
"""
import hashlib
from pathlib import Path

import torch

import model as clip_model

# Hugging Face CLIPModel parameter names -> OpenAI's, per transformer block and overall.
HF_BLOCK = {
    "layer_norm1": "ln_1", "layer_norm2": "ln_2", "mlp.fc1": "mlp.c_fc",
    "mlp.fc2": "mlp.c_proj", "self_attn.out_proj": "attn.out_proj",
}
HF_TOP = {
    "text_model.embeddings.token_embedding.weight": "token_embedding.weight",
    "text_model.embeddings.position_embedding.weight": "positional_embedding",
    "text_model.final_layer_norm.weight": "ln_final.weight",
    "text_model.final_layer_norm.bias": "ln_final.bias",
    "vision_model.embeddings.class_embedding": "visual.class_embedding",
    "vision_model.embeddings.patch_embedding.weight": "visual.conv1.weight",
    "vision_model.embeddings.position_embedding.weight": "visual.positional_embedding",
    "vision_model.pre_layrnorm.weight": "visual.ln_pre.weight",  # sic: Hugging Face's name
    "vision_model.pre_layrnorm.bias": "visual.ln_pre.bias",
    "vision_model.post_layernorm.weight": "visual.ln_post.weight",
    "vision_model.post_layernorm.bias": "visual.ln_post.bias",
    "logit_scale": "logit_scale",
}
HF_TOWERS = {"text_model.encoder.layers.": "transformer.resblocks.",
             "vision_model.encoder.layers.": "visual.transformer.resblocks."}


def fail(message):
    """Ends the export with `error: message`."""
    raise SystemExit(f"error: {message}")


def read_openai(path):
    """The state dict of an OpenAI `.pt` archive (TorchScript) or of a plain torch.save file."""
    path = Path(path)
    if not path.is_file():
        fail(f"{path}: no such file (expected: an OpenAI CLIP checkpoint such as ViT-B-32.pt)")
    try:
        return torch.jit.load(str(path), map_location="cpu").state_dict()
    except Exception:  # not TorchScript: try a pickled state dict, as OpenAI's clip.load does
        pass
    try:
        sd = torch.load(str(path), map_location="cpu")
    except Exception as e:
        fail(f"{path}: cannot be read as TorchScript or as a torch.save file "
             f"({str(e).splitlines()[0] if str(e) else type(e).__name__})")
    if isinstance(sd, dict) and isinstance(sd.get("state_dict"), dict):
        sd = sd["state_dict"]
    if not isinstance(sd, dict) or not all(torch.is_tensor(v) for v in sd.values()):
        fail(f"{path}: holds a {type(sd).__name__}, not a state dict of tensors")
    return sd


def read_hugging_face(directory):
    """A Hugging Face CLIP directory's weights, renamed to OpenAI's layout."""
    directory = Path(directory)
    if not (directory / "config.json").is_file():
        fail(f"{directory}: no config.json (expected: a Hugging Face CLIP model directory)")
    try:
        from transformers import CLIPModel
    except ImportError:
        fail("--hf-dir needs the 'transformers' package, which is not installed "
             "(pip install transformers); --checkpoint reads OpenAI's .pt files without it")
    try:
        hf = CLIPModel.from_pretrained(str(directory), local_files_only=True)
    except Exception as e:
        fail(f"{directory}: transformers cannot load it as a CLIPModel "
             f"({str(e).splitlines()[0] if str(e) else type(e).__name__})")
    if getattr(hf.config.text_config, "hidden_act", "quick_gelu") != "quick_gelu":
        fail(f"{directory}: hidden_act {hf.config.text_config.hidden_act!r} "
             f"(expected: 'quick_gelu', OpenAI's CLIP; other variants are not supported)")
    return openai_from_hugging_face(hf.state_dict())


def openai_from_hugging_face(hf):
    """Renames a CLIPModel state dict to OpenAI's names (q, k, v joined; projections turned)."""
    sd = {}
    for key, value in hf.items():
        if key in HF_TOP:
            sd[HF_TOP[key]] = value
        elif key in ("text_projection.weight", "visual_projection.weight"):
            sd["text_projection" if key.startswith("text") else "visual.proj"] = value.t()
    for hf_prefix, prefix in HF_TOWERS.items():
        blocks = {k[len(hf_prefix):].split(".")[0] for k in hf if k.startswith(hf_prefix)}
        for i in blocks:
            src, dst = f"{hf_prefix}{i}.", f"{prefix}{i}."
            for hf_name, name in HF_BLOCK.items():
                for kind in ("weight", "bias"):
                    sd[f"{dst}{name}.{kind}"] = hf[f"{src}{hf_name}.{kind}"]
            for kind in ("weight", "bias"):
                sd[f"{dst}attn.in_proj_{kind}"] = torch.cat(
                    [hf[f"{src}self_attn.{p}_proj.{kind}"] for p in "qkv"])
    return sd


def build(sd, source):
    """A float32 eval-mode CLIP holding these weights; exits on missing or mis-shaped keys."""
    try:
        return clip_model.from_state_dict(sd)
    except (KeyError, ValueError, RuntimeError) as e:
        fail(f"{source}: not a CLIP ViT state dict in OpenAI's layout "
             f"({str(e).splitlines()[0]})")


def fingerprint(sd):
    """The first 12 hex digits of a SHA-256 over the weights: a version that follows them."""
    h = hashlib.sha256()
    for key in sorted(sd):
        h.update(key.encode())
        h.update(sd[key].detach().float().contiguous().numpy().tobytes())
    return h.hexdigest()[:12]
