"""Unit tests for tools/siglip: `/usr/bin/python3 -m unittest discover -s tools/siglip/tests -v`.

The reference outputs (tests/reference/*_outputs.npz) are transformers' for two tiny seeded
models; tolerance abs 1e-5 as the reference README gives it. Each comparison is paired with a
check that a plausible mistake (no bias, a text mask by default, no antialiasing, ...) would
move the result beyond that tolerance, so the comparisons can fail.
"""
import io
import json
import struct
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = Path(__file__).resolve().parent
TOOL = HERE.parent
REFERENCE = HERE / "reference"
sys.path.insert(0, str(TOOL))

import checkpoints  # noqa: E402
import encoders  # noqa: E402
import export  # noqa: E402
import hf_fixture  # noqa: E402
import model as siglip_model  # noqa: E402
import preprocess  # noqa: E402
import safetensors  # noqa: E402
import spm  # noqa: E402

TOLERANCE = 1e-5
FAMILIES = ("siglip", "siglip2")


def reference(family, kind):
    with np.load(REFERENCE / f"{family}_{kind}.npz") as data:
        return {k: data[k] for k in data.files}


def tiny_model(family):
    config = siglip_model.config_from_dict(hf_fixture.config(family))
    return siglip_model.load(config, hf_fixture.state_dict(family))


def image_args(family, inputs):
    if family == "siglip":
        return (torch.from_numpy(inputs["pixel_values"]),)
    return tuple(torch.from_numpy(inputs[k]) for k in
                 ("pixel_values", "pixel_attention_mask", "spatial_shapes"))


def max_diff(a, b):
    a = a.detach().numpy() if isinstance(a, torch.Tensor) else a
    return float(np.abs(np.asarray(a, dtype=np.float64) - b).max())


