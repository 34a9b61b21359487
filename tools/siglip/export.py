"""Exports a SigLIP / SigLIP 2 model to a ZeroShot Serve model directory.

    /usr/bin/python3 tools/siglip/export.py --hf-dir siglip-base-patch16-224/ --out DIR
    /usr/bin/python3 tools/siglip/export.py --random siglip2-base-patch16-naflex --seed 0 --out DIR

Writes image_encoder.pt and text_encoder.pt (TorchScript scripted on the CPU in float32, batch
size free), the tokenizer's SentencePiece file unchanged, model.json, MODEL_CARD.md and samples/
(three PNGs and reference_embeddings.json). Nothing is downloaded: the folder is one the user
has. Unreadable input ends with one line `error: ...` and exit code 1.
"""
import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import card  # noqa: E402
import checkpoints  # noqa: E402
import encoders  # noqa: E402
import safetensors  # noqa: E402
import samples  # noqa: E402
import spm  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
import modelformat  # noqa: E402

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # as ManifestReader checks it
ERRORS = (checkpoints.SourceError, safetensors.FormatError, spm.SpmError, OSError)


def parse_args(argv):
    """The command line; exactly one of --hf-dir and --random."""
    parser = argparse.ArgumentParser(description="Export a SigLIP / SigLIP 2 model for "
                                                 "ZeroShot Serve.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--hf-dir", type=Path, metavar="DIR",
                        help="Hugging Face SiglipModel / Siglip2Model folder (config.json, "
                             "weights, tokenizer, preprocessor_config.json)")
    source.add_argument("--random", metavar="VARIANT", choices=sorted(checkpoints.RANDOM_VARIANTS),
                        help="random weights of that published shape (for benchmarks)")
    parser.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    parser.add_argument("--vocab-size", type=int, metavar="N",
                        help="--random: rows of the token embedding (default: the real size, "
                             "32000 for SigLIP, 256000 for SigLIP 2 = 786 MB of float32 at "
                             "width 768)")
    parser.add_argument("--tokenizer", type=Path, metavar="FILE",
                        help="--random: SentencePiece file to ship (default: the 1000-piece "
                             "test model of tests/reference/ for the family)")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    parser.add_argument("--name", help="model name clients use (default: from the folder)")
    parser.add_argument("--version", help="model version, part of cache keys (default: folder "
                                          "name and a hash of the weights)")
    parser.add_argument("--text-attention-mask", action="store_true",
                        help="serve encode_text_with_mask (padding masked) instead of "
                             "encode_text (no mask, as the official checkpoints are run)")
    parser.add_argument("--no-lowercase", action="store_true",
                        help="Gemma tokenizer: do not lower-case labels before tokenising "
                             "(default: lower-case, as SigLIP 2 was trained)")
    parser.add_argument("--max-num-patches", type=int, metavar="N",
                        help="NaFlex: patches per image (default: preprocessor_config.json's, "
                             "else 256)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads (default: torch's choice)")
    args = parser.parse_args(argv)
    if args.hf_dir and (args.vocab_size or args.tokenizer):
        parser.error("--vocab-size and --tokenizer are for --random only")
    if args.max_num_patches is not None and args.max_num_patches < 1:
        parser.error(f"--max-num-patches: {args.max_num_patches} (expected: >= 1)")
    if args.vocab_size is not None and args.vocab_size < 1:
        parser.error(f"--vocab-size: {args.vocab_size} (expected: >= 1)")
    return args


def load_source(args):
    """The checkpoints.Source the arguments name."""
    if args.random:
        return checkpoints.read_random(args.random, args.seed, args.vocab_size, args.tokenizer,
                                       args.max_num_patches)
    return checkpoints.read_hf(args.hf_dir, args.max_num_patches)


def _text_inputs(tok, length, vocab, lengths, seed):
    """ids int64 [B, length] (random real tokens, then pad) and their mask."""
    gen = torch.Generator().manual_seed(seed)
    ids = torch.full((len(lengths), length), tok.pad_id, dtype=torch.int64)
    mask = torch.zeros(len(lengths), length, dtype=torch.int64)
    for row, n in enumerate(lengths):
        ids[row, :n] = torch.randint(0, min(vocab, tok.pieces), (n,), generator=gen)
        mask[row, :n] = 1
    return ids, mask


