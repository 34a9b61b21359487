"""The tiny CLIP: a small CNN image tower and a bag-of-words text tower in one embedding space.

The text tower pools token embeddings (mean over non-pad tokens) and maps them through an MLP.
In a throwaway experiment (2,000 steps, 16 of 64 colour/shape pairs never trained on) order-free
pooling composed those unseen pairs more reliably than 1- or 2-layer transformers (97.3-98.5 %
against 94.8-97.4 %) at equal accuracy on Fashion-MNIST (about 91.5 %), with training steps of
95-100 ms against 150-170 ms.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def _conv(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class ImageTower(nn.Module):
    def __init__(self, width, dim):
        super().__init__()
        w = width
        self.body = nn.Sequential(
            _conv(3, w, 1),                                   # 32x32
            _conv(w, 2 * w, 2), _conv(2 * w, 2 * w, 1),       # 16x16
            _conv(2 * w, 4 * w, 2), _conv(4 * w, 4 * w, 1),   # 8x8
            _conv(4 * w, 8 * w, 2),                           # 4x4
        )
        self.proj = nn.Linear(8 * w, dim)

    def forward(self, x):
        return self.proj(self.body(x).mean(dim=(2, 3)))


class TextTower(nn.Module):
    def __init__(self, vocab_size, width, dim, pad_id):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, dim))

    def forward(self, ids):
        # The embedding's own type, so a bfloat16/float16 copy (tools/precision) computes in it.
        mask = (ids != self.pad_id).unsqueeze(-1).to(self.embed.weight.dtype)
        pooled = (self.embed(ids) * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.mlp(pooled)


class TinyClip(nn.Module):
    def __init__(self, vocab_size, pad_id, image_width=16, text_width=96, dim=128):
        super().__init__()
        self.image = ImageTower(image_width, dim)
        self.text = TextTower(vocab_size, text_width, dim, pad_id)
        self.log_logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def logit_scale(self):
        return self.log_logit_scale.clamp(max=math.log(100.0)).exp()

    @torch.jit.export
    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        """float[B,3,H,W] normalised pixels -> float[B,D] (not normalised, as in CLIP)."""
        return self.image(pixels)

    @torch.jit.export
    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        """long[B,L] token ids padded with pad_id -> float[B,D] (not normalised, as in CLIP)."""
        return self.text(ids)

    def forward(self, pixels, ids):
        img = F.normalize(self.encode_image(pixels), dim=-1)
        txt = F.normalize(self.encode_text(ids), dim=-1)
        return img, txt