class ReferenceModelTest(unittest.TestCase):
    """The PyTorch model against transformers' outputs for the tiny models."""

    @classmethod
    def setUpClass(cls):
        cls.results = {}
        for family in FAMILIES:
            m, inputs = tiny_model(family), reference(family, "inputs")
            ids = torch.from_numpy(inputs["input_ids"])
            mask = torch.from_numpy(inputs["attention_mask"])
            with torch.no_grad():
                image = m.encode_image(*image_args(family, inputs))
                hidden = m.vision_model.hidden_states(*image_args(family, inputs))
                text = {"nomask": m.encode_text(ids), "mask": m.encode_text(ids, mask)}
                logits = {k: m.logits_per_image(image, t) for k, t in text.items()}
            cls.results[family] = dict(model=m, inputs=inputs, image=image, hidden=hidden,
                                       text=text, logits=logits,
                                       expected=reference(family, "outputs"))

    def test_image_features_match_transformers(self):
        for family, r in self.results.items():
            with self.subTest(family):
                e = r["expected"]
                self.assertLessEqual(max_diff(r["image"], e["image_pooler"]), TOLERANCE)
                self.assertLessEqual(max_diff(F.normalize(r["image"], dim=-1),
                                              e["image_embeds"]), TOLERANCE)
                self.assertLessEqual(max_diff(r["hidden"], e["vision_last_hidden_state"]),
                                     TOLERANCE)

    def test_text_features_match_transformers_with_and_without_mask(self):
        for family, r in self.results.items():
            for variant in ("nomask", "mask"):
                with self.subTest(family=family, variant=variant):
                    e, t = r["expected"], r["text"][variant]
                    self.assertLessEqual(max_diff(t, e[f"text_pooler_{variant}"]), TOLERANCE)
                    self.assertLessEqual(max_diff(F.normalize(t, dim=-1),
                                                  e[f"text_embeds_{variant}"]), TOLERANCE)

    def test_logits_and_sigmoid_probabilities_match_transformers(self):
        for family, r in self.results.items():
            for variant in ("nomask", "mask"):
                with self.subTest(family=family, variant=variant):
                    e, logits = r["expected"], r["logits"][variant]
                    self.assertLessEqual(max_diff(logits, e[f"logits_per_image_{variant}"]),
                                         TOLERANCE)
                    self.assertLessEqual(max_diff(logits.t(), e[f"logits_per_text_{variant}"]),
                                         TOLERANCE)
                    self.assertLessEqual(max_diff(torch.sigmoid(logits),
                                                  e[f"probs_per_image_{variant}"]), TOLERANCE)

    def test_the_comparisons_can_fail(self):
        for family, r in self.results.items():
            with self.subTest(family):
                e, m = r["expected"], r["model"]
                no_bias = r["logits"]["nomask"] - m.logit_bias
                self.assertGreater(max_diff(no_bias, e["logits_per_image_nomask"]), 1.0)
                # A text mask by default would not give the official (unmasked) outputs.
                self.assertGreater(max_diff(r["text"]["mask"], e["text_pooler_nomask"]), 1e-3)
                # Pooling at the end token instead of the last position would not either.
                ids = torch.from_numpy(r["inputs"]["input_ids"])
                with torch.no_grad():
                    x = m.text_model.embeddings(ids)
                    x = m.text_model.final_layer_norm(m.text_model.encoder(x, None))
                    at_eos = m.text_model.head(x[0:1, 4])  # row 0's end token is at index 4
                self.assertGreater(max_diff(at_eos, e["text_pooler_nomask"][0:1]), 1e-3)

    def test_naflex_needs_the_padding_mask_and_antialiased_positions(self):
        r = self.results["siglip2"]
        m, (patches, mask, shapes) = r["model"], image_args("siglip2", r["inputs"])
        expected = r["expected"]["image_pooler"]
        with torch.no_grad():
            unmasked = m.encode_image(patches, torch.ones_like(mask), shapes)
        self.assertGreater(max_diff(unmasked[0], expected[0]), 1e-3)  # image 0 has padding
        emb = m.vision_model.embeddings
        grid = emb.position_embedding.weight.detach().reshape(12, 12, -1).permute(2, 0, 1)[None]
        with torch.no_grad():
            ours = emb.resized_positions(shapes[:1], patches.shape[1])[0, :81]
        plain = F.interpolate(grid, size=[9, 9], mode="bilinear", align_corners=False)
        self.assertGreater(max_diff(ours, plain.reshape(64, 81).t().numpy()), 1e-3)

    def test_mask_value_is_float32_minimum(self):
        self.assertEqual(siglip_model.MASK_VALUE, float(np.finfo(np.float32).min))
        mask = siglip_model.additive_mask(torch.tensor([[1, 0]]), torch.float32)
        self.assertEqual(mask[0, 0, 0].tolist(), [0.0, siglip_model.MASK_VALUE])


