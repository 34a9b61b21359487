"""Unit tests for tools/clip: `/usr/bin/python3 -m unittest discover -s tools/clip/tests`.

The Java tests (ClipTokenizerTest, ClipExportTest) check the exported files end to end; these
check the pieces in Python, on a small model so that they run in seconds.
"""
import json
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import tokenizer  # noqa: E402

try:
    import torch
    import checkpoints
    import model as clip_model
except ImportError:  # the tokenizer tests need no torch
    torch = None

SMALL = dict(embed_dim=32, image_resolution=64, vision_layers=2, vision_width=64,
             vision_patch_size=16, context_length=77, vocab_size=49408,
             transformer_width=64, transformer_heads=1, transformer_layers=2)


class TokenizerTest(unittest.TestCase):
    def test_python_tokenizer_gives_the_reference_ids(self):
        tok = tokenizer.ClipTokenizer()
        vectors = json.loads((HERE / "tokenizer-vectors.json").read_text("utf-8"))["vectors"]
        for v in vectors:
            ids = tok.tokenize(v["text"])
            self.assertEqual(ids[:len(v["ids"])], v["ids"], v["text"])
            self.assertEqual(set(ids[len(v["ids"]):]), {0} if len(v["ids"]) < 77 else set())

    def test_vocabulary_has_openai_size_and_special_ids(self):
        data = tokenizer.build_tokenizer_json()
        vocab = data["model"]["vocab"]
        self.assertEqual(len(vocab), 49408)
        self.assertEqual(vocab["<|startoftext|>"], 49406)
        self.assertEqual(vocab["<|endoftext|>"], 49407)
        self.assertEqual(data["padding"]["pad_id"], 0)

    def test_json_entity_replacements_agree_with_html_unescape(self):
        import html
        for entity, text in tokenizer.HTML_ENTITIES:
            self.assertEqual(html.unescape(entity), text, entity)

    def test_html_entities_are_unescaped_in_python(self):
        tok = tokenizer.ClipTokenizer()
        self.assertEqual(tok.encode("cats &amp; dogs"), tok.encode("cats & dogs"))


@unittest.skipIf(torch is None, "torch is not installed (apt-get install python3-torch)")
class ModelTest(unittest.TestCase):
    def test_sizes_are_inferred_from_openai_state_dict(self):
        model = clip_model.CLIP(clip_model.ClipConfig(**SMALL))
        config = clip_model.ClipConfig.from_state_dict(model.state_dict())
        self.assertEqual(config, clip_model.ClipConfig(**SMALL))

    def test_vit_b_32_has_openai_parameter_count(self):
        model = clip_model.CLIP(clip_model.ClipConfig(**clip_model.VIT_B_32))
        self.assertAlmostEqual(sum(p.numel() for p in model.parameters()) / 1e6, 151.3, 1)

    def test_hugging_face_names_map_to_openai_names(self):
        model = clip_model.CLIP(clip_model.ClipConfig(**SMALL))
        sd = model.state_dict()
        converted = checkpoints.openai_from_hugging_face(hugging_face_names(sd))
        self.assertEqual(set(converted), set(sd))
        for key, value in sd.items():
            self.assertTrue(torch.equal(converted[key], value), key)

    def test_fp16_checkpoint_loads_as_float32(self):
        model = clip_model.CLIP(clip_model.ClipConfig(**SMALL))
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "small.pt"
            torch.save({k: v.half() for k, v in model.state_dict().items()}, path)
            loaded = checkpoints.build(checkpoints.read_openai(path), "small.pt")
        self.assertEqual(loaded.text_projection.dtype, torch.float32)

    def test_unreadable_checkpoint_exits_with_a_message(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "bad.pt"
            path.write_text("not a checkpoint")
            with self.assertRaises(SystemExit) as e:
                checkpoints.read_openai(path)
        self.assertIn("cannot be read as TorchScript or as a torch.save file", str(e.exception))

    def test_text_feature_is_read_at_the_end_token(self):
        model = clip_model.CLIP(clip_model.ClipConfig(**SMALL)).eval()
        tok = tokenizer.ClipTokenizer()
        ids = torch.tensor([tok.tokenize("a dog")])
        padded_differently = ids.clone()
        padded_differently[0, 5:] = 7  # after the end token; the causal mask hides it
        with torch.no_grad():
            a = model.encode_text(ids)
            b = model.encode_text(padded_differently)
        self.assertTrue(torch.allclose(a, b, atol=1e-6))


def hugging_face_names(sd):
    """The inverse of checkpoints.openai_from_hugging_face, for the round-trip test."""
    top = {v: k for k, v in checkpoints.HF_TOP.items()}
    hf = {}
    for key, value in sd.items():
        if key in top:
            hf[top[key]] = value
        elif key == "text_projection":
            hf["text_projection.weight"] = value.t()
        elif key == "visual.proj":
            hf["visual_projection.weight"] = value.t()
    for hf_prefix, prefix in checkpoints.HF_TOWERS.items():
        blocks = {k[len(prefix):].split(".")[0] for k in sd
                  if k.startswith(prefix) and not (prefix == "transformer.resblocks."
                                                   and k.startswith("visual."))}
        for i in blocks:
            src, dst = f"{prefix}{i}.", f"{hf_prefix}{i}."
            for hf_name, name in checkpoints.HF_BLOCK.items():
                for kind in ("weight", "bias"):
                    hf[f"{dst}{hf_name}.{kind}"] = sd[f"{src}{name}.{kind}"]
            for kind in ("weight", "bias"):
                q, k, v = sd[f"{src}attn.in_proj_{kind}"].chunk(3)
                hf[f"{dst}self_attn.q_proj.{kind}"] = q
                hf[f"{dst}self_attn.k_proj.{kind}"] = k
                hf[f"{dst}self_attn.v_proj.{kind}"] = v
    return hf


if __name__ == "__main__":
    unittest.main()
