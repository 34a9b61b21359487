"""The two towers as TorchScript files: scripted (not traced), float32, CPU, batch size free.

Scripting keeps NaFlex's data-dependent work (the position grid resized to each image's
spatial_shapes, a loop over the batch) as code; a trace would bake in the example's shapes.
`save_checked` writes a file, reloads it and compares it with the PyTorch module, so an export
that would serve different numbers fails instead.
"""
from pathlib import Path
from typing import List

import torch
from torch import nn

IMAGE_FILE = "image_encoder.pt"
TEXT_FILE = "text_encoder.pt"
MAX_ABS_DIFF = 1e-5  # saved TorchScript vs the PyTorch module, per output element


class ImageEncoder(nn.Module):
    """encode_image(pixels float32[B,3,S,S]) -> float32[B,D], the pooled output (not normalised)."""

    def __init__(self, vision_model):
        super().__init__()
        self.vision_model = vision_model

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.vision_model(pixels)

    @torch.jit.export
    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.vision_model(pixels)


class NaflexImageEncoder(nn.Module):
    """encode_image(pixel_values float32[B,P,3p^2], pixel_attention_mask int64[B,P],
    spatial_shapes int64[B,2]) -> float32[B,D], the pooled output (not normalised)."""

    def __init__(self, vision_model):
        super().__init__()
        self.vision_model = vision_model

    def forward(self, pixel_values: torch.Tensor, pixel_attention_mask: torch.Tensor,
                spatial_shapes: torch.Tensor) -> torch.Tensor:
        return self.vision_model(pixel_values, pixel_attention_mask, spatial_shapes)

    @torch.jit.export
    def encode_image(self, pixel_values: torch.Tensor, pixel_attention_mask: torch.Tensor,
                     spatial_shapes: torch.Tensor) -> torch.Tensor:
        return self.vision_model(pixel_values, pixel_attention_mask, spatial_shapes)


class TextEncoder(nn.Module):
    """encode_text(ids int64[B,L]): every position attends to all L, as the official
    processors run the checkpoints; encode_text_with_mask(ids, mask int64[B,L]): keys where
    mask is 0 are ignored. Both read position L - 1 and return float32[B,D], not normalised."""

    def __init__(self, text_model):
        super().__init__()
        self.text_model = text_model

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.text_model(ids, None)

    @torch.jit.export
    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        return self.text_model(ids, None)

    @torch.jit.export
    def encode_text_with_mask(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.text_model(ids, mask)


def towers(model):
    """(image encoder, text encoder) modules sharing the model's weights."""
    image = NaflexImageEncoder if model.config.naflex else ImageEncoder
    return image(model.vision_model).eval(), TextEncoder(model.text_model).eval()


def expected_outputs(module, method, inputs: List[tuple]):
    """[(arguments, the PyTorch module's output)] for each argument tuple."""
    with torch.no_grad():
        return [(args, getattr(module, method)(*args)) for args in inputs]


def max_abs_diff(scripted, method, checks):
    """The largest |scripted - expected| over `checks` ([(arguments, expected output)]), after
    checking shape and dtype."""
    worst = 0.0
    for args, expected in checks:
        with torch.no_grad():
            got = getattr(scripted, method)(*args)
        if got.shape != expected.shape or got.dtype != torch.float32:
            raise RuntimeError(f"{method} at batch {args[0].shape[0]}: {tuple(got.shape)} "
                               f"{got.dtype} (expected: {tuple(expected.shape)} float32)")
        worst = max(worst, (got - expected).abs().max().item())
    return worst


def save_checked(module, path, checks):
    """Scripts `module`, saves it to `path`, reloads it and compares every method in `checks`
    ({method: [(arguments, the module's output)]}, see expected_outputs); returns
    {method: max abs diff}. Raises RuntimeError when one exceeds MAX_ABS_DIFF.
    """
    path = Path(path)
    with torch.no_grad():
        scripted = torch.jit.script(module)
    torch.jit.save(scripted, str(path))
    reloaded = torch.jit.load(str(path), map_location="cpu")
    diffs = {}
    for method, expected in checks.items():
        diffs[method] = max_abs_diff(reloaded, method, expected)
        if diffs[method] > MAX_ABS_DIFF:
            raise RuntimeError(f"{path.name}: {method} of the saved TorchScript differs from the "
                               f"PyTorch module by {diffs[method]:.3g} (expected: <= "
                               f"{MAX_ABS_DIFF})")
    return diffs