class TorchScriptTest(unittest.TestCase):
    """The scripted towers, saved and reloaded, against transformers' outputs."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.loaded = {}
        for family in FAMILIES:
            image, text = encoders.towers(tiny_model(family))
            for module, name in ((image, "image"), (text, "text")):
                path = Path(cls.tmp.name) / f"{family}-{name}.pt"
                torch.jit.save(torch.jit.script(module), str(path))
                cls.loaded[family, name] = torch.jit.load(str(path))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_reloaded_encoders_match_transformers_at_batch_3_and_1(self):
        for family in FAMILIES:
            inputs, e = reference(family, "inputs"), reference(family, "outputs")
            image, text = self.loaded[family, "image"], self.loaded[family, "text"]
            ids = torch.from_numpy(inputs["input_ids"])
            mask = torch.from_numpy(inputs["attention_mask"])
            args = image_args(family, inputs)
            with torch.no_grad():
                outputs = {
                    "image_pooler": image.encode_image(*args),
                    "text_pooler_nomask": text.encode_text(ids[:3]),
                    "text_pooler_mask": text.encode_text_with_mask(ids[:3], mask[:3]),
                }
                for row in range(3):
                    one = image.encode_image(*(a[row:row + 1] for a in args))
                    self.assertEqual(tuple(one.shape), (1, 64))
                    self.assertLessEqual(max_diff(one, e["image_pooler"][row:row + 1]),
                                         TOLERANCE, f"{family} image {row} alone")
                    t = text.encode_text(ids[row:row + 1])
                    self.assertLessEqual(max_diff(t, e["text_pooler_nomask"][row:row + 1]),
                                         TOLERANCE, f"{family} text {row} alone")
            for key, value in outputs.items():
                with self.subTest(family=family, output=key):
                    self.assertEqual(value.dtype, torch.float32)
                    self.assertLessEqual(max_diff(value, e[key][:value.shape[0]]), TOLERANCE)

    def test_naflex_encoder_rejects_shapes_larger_than_the_patches(self):
        image = self.loaded["siglip2", "image"]
        patches = torch.zeros(1, 96, 768)
        with self.assertRaises(Exception):
            image.encode_image(patches, torch.ones(1, 96, dtype=torch.int64),
                               torch.tensor([[10, 10]]))

    def test_save_checked_fails_when_the_saved_file_differs(self):
        image, _ = encoders.towers(tiny_model("siglip"))
        args = image_args("siglip", reference("siglip", "inputs"))

        class Drifting(torch.nn.Module):  # scripted, it computes what a broken export would
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            @torch.jit.export
            def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
                out = self.inner.encode_image(pixels)
                if torch.jit.is_scripting():
                    out = out + 1e-4
                return out

        path = Path(self.tmp.name) / "drifting.pt"
        checks = {"encode_image": encoders.expected_outputs(image, "encode_image", [args])}
        diffs = encoders.save_checked(image, path, checks)
        self.assertLessEqual(diffs["encode_image"], encoders.MAX_ABS_DIFF)
        with self.assertRaisesRegex(RuntimeError, "differs"):
            encoders.save_checked(Drifting(image), path, checks)


class PreprocessTest(unittest.TestCase):
    """Pillow preprocessing against the processors' pixel_values (exact)."""

    def images(self):
        inputs = reference("siglip", "inputs")
        return [Image.fromarray(inputs[f"image{i}_uint8"]) for i in range(3)]

    def test_siglip_square_bicubic_is_exact(self):
        expected = reference("siglip", "inputs")["pixel_values"]
        got = np.stack([preprocess.fixed(im, 224, "bicubic") for im in self.images()])
        self.assertTrue(np.array_equal(got, expected))
        bilinear = np.stack([preprocess.fixed(im, 224, "bilinear") for im in self.images()])
        self.assertGreater(np.abs(bilinear - expected).max(), 1e-3)

    def test_naflex_patches_mask_and_shapes_are_exact(self):
        expected = reference("siglip2", "inputs")
        config = {"patches": {"patch_size": 16, "max_num_patches": 96},
                  "resize": {"interpolation": "bilinear"}, "mean": [0.5] * 3, "std": [0.5] * 3}
        patches, mask, shapes = preprocess.batch(self.images(), config)
        self.assertEqual(shapes.tolist(), [[9, 9], [8, 12], [6, 16]])
        self.assertTrue(np.array_equal(shapes, expected["spatial_shapes"]))
        self.assertTrue(np.array_equal(mask, expected["pixel_attention_mask"]))
        self.assertTrue(np.array_equal(patches, expected["pixel_values"]))
        self.assertEqual(patches.dtype, np.float32)
        self.assertEqual(mask.dtype, np.int64)

    def test_naflex_size_rule(self):
        self.assertEqual(preprocess.naflex_size(224, 224, 16, 96), (144, 144))
        self.assertEqual(preprocess.naflex_size(160, 240, 16, 96), (128, 192))
        self.assertEqual(preprocess.naflex_size(96, 288, 16, 96), (96, 256))
        self.assertEqual(preprocess.naflex_size(224, 224, 16, 256), (256, 256))
        h, w = preprocess.naflex_size(1, 5000, 16, 256)  # at least one patch row
        self.assertEqual(h, 16)
        self.assertLessEqual((h // 16) * (w // 16), 256)

    def test_patch_order_is_row_column_channel(self):
        image = Image.fromarray(np.arange(32 * 16 * 3, dtype=np.uint8).reshape(16, 32, 3))
        x = preprocess._normalise(image, [0.5] * 3, [0.5] * 3)
        patches, mask, shape = preprocess.naflex(image, 16, 2)
        self.assertEqual(shape.tolist(), [1, 2])
        self.assertTrue(np.array_equal(patches[1], x[:, 16:32].reshape(-1)))


class SafetensorsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_round_trip_keeps_names_shapes_values_and_metadata(self):
        tensors = {"a.weight": torch.randn(3, 4), "b": torch.arange(5, dtype=torch.int64),
                   "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3)}
        path = self.dir / "x.safetensors"
        safetensors.write_file(path, tensors, {"format": "pt"})
        read, metadata = safetensors.read_file(path, with_metadata=True)
        self.assertEqual(list(read), list(tensors))
        self.assertEqual(metadata, {"format": "pt"})
        for name, t in tensors.items():
            self.assertEqual(read[name].dtype, t.dtype)
            self.assertTrue(torch.equal(read[name], t), name)
        (length,) = struct.unpack("<Q", path.read_bytes()[:8])
        self.assertEqual(length % 8, 0)

    def test_half_and_bfloat16_are_widened_exactly(self):
        values = torch.tensor([1.0, -2.5, 3.140625, 65504.0, 1e-3])
        path = self.dir / "h.safetensors"
        safetensors.write_file(path, {"f16": values.half(), "bf16": values.bfloat16()})
        read = safetensors.read_file(path)
        self.assertEqual(read["f16"].dtype, torch.float32)
        self.assertTrue(torch.equal(read["f16"], values.half().float()))
        self.assertTrue(torch.equal(read["bf16"], values.bfloat16().float()))
        self.assertFalse(torch.equal(read["bf16"], values.half().float()))  # can fail

    def test_truncated_file_and_bad_headers_give_clear_errors(self):
        path = self.dir / "t.safetensors"
        safetensors.write_file(path, {"w": torch.ones(100)})
        data = path.read_bytes()
        cases = {
            "truncated": data[:-10],
            "header length": data[:20],
            "bytes": b"\x03\x00\x00\x00",
            "not valid UTF-8 JSON": struct.pack("<Q", 8) + b"{nope:1}",
            "expected: an object": struct.pack("<Q", 8) + b"[1,2,3] ",
            "dtype": _raw({"w": {"dtype": "F8", "shape": [1], "data_offsets": [0, 1]}}, 1),
            "(expected: 400)": _raw({"w": {"dtype": "F32", "shape": [100],
                                     "data_offsets": [0, 399]}}, 400),
            "overlap": _raw({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}},
                            12),
            "duplicate": struct.pack("<Q", 16) + b'{"a":1, "a":2}  ',
        }
        for expected, content in cases.items():
            with self.subTest(expected):
                path.write_bytes(content)
                with self.assertRaises(safetensors.FormatError) as caught:
                    safetensors.read_file(path)
                message = str(caught.exception)
                self.assertIn(str(path), message)
                self.assertIn(expected, message)
                self.assertNotIn("\n", message)

    def test_sharded_folders_and_pytorch_bin_are_read(self):
        sd = hf_fixture.state_dict("siglip")
        names = list(sd)
        half = len(names) // 2
        shards = {"model-00001-of-00002.safetensors": names[:half],
                  "model-00002-of-00002.safetensors": names[half:]}
        for shard, keys in shards.items():
            safetensors.write_file(self.dir / shard, {k: sd[k] for k in keys})
        index = {"metadata": {"total_size": 0},
                 "weight_map": {k: s for s, keys in shards.items() for k in keys}}
        (self.dir / safetensors.SHARD_INDEX).write_text(json.dumps(index))
        read = safetensors.read_folder(self.dir)
        self.assertEqual(set(read), set(sd))
        self.assertTrue(all(torch.equal(read[k], sd[k]) for k in sd))
        index["weight_map"]["extra.weight"] = "model-00001-of-00002.safetensors"
        (self.dir / safetensors.SHARD_INDEX).write_text(json.dumps(index))
        with self.assertRaisesRegex(safetensors.FormatError, "in no shard"):
            safetensors.read_folder(self.dir)
        bin_dir = self.dir / "bin"
        bin_dir.mkdir()
        torch.save({k: v.half() for k, v in sd.items()}, bin_dir / safetensors.TORCH_FILE)
        read = safetensors.read_folder(bin_dir)
        self.assertEqual(read[names[0]].dtype, torch.float32)
        with self.assertRaisesRegex(safetensors.FormatError, "no weights"):
            safetensors.read_folder(self.dir / "missing")


def _raw(header, data_size):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + b"\0" * data_size


class ConfigTest(unittest.TestCase):
    def test_missing_fields_take_the_documented_defaults(self):
        c = siglip_model.config_from_dict({"model_type": "siglip"})
        self.assertEqual((c.text.vocab_size, c.text.hidden_size, c.text.num_hidden_layers,
                          c.text.max_position_embeddings, c.text.pad_token_id),
                         (32000, 768, 12, 64, 1))
        self.assertEqual(c.text.projection_size, 768)
        self.assertEqual((c.vision.image_size, c.vision.patch_size, c.vision.layer_norm_eps,
                          c.vision.hidden_act), (224, 16, 1e-6, "gelu_pytorch_tanh"))
        c2 = siglip_model.config_from_dict({"model_type": "siglip2", "text_config": {
            "hidden_size": 1152, "projection_size": None}, "vision_config": {
            "hidden_size": 1152, "num_attention_heads": 16}})
        self.assertEqual(c2.vision.num_patches, 256)
        self.assertEqual(c2.text.projection_size, 1152)
        self.assertTrue(c2.naflex)

    def test_the_fixture_config_holds_only_differences_yet_rebuilds_the_tiny_model(self):
        raw = hf_fixture.config("siglip")
        self.assertNotIn("image_size", raw["vision_config"])
        self.assertNotIn("layer_norm_eps", raw["text_config"])
        self.assertNotIn("projection_size", raw["text_config"])
        c = siglip_model.config_from_dict(raw)
        self.assertEqual((c.text.hidden_size, c.text.projection_size, c.vision.image_size),
                         (64, 64, 224))

    def test_configs_that_cannot_be_computed_are_refused(self):
        cases = {
            "vision_use_head": {"model_type": "siglip",
                                "vision_config": {"vision_use_head": False}},
            "model_type": {"model_type": "clip"},
            "hidden_act": {"model_type": "siglip", "text_config": {"hidden_act": "relu"}},
            "vocab_size": {"model_type": "siglip", "text_config": {"vocab_size": "many"}},
            "projection_size": {"model_type": "siglip", "text_config": {"projection_size": 5}},
            "num_patches": {"model_type": "siglip2", "vision_config": {"num_patches": 200}},
        }
        for field, raw in cases.items():
            with self.subTest(field):
                with self.assertRaisesRegex(ValueError, field):
                    siglip_model.config_from_dict(raw)

    def test_old_position_id_buffers_are_ignored_and_other_names_must_match(self):
        config = siglip_model.config_from_dict(hf_fixture.config("siglip"))
        sd = hf_fixture.state_dict("siglip")
        sd["text_model.embeddings.position_ids"] = torch.arange(64)[None]
        siglip_model.load(config, sd)
        sd["vision_model.head.extra"] = torch.zeros(1)
        with self.assertRaisesRegex(ValueError, "unexpected"):
            siglip_model.load(config, sd)

    def test_random_variants_have_the_published_shapes(self):
        sizes = {"siglip-base-patch16-224": (768, 12, 224, 32000),
                 "siglip-so400m-patch14-384": (1152, 27, 384, 32000),
                 "siglip2-base-patch16-224": (768, 12, 224, 256000)}
        for variant, (width, layers, size, vocab) in sizes.items():
            spec = checkpoints.RANDOM_VARIANTS[variant]
            self.assertEqual((spec["size"]["hidden_size"], spec["size"]["num_hidden_layers"],
                              spec["vision"]["image_size"], spec["vocab"]),
                             (width, layers, size, vocab))
        self.assertEqual(checkpoints.RANDOM_VARIANTS["siglip2-base-patch16-naflex"]["model_type"],
                         "siglip2")


class PreprocessorConfigTest(unittest.TestCase):
    def setUp(self):
        self.fixed = siglip_model.config_from_dict(hf_fixture.config("siglip"))
        self.naflex = siglip_model.config_from_dict(hf_fixture.config("siglip2"))

    def test_fields_are_read_with_the_family_defaults(self):
        image = checkpoints.image_settings({}, self.fixed, "siglip", None)
        self.assertEqual(image["resize"], {"height": 224, "width": 224,
                                           "interpolation": "bicubic"})
        image = checkpoints.image_settings({}, self.fixed, "siglip2", None)
        self.assertEqual(image["resize"]["interpolation"], "bilinear")
        image = checkpoints.image_settings({"resample": 2, "image_mean": 0.25,
                                            "image_std": [0.5, 0.25, 0.125]},
                                           self.fixed, "siglip", None)
        self.assertEqual((image["resize"]["interpolation"], image["mean"], image["std"]),
                         ("bilinear", [0.25] * 3, [0.5, 0.25, 0.125]))
        image = checkpoints.image_settings({"max_num_patches": 96}, self.naflex, "siglip2",
                                           None)
        self.assertEqual(image["patches"], {"patch_size": 16, "max_num_patches": 96})
        image = checkpoints.image_settings({}, self.naflex, "siglip2", None)
        self.assertEqual(image["patches"]["max_num_patches"], 256)

    def test_what_the_server_cannot_reproduce_is_refused(self):
        cases = [({"size": {"shortest_edge": 224}}, self.fixed, "size"),
                 ({"size": {"height": 256, "width": 256}}, self.fixed, "size"),
                 ({"do_resize": False}, self.fixed, "do_resize"),
                 ({"rescale_factor": 1.0}, self.fixed, "rescale_factor"),
                 ({"resample": 1}, self.fixed, "resample"),
                 ({"image_std": [0.5, 0.0, 0.5]}, self.fixed, "image_std"),
                 ({"patch_size": 14}, self.naflex, "patch_size")]
        for pc, config, field in cases:
            with self.subTest(pc):
                with self.assertRaisesRegex(checkpoints.SourceError, field):
                    checkpoints.image_settings(pc, config, "siglip", None)


class TokenizerFileTest(unittest.TestCase):
    def test_pad_ids_come_from_the_sentencepiece_pieces(self):
        pieces = spm.read_pieces(REFERENCE / "siglip_spm_unigram_1k.model")
        self.assertEqual(len(pieces), 1000)
        self.assertEqual(spm.piece_id(pieces, "</s>", "x"), 1)
        gemma = spm.read_pieces(REFERENCE / "siglip2_gemma_spm_bpe_1k.model")
        self.assertEqual([spm.piece_id(gemma, p, "x") for p in ("<pad>", "<eos>", "<bos>")],
                         [0, 1, 2])
        self.assertEqual(gemma[5], ("<0x00>", "byte"))

    def test_a_file_that_is_not_a_model_is_refused(self):
        with self.assertRaises(spm.SpmError):
            spm.read_pieces(REFERENCE / "siglip_inputs.npz")


def run_export(argv):
    """export.main in this process: (exit code, stderr)."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            export.main([str(a) for a in argv])
        except SystemExit as e:
            return e.code, err.getvalue()
    return 0, err.getvalue()


class ExportTest(unittest.TestCase):
    """hf_fixture -> export.py, as the Java tests run them."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)
        cls.meta = {}
        for family in FAMILIES:
            hf = hf_fixture.write(family, cls.root / f"hf-{family}")
            code, err = run_export(["--hf-dir", hf, "--out", cls.root / f"out-{family}",
                                    "--threads", "2"])
            assert code == 0, err
            cls.meta[family] = json.loads((cls.root / f"out-{family}" / "model.json").read_text())

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_model_json_has_the_agreed_schema(self):
        mean_std = {"mean": [0.5] * 3, "std": [0.5] * 3}
        images = {
            "siglip": dict({"torchscript": "image_encoder.pt", "method": "encode_image",
                            "size": 224, "resize": {"height": 224, "width": 224,
                                                    "interpolation": "bicubic"}}, **mean_std),
            "siglip2": dict({"torchscript": "image_encoder.pt", "method": "encode_image",
                             "patches": {"patch_size": 16, "max_num_patches": 96},
                             "resize": {"interpolation": "bilinear"}}, **mean_std),
        }
        texts = {
            "siglip": {"torchscript": "text_encoder.pt", "method": "encode_text",
                       "tokenizer": "spiece.model", "tokenizer_type": "siglip",
                       "context_length": 64, "pad_id": 1, "attention_mask": False},
            "siglip2": {"torchscript": "text_encoder.pt", "method": "encode_text",
                        "tokenizer": "tokenizer.model", "tokenizer_type": "gemma",
                        "context_length": 64, "pad_id": 0, "lowercase": True,
                        "attention_mask": False},
        }
        for family, meta in self.meta.items():
            with self.subTest(family):
                self.assertEqual(list(meta), ["format_version", "name", "version", "description",
                                              "family", "embedding_dim", "scoring",
                                              "logit_scale", "logit_bias", "image", "text"])
                self.assertEqual(meta["format_version"], 1)
                self.assertEqual(meta["name"], f"hf-{family}")
                self.assertRegex(meta["version"], rf"^hf-{family}-[0-9a-f]{{12}}$")
                self.assertEqual((meta["family"], meta["embedding_dim"], meta["scoring"]),
                                 (family, 64, "sigmoid"))
                self.assertAlmostEqual(meta["logit_scale"], 10.0, places=5)
                self.assertEqual(meta["logit_bias"], -1.5)
                self.assertEqual(meta["image"], images[family])
                self.assertEqual(meta["text"], texts[family])

    def test_export_holds_the_files_and_the_unchanged_tokenizer(self):
        for family, tokenizer in (("siglip", "spiece.model"), ("siglip2", "tokenizer.model")):
            out = self.root / f"out-{family}"
            for name in ("image_encoder.pt", "text_encoder.pt", "MODEL_CARD.md",
                         "samples/reference_embeddings.json", "samples/ramp.png"):
                self.assertTrue((out / name).is_file(), f"{family}: {name}")
            self.assertEqual((out / tokenizer).read_bytes(),
                             (self.root / f"hf-{family}" / tokenizer).read_bytes())
            for text in [p.read_text("utf-8") for p in out.rglob("*.json")] + [
                    (out / "MODEL_CARD.md").read_text("utf-8")]:
                self.assertNotIn(str(self.root), text)

    def test_sample_embeddings_equal_transformers_image_embeds(self):
        for family in FAMILIES:
            samples = json.loads((self.root / f"out-{family}" / "samples" /
                                  "reference_embeddings.json").read_text())
            self.assertEqual([i["file"] for i in samples["images"]],
                             ["samples/ramp.png", "samples/noise.png", "samples/pattern.png"])
            self.assertEqual(samples["texts"], [])
            got = np.array([i["embedding"] for i in samples["images"]])
            self.assertLessEqual(max_diff(got, reference(family, "outputs")["image_embeds"]),
                                 TOLERANCE, family)

    def test_exported_files_serve_the_reference_outputs(self):
        for family in FAMILIES:
            out, inputs = self.root / f"out-{family}", reference(family, "inputs")
            e = reference(family, "outputs")
            image = torch.jit.load(str(out / "image_encoder.pt"))
            text = torch.jit.load(str(out / "text_encoder.pt"))
            with torch.no_grad():
                self.assertLessEqual(max_diff(image.encode_image(*image_args(family, inputs)),
                                              e["image_pooler"]), TOLERANCE)
                ids = torch.from_numpy(inputs["input_ids"])
                self.assertLessEqual(max_diff(text.encode_text(ids), e["text_pooler_nomask"]),
                                     TOLERANCE)

    def test_options_switch_mask_lowercase_patches_and_name(self):
        out = self.root / "opts"
        code, err = run_export(["--hf-dir", self.root / "hf-siglip2", "--out", out,
                                "--text-attention-mask", "--no-lowercase",
                                "--max-num-patches", "64", "--name", "tiny", "--version", "v1"])
        self.assertEqual(code, 0, err)
        meta = json.loads((out / "model.json").read_text())
        self.assertEqual((meta["name"], meta["version"]), ("tiny", "v1"))
        self.assertEqual(meta["text"]["method"], "encode_text_with_mask")
        self.assertEqual((meta["text"]["attention_mask"], meta["text"]["lowercase"]),
                         (True, False))
        self.assertEqual(meta["image"]["patches"]["max_num_patches"], 64)

    def test_pytorch_bin_folder_exports_the_same_model(self):
        hf = hf_fixture.write("siglip", self.root / "hf-bin", as_bin=True)
        self.assertFalse((hf / "model.safetensors").exists())
        code, err = run_export(["--hf-dir", hf, "--out", self.root / "out-bin"])
        self.assertEqual(code, 0, err)
        meta = json.loads((self.root / "out-bin" / "model.json").read_text())
        self.assertEqual(meta["logit_bias"], -1.5)
        a = (self.root / "out-bin" / "samples" / "reference_embeddings.json").read_text()
        b = (self.root / "out-siglip" / "samples" / "reference_embeddings.json").read_text()
        self.assertEqual(json.loads(a)["images"], json.loads(b)["images"])

    def test_siglip2_fixed_resolution_is_recognised_by_its_gemma_tokenizer(self):
        hf = hf_fixture.write("siglip", self.root / "hf-fixed2")
        (hf / "spiece.model").unlink()
        (hf / "preprocessor_config.json").unlink()  # SigLIP 2's default: bilinear
        (hf / "special_tokens_map.json").unlink()
        (hf / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "GemmaTokenizer"}))
        (hf / "tokenizer.model").write_bytes(
            (REFERENCE / "siglip2_gemma_spm_bpe_1k.model").read_bytes())
        code, err = run_export(["--hf-dir", hf, "--out", self.root / "out-fixed2"])
        self.assertEqual(code, 0, err)
        meta = json.loads((self.root / "out-fixed2" / "model.json").read_text())
        self.assertEqual((meta["family"], meta["image"]["size"],
                          meta["image"]["resize"]["interpolation"], meta["text"]["tokenizer"],
                          meta["text"]["tokenizer_type"], meta["text"]["pad_id"],
                          meta["text"]["lowercase"]),
                         ("siglip2", 224, "bilinear", "tokenizer.model", "gemma", 0, True))

    def test_unusable_folders_end_with_one_error_line(self):
        only_json = hf_fixture.write("siglip2", self.root / "hf-json")
        (only_json / "tokenizer.model").unlink()
        (only_json / "tokenizer.json").write_text("{}")
        truncated = hf_fixture.write("siglip", self.root / "hf-cut")
        data = (truncated / "model.safetensors").read_bytes()
        (truncated / "model.safetensors").write_bytes(data[:len(data) // 2])
        no_config = self.root / "hf-empty"
        no_config.mkdir()
        cases = [
            ([only_json], "tokenizer.model"),
            ([truncated], "truncated"),
            ([no_config], "config.json"),
            ([self.root / "hf-siglip", "--max-num-patches", "64"], "NaFlex"),
            ([self.root / "hf-siglip", "--name", "bad name!"], "--name"),
        ]
        for args, expected in cases:
            with self.subTest(expected):
                code, err = run_export(["--hf-dir", *args, "--out", self.root / "never"])
                self.assertEqual(code, 1)
                self.assertRegex(err, r"^error: [^\n]+\n$")
                self.assertIn(expected, err)

    def test_command_line_reports_errors_without_a_traceback(self):
        result = subprocess.run(
            [sys.executable, str(TOOL / "export.py"), "--hf-dir", str(self.root / "nothing"),
             "--out", str(self.root / "never")], capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertTrue(result.stderr.startswith("error: "), result.stderr)


if __name__ == "__main__":
    unittest.main()
