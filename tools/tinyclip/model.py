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


# Added to each channel's standard deviation before dividing by it: a nearly flat channel is
# amplified at most 1 / CONTRAST_FLOOR times, so that a few levels of JPEG or resize noise stay
# small (with 0.03 the exact and fast decodes of one JPEG differed by cosine 0.9990).
CONTRAST_FLOOR = 0.1
# With `gray_polarity`: the signed-edge path is fully open for an image whose most saturated
# 2x2 cell has no chroma (max - min over R, G, B), closed from this chroma up (about 25 levels).
GRAY_CHROMA = 0.1


def _conv(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class ImageTower(nn.Module):
    """Shape and colour apart, so that a colour and a shape never seen together still compose.

    Shape: a first layer that sees each colour channel alone (the same 5x5 stride-2 filters for
    R, G and B, each channel contrast-normalised per image), the absolute value of its response
    and the maximum over the three channels, then a CNN. It sees where edges are, but neither
    their colours nor which side is lighter: the same features for a star of any colour. With
    `max_pool` its 4x4 top map is pooled by maximum as well as mean: a shape a fifth of the image
    wide fills one of its 16 cells, which a mean alone dilutes with the background's 15 (4.0.0
    has both options; tools/tinyclip/README.md says what each gave). With `gray_polarity` a
    second first layer on the mean of the three normalised channels adds its signed response,
    gated open only for an image without colour (Fashion-MNIST, black-and-white photos): there
    the CNN also sees which side of an edge is lighter, while a coloured shape's features stay
    blind to its colour.
    Colour: per-pixel colour features (1x1 convolutions, no spatial context) averaged under
    attention maps drawn by the shape features and a small colour CNN. The embedding is the
    sum of the two."""

    # A constant to TorchScript, so that the exported graph has no branch on it: int8
    # quantisation (tools/precision) cannot copy a graph whose branch redefines a value.
    __constants__ = ["max_pool"]

    def __init__(self, width, dim, mean, std, first=24, max_pool=False, gray_polarity=False,
                 colour_width=32, heads=2):
        super().__init__()
        w = width
        self.max_pool = max_pool
        self.contrast_floor = CONTRAST_FLOOR
        self.gray_chroma = GRAY_CHROMA
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, 3, 1, 1))
        self.first = nn.Conv2d(1, first, 5, 2, 2, bias=False)                 # per channel, 16x16
        self.first_bn = nn.Sequential(nn.BatchNorm2d(first), nn.ReLU(inplace=True))
        self.mid = nn.Sequential(_conv(first, 2 * w, 1), _conv(2 * w, 2 * w, 1))  # 16x16
        self.low = nn.Sequential(_conv(2 * w, 4 * w, 2), _conv(4 * w, 4 * w, 1))  # 8x8
        self.top = _conv(4 * w, 8 * w, 2)                                      # 4x4
        self.shape_proj = nn.Linear((16 if max_pool else 8) * w, dim)
        self.att16 = nn.Conv2d(2 * w, heads, 1)
        self.att8 = nn.Conv2d(4 * w, heads, 1)
        self.att_rgb = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1), nn.ReLU(inplace=True),
                                     nn.Conv2d(16, heads, 3, 1, 1))
        self.colour = nn.Sequential(nn.Conv2d(3, colour_width, 1), nn.ReLU(inplace=True),
                                    nn.Conv2d(colour_width, colour_width, 1), nn.ReLU(inplace=True))
        self.colour_proj = nn.Linear(heads * colour_width, dim)
        # Created last, so that without it every other weight starts as in earlier versions.
        self.gray_first = nn.Conv2d(1, first, 5, 2, 2, bias=False) if gray_polarity else None

    def forward(self, x):
        # In the pixels' type: a float16 input with float32 weights must fail, not be widened.
        u = x * self.std.to(x.dtype) + self.mean.to(x.dtype)
        b, h, w = u.shape[0], u.shape[2], u.shape[3]
        c = u.reshape(b * 3, 1, h, w)
        m = c.mean(dim=(2, 3), keepdim=True)
        sd = ((c - m) ** 2).mean(dim=(2, 3), keepdim=True).sqrt()
        cn = (c - m) / (sd + self.contrast_floor)
        f = self.first(cn).abs()
        f = f.reshape(b, 3, f.shape[1], f.shape[2], f.shape[3])
        f = torch.maximum(torch.maximum(f[:, 0], f[:, 1]), f[:, 2])
        u16 = F.avg_pool2d(u, 2)
        if self.gray_first is not None:
            # The gate from float32 pixels whatever x's type: bfloat16's rounding of u (about
            # 0.004) gives a gray image a chroma of a level or two, and the gate drops by 5-10 %.
            u32 = F.avg_pool2d(x.float() * self.std + self.mean, 2)
            chroma = (u32.amax(dim=1) - u32.amin(dim=1)).flatten(1).amax(dim=1)
            gate = (1 - chroma / self.gray_chroma).clamp(min=0.0).view(b, 1, 1, 1).to(x.dtype)
            lum = cn.reshape(b, 3, h, w).mean(dim=1, keepdim=True)
            f = f + gate * self.gray_first(lum)
        f = self.first_bn(f)
        f16 = self.mid(f)
        f8 = self.low(f16)
        t = self.top(f8).flatten(2)
        pooled = t.mean(dim=2)
        if self.max_pool:
            pooled = torch.cat([pooled, t.amax(dim=2)], 1)
        shape = self.shape_proj(pooled)
        a8 = self.att8(f8).repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)
        att = torch.softmax((self.att16(f16) + a8 + self.att_rgb(u16)).flatten(2), dim=-1)
        col = self.colour(u16).flatten(2)                                      # [b, cw, 256]
        pooled = torch.bmm(att, col.transpose(1, 2)).flatten(1)               # [b, heads*cw]
        return shape + self.colour_proj(pooled)


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
    def __init__(self, vocab_size, pad_id, mean, std, image_width=16, text_width=96, dim=128,
                 first_filters=24, max_pool=False, gray_polarity=False):
        super().__init__()
        self.image = ImageTower(image_width, dim, mean, std, first_filters, max_pool, gray_polarity)
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
