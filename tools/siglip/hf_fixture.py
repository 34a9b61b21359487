"""Writes a tiny reference model as a Hugging Face folder, laid out as transformers'
save_pretrained (and the tokenizer's) would write it, for the export tests here and in Java.

    /usr/bin/python3 tools/siglip/hf_fixture.py --family siglip --out DIR [--bin]
    /usr/bin/python3 tools/siglip/hf_fixture.py --family siglip2 --out DIR

The weights are tests/reference/{siglip,siglip2}_weights.npz (their transformers outputs are in
*_outputs.npz). config.json holds in text_config / vision_config only what differs from the
class defaults, as save_pretrained writes it, so exporting the folder exercises the default
filling. `--bin` writes pytorch_model.bin (a torch pickle) instead of model.safetensors.
"""
import argparse
import json
import shutil
import sys
from collections import OrderedDict
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import model as siglip_model  # noqa: E402
import safetensors  # noqa: E402

REFERENCE = Path(__file__).resolve().parent / "tests" / "reference"
TINY = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4)
# The tiny models' full sub-configs (tests/reference/README.md).
TEXT = {"siglip": dict(TINY, vocab_size=1000, pad_token_id=1, eos_token_id=1, bos_token_id=None),
        "siglip2": dict(TINY, vocab_size=1000, pad_token_id=0, eos_token_id=1, bos_token_id=2,
                        projection_size=64)}
VISION = {"siglip": dict(TINY, image_size=224, patch_size=16),
          "siglip2": dict(TINY, num_patches=144, patch_size=16)}
# Fields each transformers class has (SiglipVisionConfig has no num_patches, Siglip2's no
# image_size) and its defaults.
VISION_FIELDS = {"siglip": set(asdict(siglip_model.VisionConfig())) - {"num_patches"},
                 "siglip2": set(asdict(siglip_model.VisionConfig())) - {"image_size"}}
TOP = {
    "siglip": {"architectures": ["SiglipModel"], "initializer_factor": 1.0,
               "model_type": "siglip", "torch_dtype": "float32",
               "transformers_version": "4.48.0.dev0"},
    "siglip2": {"architectures": ["Siglip2Model"], "dtype": "float32",
                "initializer_factor": 1.0, "model_type": "siglip2",
                "transformers_version": "5.0.0.dev0"},
}
MEAN_STD = {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
PREPROCESSOR = {
    "siglip": dict(MEAN_STD, do_convert_rgb=None, do_normalize=True, do_rescale=True,
                   do_resize=True, image_processor_type="SiglipImageProcessor",
                   processor_class="SiglipProcessor", resample=3,
                   rescale_factor=0.00392156862745098, size={"height": 224, "width": 224}),
    "siglip2": dict(MEAN_STD, do_convert_rgb=None, do_normalize=True, do_rescale=True,
                    do_resize=True, image_processor_type="Siglip2ImageProcessor",
                    max_num_patches=96, patch_size=16, processor_class="Siglip2Processor",
                    resample=2, rescale_factor=0.00392156862745098),
}


def _token(text):
    return {"content": text, "lstrip": False, "normalized": False, "rstrip": False,
            "single_word": False}


TOKENIZER = {
    "siglip": ("siglip_spm_unigram_1k.model", "spiece.model",
               {"tokenizer_class": "SiglipTokenizer", "do_lower_case": True,
                "model_max_length": 64, "model_input_names": ["input_ids"],
                "eos_token": "</s>", "pad_token": "</s>", "unk_token": "<unk>",
                "additional_special_tokens": [], "sp_model_kwargs": {}},
               {"eos_token": _token("</s>"), "pad_token": _token("</s>"),
                "unk_token": _token("<unk>")}),
    "siglip2": ("siglip2_gemma_spm_bpe_1k.model", "tokenizer.model",
                {"tokenizer_class": "GemmaTokenizer", "add_bos_token": False,
                 "add_eos_token": True, "padding_side": "right", "do_lower_case": True,
                 "model_max_length": 64, "model_input_names": ["input_ids"],
                 "bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>",
                 "unk_token": "<unk>", "sp_model_kwargs": {}},
                {"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>",
                 "unk_token": "<unk>"}),
}


def _differences(full, defaults, allowed):
    return {k: v for k, v in sorted(full.items()) if k in allowed and defaults.get(k) != v}


def config(family):
    """config.json as save_pretrained writes it: sub-configs hold only non-default fields."""
    text_defaults = asdict(siglip_model.TextConfig())
    vision_defaults = asdict(siglip_model.VisionConfig())
    text = _differences(TEXT[family], text_defaults, set(text_defaults))
    vision = _differences(VISION[family], vision_defaults, VISION_FIELDS[family])
    text["model_type"] = f"{family}_text_model"
    vision["model_type"] = f"{family}_vision_model"
    return dict(TOP[family], text_config=text, vision_config=vision)


def state_dict(family):
    """The tiny model's weights, name -> float32 tensor."""
    with np.load(REFERENCE / f"{family}_weights.npz") as data:
        return OrderedDict((k, torch.from_numpy(data[k].copy())) for k in data.files)


def write(family, out, as_bin=False):
    """Writes the folder; returns its path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(config(family), indent=2) + "\n")
    sd = state_dict(family)
    if as_bin:
        torch.save(sd, out / safetensors.TORCH_FILE)
    else:
        safetensors.write_file(out / safetensors.SINGLE_FILE, sd, {"format": "pt"})
    (out / "preprocessor_config.json").write_text(json.dumps(PREPROCESSOR[family], indent=2)
                                                  + "\n")
    source, target, tokenizer_config, special = TOKENIZER[family]
    shutil.copyfile(REFERENCE / source, out / target)
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2) + "\n")
    (out / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a tiny SigLIP / SigLIP 2 NaFlex model "
                                                 "as a Hugging Face folder.")
    parser.add_argument("--family", required=True, choices=["siglip", "siglip2"])
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--bin", action="store_true",
                        help="pytorch_model.bin instead of model.safetensors")
    args = parser.parse_args(argv)
    write(args.family, args.out, args.bin)
    print(f"wrote the tiny {args.family} model to {args.out}")


if __name__ == "__main__":
    main()