def export_towers(source, out, image_config):
    """Writes the two TorchScript files, each checked at batch 1 and 3.

    Returns ({file: {method: max abs diff}}, (the three sample images' encoder inputs, the
    module's pooled outputs for them)), the latter for samples.write to reuse.
    """
    model, c = source.model, source.model.config
    image_encoder, text_encoder = encoders.towers(model)
    three = samples.encoder_inputs(list(samples.images().values()), image_config)
    one = tuple(x[1:2] for x in three)
    image_checks = encoders.expected_outputs(image_encoder, "encode_image", [one, three])
    length = c.text.max_position_embeddings
    ids3, mask3 = _text_inputs(source.tokenizer, length, c.text.vocab_size, [5, length, 2], 1)
    ids1, mask1 = _text_inputs(source.tokenizer, length, c.text.vocab_size, [9], 2)
    text_checks = {
        "encode_text": encoders.expected_outputs(text_encoder, "encode_text",
                                                 [(ids1,), (ids3,)]),
        "encode_text_with_mask": encoders.expected_outputs(
            text_encoder, "encode_text_with_mask", [(ids1, mask1), (ids3, mask3)]),
    }
    diffs = {
        encoders.IMAGE_FILE: encoders.save_checked(
            image_encoder, out / encoders.IMAGE_FILE, {"encode_image": image_checks}),
        encoders.TEXT_FILE: encoders.save_checked(text_encoder, out / encoders.TEXT_FILE,
                                                  text_checks),
    }
    return diffs, image_checks[1]


def manifest(source, name, version, image_config, args):
    """model.json (field order as docs describe it)."""
    model, c, tok = source.model, source.model.config, source.tokenizer
    with torch.no_grad():  # float32 arithmetic, as the reference computes exp(logit_scale)
        scale = model.logit_scale.exp().item()
        bias = model.logit_bias.item()
    text = {"torchscript": encoders.TEXT_FILE,
            "method": "encode_text_with_mask" if args.text_attention_mask else "encode_text",
            "tokenizer": tok.file_name, "tokenizer_type": tok.type,
            "context_length": c.text.max_position_embeddings, "pad_id": tok.pad_id}
    if tok.type == "gemma":
        text["lowercase"] = not args.no_lowercase
    text["attention_mask"] = bool(args.text_attention_mask)
    return {
        "format_version": 1, "name": name, "version": version,
        "description": source.description, "family": source.family,
        "embedding_dim": c.embedding_dim, "scoring": "sigmoid",
        "logit_scale": scale, "logit_bias": bias,
        "image": dict({"torchscript": encoders.IMAGE_FILE, "method": "encode_image"},
                      **image_config),
        "text": text,
    }


def export(args):
    """Runs the whole export; returns the model.json written."""
    if args.threads:
        torch.set_num_threads(args.threads)
    started = time.time()
    source = load_source(args)
    if args.no_lowercase and source.tokenizer.type != "gemma":
        raise checkpoints.SourceError("--no-lowercase: only for the Gemma tokenizer (SigLIP 2); "
                                      "SigLIP's tokenizer always lower-cases")
    name = args.name or source.name
    version = args.version or source.version
    if not NAME.fullmatch(name):
        raise checkpoints.SourceError(f"--name {name!r} (expected: 1-64 of A-Z a-z 0-9 . _ -, "
                                      f"starting with a letter or digit)")
    if not version.strip() or len(version) > 64:
        raise checkpoints.SourceError(f"--version {version!r} (expected: 1-64 characters, "
                                      f"not blank)")
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        checks, computed = export_towers(source, out, source.image)
    shutil.copyfile(source.tokenizer.path, out / source.tokenizer.file_name)
    meta = manifest(source, name, version, source.image, args)
    modelformat.write_model_json(out, meta)
    reference = samples.write(source.model, source.image, out / "samples", computed)
    card.write(out / "MODEL_CARD.md", meta, source, checks, reference)
    print(f"exported {name} ({version}) to {out} in {time.time() - started:.1f} s")
    return meta


def main(argv=None):
    """Entry point: one line `error: ...` and exit code 1 on bad input."""
    try:
        export(parse_args(argv))
    except ERRORS as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
