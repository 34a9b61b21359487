"""Unit tests for tools/common: `/usr/bin/python3 -m unittest discover -s tools/common/tests`
(also run by ModelFormatToolTest).

The shared CLIP preprocessing gives clip.load's own tensors bit for bit, and the model.json the
tiny model's trainer writes is the bundled one byte for byte.
"""
import json
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parents[1]
REPO = TOOLS.parent
sys.path.insert(0, str(HERE.parent))

import modelformat  # noqa: E402

try:
    import torch  # noqa: F401  (tools/tinyclip/train.py needs it)
except ImportError:
    torch = None


class ClipPreprocessTest(unittest.TestCase):
    def test_the_reference_photos_give_clip_loads_tensors_bit_for_bit(self):
        folder = TOOLS / "clip" / "tests" / "preprocess"
        cases = json.loads((folder / "reference.json").read_text("utf-8"))["cases"]
        self.assertEqual(len(cases), 4)
        for case in cases:
            expected = np.fromfile(folder / case["tensor"], dtype="<f4").reshape(case["shape"])
            actual = modelformat.clip_preprocess(Image.open(folder / case["image"]), 224)
            self.assertEqual(actual.dtype, np.float32, case["image"])
            self.assertTrue(np.array_equal(actual, expected), case["image"])

    def test_the_short_side_is_resized_and_the_long_side_truncated(self):
        self.assertEqual(modelformat.clip_resized_size(451, 300, 224), (336, 224))
        self.assertEqual(modelformat.clip_resized_size(300, 451, 224), (224, 336))
        self.assertEqual(modelformat.clip_resized_size(224, 224, 224), (224, 224))

    def test_the_centre_crop_rounds_its_offsets(self):
        self.assertEqual(modelformat.clip_crop_box(336, 224, 224), (56, 0, 280, 224))
        self.assertEqual(modelformat.clip_crop_box(225, 224, 224), (0, 0, 224, 224))
        self.assertEqual(modelformat.clip_crop_box(227, 224, 224), (2, 0, 226, 224))


class ModelJsonTest(unittest.TestCase):
    def test_model_json_keeps_the_key_order_with_two_space_indents_and_a_final_newline(self):
        with tempfile.TemporaryDirectory() as d:
            path = modelformat.write_model_json(d, {"name": "x", "image": {"size": 32}})
            text = path.read_text("utf-8")
        self.assertEqual(path.name, "model.json")
        self.assertEqual(text, '{\n  "name": "x",\n  "image": {\n    "size": 32\n  }\n}\n')

    def test_the_clip_image_object_names_the_preprocessing_as_the_server_reads_it(self):
        image = modelformat.clip_image("image_encoder.pt", "encode_image", 224)
        self.assertEqual(list(image), ["torchscript", "method", "size", "resize", "crop", "mean",
                                       "std"])
        self.assertEqual(image["resize"], {"shortest_edge": 224, "interpolation": "bicubic"})
        self.assertEqual(image["crop"], {"type": "center", "size": 224})
        self.assertEqual(image["mean"], list(modelformat.CLIP_MEAN))

    @unittest.skipIf(torch is None, "torch is not installed (apt-get install python3-torch)")
    def test_the_bundled_tiny_clip_model_json_is_what_its_trainer_writes(self):
        sys.path.insert(0, str(TOOLS / "tinyclip"))
        try:
            import train
        finally:
            sys.path.remove(str(TOOLS / "tinyclip"))
        bundled = REPO / "models" / "tiny-clip" / "model.json"
        meta = json.loads(bundled.read_text("utf-8"))
        with tempfile.TemporaryDirectory() as d:
            written = modelformat.write_model_json(
                d, train.manifest(meta["embedding_dim"], meta["logit_scale"]))
            self.assertEqual(written.read_text("utf-8"), bundled.read_text("utf-8"))


if __name__ == "__main__":
    unittest.main()
