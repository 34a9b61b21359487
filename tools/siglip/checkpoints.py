"""What an export is made from: a Hugging Face SigLIP / SigLIP 2 folder, or random weights.

A folder holds config.json, the weights (see safetensors.py), an optional
preprocessor_config.json and the tokenizer. The family follows from config.json's model_type and
the tokenizer:
- `siglip` model_type with SiglipTokenizer / `spiece.model`: SigLIP (bicubic, SigLIP's tokenizer);
- `siglip` model_type with a Gemma tokenizer (`tokenizer.model`): SigLIP 2 fixed resolution
  (bilinear);
- `siglip2` model_type: SigLIP 2 NaFlex (Gemma tokenizer).
Every problem raises SourceError (or safetensors.FormatError, spm.SpmError) with one line that
names the file and what was expected.
"""
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import model as siglip_model
import safetensors
import spm
from preprocess import RESAMPLE_NAMES

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "tests" / "reference"
DEFAULT_TOKENIZERS = {"siglip": REFERENCE / "siglip_spm_unigram_1k.model",
                      "gemma": REFERENCE / "siglip2_gemma_spm_bpe_1k.model"}
TOKENIZER_FILES = {"siglip": "spiece.model", "gemma": "tokenizer.model"}
# The piece that pads a text when the tokenizer files do not name one.
DEFAULT_PAD_PIECES = {"siglip": "</s>", "gemma": "<pad>"}
DEFAULT_MAX_NUM_PATCHES = 256  # Siglip2ImageProcessor's default
RESCALE = 1 / 255
NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")

# --random variants: the shapes of the published checkpoints (the notes' table).
BASE = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12)
SO400M = dict(hidden_size=1152, intermediate_size=4304, num_hidden_layers=27,
              num_attention_heads=16)
RANDOM_VARIANTS = {
    "siglip-base-patch16-224": dict(model_type="siglip", tokenizer="siglip", vocab=32000,
                                    size=BASE, vision=dict(image_size=224, patch_size=16)),
    "siglip-so400m-patch14-384": dict(model_type="siglip", tokenizer="siglip", vocab=32000,
                                      size=SO400M, vision=dict(image_size=384, patch_size=14)),
    "siglip2-base-patch16-224": dict(model_type="siglip", tokenizer="gemma", vocab=256000,
                                     size=BASE, vision=dict(image_size=224, patch_size=16)),
    "siglip2-base-patch16-naflex": dict(model_type="siglip2", tokenizer="gemma", vocab=256000,
                                        size=BASE, vision=dict(num_patches=256, patch_size=16)),
}


class SourceError(ValueError):
    """A folder or option that cannot be exported; the message says what was expected."""


@dataclass
class Tokenizer:
    """The SentencePiece file to copy and what model.json says about it."""
    path: Path
    type: str  # "siglip" or "gemma"
    pad_id: int
    pieces: int

    @property
    def file_name(self):
        return TOKENIZER_FILES[self.type]


@dataclass
class Source:
    """Everything export.py needs, whichever way it was made."""
    model: siglip_model.SiglipModel
    family: str  # "siglip" or "siglip2"
    tokenizer: Tokenizer
    image: dict  # model.json's image object, less torchscript and method
    name: str
    version: str
    description: str
    origin: str  # one line for the model card


def _read_json(path, required):
    if not path.is_file():
        if required:
            raise SourceError(f"{path}: missing (expected: a Hugging Face SigLIP folder)")
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise SourceError(f"{path}: cannot be read as JSON ({e})") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: holds a {type(data).__name__} (expected: an object)")
    return data


def sanitise_name(text):
    """A model.json name from a folder name: [A-Za-z0-9][A-Za-z0-9._-]{0,63}."""
    name = NAME_CHARS.sub("-", text).lstrip("._-")[:64]
    return name or "siglip"


def _token_text(value):
    """A special token as tokenizer_config.json / special_tokens_map.json write it."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else None


def tokenizer_type(folder, model_type, tokenizer_config):
    """"siglip" or "gemma", from the tokenizer class and files; SourceError if neither fits."""
    cls = tokenizer_config.get("tokenizer_class") or ""
    has_spiece = (folder / "spiece.model").is_file()
    has_model = (folder / "tokenizer.model").is_file()
    if model_type == "siglip2" or cls.startswith("Gemma") or (
            not cls.startswith("Siglip") and has_model and not has_spiece):
        kind = "gemma"
    elif cls.startswith("Siglip") or has_spiece:
        kind = "siglip"
    else:
        raise SourceError(f"{folder}: no tokenizer (expected: spiece.model for SigLIP or "
                          f"tokenizer.model for SigLIP 2, with tokenizer_config.json)")
    if kind == "gemma" and cls.startswith("Siglip"):
        raise SourceError(f"{folder / 'tokenizer_config.json'}: tokenizer_class {cls!r} "
                          f"(expected: a Gemma tokenizer for model_type {model_type!r})")
    needed = folder / TOKENIZER_FILES[kind]
    if not needed.is_file():
        extra = (" (a folder with only tokenizer.json cannot be exported: the server's "
                 "SentencePiece tokenizer needs the .model file)"
                 if (folder / "tokenizer.json").is_file() else "")
        raise SourceError(f"{needed}: missing (expected: the "
                          f"{'Gemma' if kind == 'gemma' else 'SigLIP'} SentencePiece model)"
                          f"{extra}")
    return kind


def read_tokenizer(path, kind, vocab_size, pad_piece=None):
    """Tokenizer info from a SentencePiece file; checks its ids fit the embedding table."""
    pieces = spm.read_pieces(path)
    pad_piece = pad_piece or DEFAULT_PAD_PIECES[kind]
    if len(pieces) > vocab_size:
        raise SourceError(f"{path}: {len(pieces)} pieces (expected: at most the model's "
                          f"vocab_size, {vocab_size})")
    return Tokenizer(Path(path), kind, spm.piece_id(pieces, pad_piece, path), len(pieces))


def _pad_piece(folder):
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        piece = _token_text(_read_json(folder / name, False).get("pad_token"))
        if piece:
            return piece
    return None


def _interpolation(pc, family, path):
    if "resample" not in pc:
        return "bilinear" if family == "siglip2" else "bicubic"
    if pc["resample"] not in RESAMPLE_NAMES:
        raise SourceError(f"{path}: resample {pc['resample']!r} (expected: 0 nearest, "
                          f"2 bilinear or 3 bicubic)")
    return RESAMPLE_NAMES[pc["resample"]]


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _three(value):
    """image_mean / image_std: one number or three -> three floats; None if neither."""
    values = value if isinstance(value, list) else [value] * 3
    if len(values) != 3 or not all(_is_number(x) for x in values):
        return None
    return [float(x) for x in values]


def image_settings(pc, config, family, max_num_patches, path="preprocessor_config.json"):
    """model.json's image object (less torchscript and method) from preprocessor_config.json
    (`pc`, possibly empty) and the vision config."""
    if pc.get("do_resize") is False:
        raise SourceError(f"{path}: do_resize false (expected: true; the server always resizes)")
    factor = pc.get("rescale_factor", RESCALE)
    if (pc.get("do_rescale") is False or not _is_number(factor)
            or abs(factor - RESCALE) > 1e-12):
        raise SourceError(f"{path}: do_rescale / rescale_factor {factor!r} (expected: x 1/255)")
    if pc.get("do_normalize") is False:
        mean, std = [0.0] * 3, [1.0] * 3
    else:
        mean, std = (_three(pc.get(key, 0.5)) for key in ("image_mean", "image_std"))
    if mean is None or std is None or min(std) <= 0:
        raise SourceError(f"{path}: image_mean {pc.get('image_mean')!r} / image_std "
                          f"{pc.get('image_std')!r} (expected: 1 or 3 numbers each, std > 0)")
    v = config.vision
    interpolation = _interpolation(pc, family, path)
    if config.naflex:
        if pc.get("patch_size", v.patch_size) != v.patch_size:
            raise SourceError(f"{path}: patch_size {pc['patch_size']} (expected: the model's, "
                              f"{v.patch_size})")
        patches = max_num_patches or pc.get("max_num_patches") or DEFAULT_MAX_NUM_PATCHES
        if not isinstance(patches, int) or patches < 1:
            raise SourceError(f"{path}: max_num_patches {patches!r} "
                              f"(expected: an integer >= 1)")
        return {"patches": {"patch_size": v.patch_size, "max_num_patches": patches},
                "resize": {"interpolation": interpolation}, "mean": mean, "std": std}
    if max_num_patches:
        raise SourceError("--max-num-patches: only for SigLIP 2 NaFlex models "
                          "(model_type siglip2); this one has a fixed resolution")
    size = pc.get("size", {})
    if not isinstance(size, dict) or not set(size) <= {"height", "width"}:
        sides = {None}  # shortest_edge, longest_edge, a bare number: not a square resize
    else:
        sides = {pc.get("image_size", v.image_size), size.get("height", v.image_size),
                 size.get("width", v.image_size)}
    if sides != {v.image_size}:
        raise SourceError(f"{path}: size {pc.get('size', pc.get('image_size'))!r} (expected: "
                          f"height = width = the model's image_size, {v.image_size})")
    return {"size": v.image_size,
            "resize": {"height": v.image_size, "width": v.image_size,
                       "interpolation": interpolation},
            "mean": mean, "std": std}


def fingerprint(files):
    """The first 12 hex digits of the SHA-256 of the weight files, in order."""
    digest = hashlib.sha256()
    for f in files:
        with f.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


def read_hf(folder, max_num_patches=None):
    """A Source from a Hugging Face folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder (expected: a Hugging Face SigLIP folder)")
    raw = _read_json(folder / "config.json", True)
    try:
        config = siglip_model.config_from_dict(raw)
    except ValueError as e:
        raise SourceError(f"{folder / 'config.json'}: {e}") from None
    kind = tokenizer_type(folder, config.model_type, _read_json(
        folder / "tokenizer_config.json", False))
    family = "siglip" if kind == "siglip" else "siglip2"
    tok = read_tokenizer(folder / TOKENIZER_FILES[kind], kind, config.text.vocab_size,
                         _pad_piece(folder))
    pc_path = folder / "preprocessor_config.json"
    image = image_settings(_read_json(pc_path, False), config, family, max_num_patches, pc_path)
    files, _ = safetensors.weight_files(folder)
    try:
        model = siglip_model.load(config, safetensors.read_folder(folder))
    except ValueError as e:
        if isinstance(e, safetensors.FormatError):
            raise
        raise SourceError(f"{files[0]}: {e}") from None
    name = sanitise_name(folder.resolve().name)
    version = f"{folder.resolve().name[:48]}-{fingerprint(files)}"
    kind_text = {"siglip": "SigLIP", "siglip2": "SigLIP 2 NaFlex" if config.naflex
                 else "SigLIP 2 (fixed resolution)"}[family]
    return Source(model, family, tok, image, name, version,
                  f"{kind_text} exported from {folder.resolve().name}",
                  f"Hugging Face folder `{folder.resolve().name}` ({kind_text}), supplied by "
                  f"the user; weights {', '.join(f.name for f in files)}.")


def read_random(variant, seed, vocab_size=None, tokenizer=None, max_num_patches=None):
    """A Source with random weights of a published checkpoint's shape (tests, benchmarks)."""
    spec = RANDOM_VARIANTS[variant]
    vocab = vocab_size or spec["vocab"]
    raw = {"model_type": spec["model_type"],
           "text_config": dict(spec["size"], vocab_size=vocab),
           "vision_config": dict(spec["size"], **spec["vision"])}
    config = siglip_model.config_from_dict(raw)
    kind = spec["tokenizer"]
    family = "siglip" if kind == "siglip" else "siglip2"
    tok = read_tokenizer(tokenizer or DEFAULT_TOKENIZERS[kind], kind, vocab)
    image = image_settings({}, config, family, max_num_patches)
    model = siglip_model.initialise(siglip_model.build(config), seed)
    return Source(model, family, tok, image, f"{variant}-random", f"random-seed{seed}",
                  f"random weights of the {variant} shape (seed {seed}): NOT a trained model",
                  f"Random weights of the {variant} shape (`--random {variant} --seed {seed}`, "
                  f"vocabulary {vocab}): for tests and benchmarks only; its predictions mean "
                  f"nothing.")
