"""CLIP's vision-transformer model in OpenAI's layout, so that OpenAI's weights load unchanged.

Module and parameter names equal those of OpenAI's `clip/model.py` (`visual.conv1.weight`,
`transformer.resblocks.0.attn.in_proj_weight`, `text_projection`, ...): `load_state_dict` takes
the state dict of OpenAI's `.pt` archives as it is. Sizes are read from the state dict the way
OpenAI's `build_model` reads them. Only the ViT variants are supported (not the ResNets).
Written for this project from the published architecture; it computes in float32.
"""
from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn

# The sizes of OpenAI's ViT-B/32 (embed 512, 224 px, 32 px patches, 12 layers of width 768
# in the image tower, 12 of width 512 in the text tower).
VIT_B_32 = dict(embed_dim=512, image_resolution=224, vision_layers=12, vision_width=768,
                vision_patch_size=32, context_length=77, vocab_size=49408,
                transformer_width=512, transformer_heads=8, transformer_layers=12)
VIT_B_16 = dict(VIT_B_32, vision_patch_size=16)
VIT_L_14 = dict(VIT_B_32, embed_dim=768, vision_layers=24, vision_width=1024,
                vision_patch_size=14, transformer_width=768, transformer_heads=12)
CONFIGS = {"ViT-B/32": VIT_B_32, "ViT-B/16": VIT_B_16, "ViT-L/14": VIT_L_14}


@dataclass(frozen=True)
class ClipConfig:
    """The sizes that define a ViT CLIP; vision heads are width / 64, as in OpenAI's models."""
    embed_dim: int
    image_resolution: int
    vision_layers: int
    vision_width: int
    vision_patch_size: int
    context_length: int
    vocab_size: int
    transformer_width: int
    transformer_heads: int
    transformer_layers: int

    @staticmethod
    def from_state_dict(sd):
        """Infers the sizes from OpenAI-layout weights, as OpenAI's build_model does."""
        if "visual.proj" not in sd:
            raise ValueError("not a ViT CLIP state dict (no visual.proj): ResNet CLIP models "
                             "(RN50, RN101, ...) are not supported")
        patch = sd["visual.conv1.weight"].shape[-1]
        grid = round((sd["visual.positional_embedding"].shape[0] - 1) ** 0.5)
        width = sd["ln_final.weight"].shape[0]
        return ClipConfig(
            embed_dim=sd["text_projection"].shape[1],
            image_resolution=patch * grid,
            vision_layers=_count_blocks(sd, "visual.transformer.resblocks."),
            vision_width=sd["visual.conv1.weight"].shape[0],
            vision_patch_size=patch,
            context_length=sd["positional_embedding"].shape[0],
            vocab_size=sd["token_embedding.weight"].shape[0],
            transformer_width=width,
            transformer_heads=width // 64,
            transformer_layers=_count_blocks(sd, "transformer.resblocks."))


def _count_blocks(sd, prefix):
    return len({k[len(prefix):].split(".")[0] for k in sd if k.startswith(prefix)})


class QuickGELU(nn.Module):
    """OpenAI's GELU approximation x * sigmoid(1.702 x); the weights were trained with it."""

    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    """Pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, width, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(width * 4, width)),
        ]))
        self.ln_2 = nn.LayerNorm(width)
        # A buffer, not a plain attribute: a trace would bake a plain tensor in as a float32
        # constant, and Module.half() (tools/precision/half.py) converts buffers, not constants.
        # Not persistent: OpenAI's checkpoints do not hold it.
        if attn_mask is None:
            self.attn_mask = None
        else:
            self.register_buffer("attn_mask", attn_mask, persistent=False)

    def forward(self, x):
        # No .to(x.dtype) here or below (OpenAI's code has them): a trace bakes the dtype of the
        # example in, so a float16 copy would convert back to float32. Weights, buffers and input
        # share one dtype anyway.
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    """`layers` blocks over sequence-first input [L, N, width]."""

    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(
            *[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    """Image tower: patches + class token -> transformer -> ln_post(class token) @ proj."""

    def __init__(self, resolution, patch, width, layers, heads, output_dim):
        super().__init__()
        scale = width ** -0.5
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        grid = resolution // patch
        self.positional_embedding = nn.Parameter(scale * torch.randn(grid * grid + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)                          # [N, width, grid, grid]
        x = x.flatten(2).permute(0, 2, 1)          # [N, grid², width]
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)        # sequence first
        x = self.transformer(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    """OpenAI's CLIP (ViT variants): `encode_image`, `encode_text`, and `logit_scale` (log)."""

    def __init__(self, config: ClipConfig):
        super().__init__()
        c = config
        self.config = c
        self.context_length = c.context_length
        self.visual = VisionTransformer(c.image_resolution, c.vision_patch_size, c.vision_width,
                                        c.vision_layers, c.vision_width // 64, c.embed_dim)
        self.transformer = Transformer(c.transformer_width, c.transformer_layers,
                                       c.transformer_heads, self._causal_mask())
        self.token_embedding = nn.Embedding(c.vocab_size, c.transformer_width)
        self.positional_embedding = nn.Parameter(
            torch.empty(c.context_length, c.transformer_width))
        self.ln_final = nn.LayerNorm(c.transformer_width)
        self.text_projection = nn.Parameter(torch.empty(c.transformer_width, c.embed_dim))
        self.logit_scale = nn.Parameter(torch.ones([]) * torch.log(torch.tensor(1 / 0.07)))
        self.initialize_parameters()

    def _causal_mask(self):
        """Additive mask: -inf above the diagonal, so each token sees only those before it."""
        n = self.context_length
        return torch.full((n, n), float("-inf")).triu_(1)

    def initialize_parameters(self):
        """OpenAI's initialisation: normal, std by width and depth, for the text tower; the
        image tower keeps PyTorch's defaults, as in OpenAI's code. (Giving the image tower the
        text tower's scales made random-weight image embeddings nearly parallel, cosine ~0.98.)
        """
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        for tower in (self.transformer,):
            width = tower.resblocks[0].ln_1.normalized_shape[0]
            layers = len(tower.resblocks)
            proj_std = (width ** -0.5) * ((2 * layers) ** -0.5)
            for block in tower.resblocks:
                nn.init.normal_(block.attn.in_proj_weight, std=width ** -0.5)
                nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
                nn.init.normal_(block.mlp.c_fc.weight, std=(2 * width) ** -0.5)
                nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=self.config.transformer_width ** -0.5)

    def encode_image(self, pixels):
        """float[B,3,S,S] normalised pixels -> float[B,D] (not L2-normalised)."""
        return self.visual(pixels)

    def encode_text(self, ids):
        """long[B,77] token ids -> float[B,D], read at the end token (the largest id)."""
        x = self.token_embedding(ids) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)
        x = self.ln_final(x)
        eot = ids.argmax(dim=-1)
        return x[torch.arange(x.shape[0]), eot] @ self.text_projection

    def forward(self, pixels, ids):
        """Both towers' embeddings, not normalised."""
        return self.encode_image(pixels), self.encode_text(ids)


def from_state_dict(state_dict):
    """A float32 CLIP holding OpenAI-layout weights (fp16 archives are converted)."""
    sd = {k: v for k, v in state_dict.items()
          if k not in ("input_resolution", "context_length", "vocab_size")}
    model = CLIP(ClipConfig.from_state_dict(sd))
    model.load_state_dict({k: v.float() for k, v in sd.items()})
    return model.eval()


def random(name, seed):
    """A CLIP of the named shape with random weights, the same for the same seed."""
    if name not in CONFIGS:
        raise ValueError(f"unknown architecture {name!r} (expected one of {', '.join(CONFIGS)})")
    torch.manual_seed(seed)
    return CLIP(ClipConfig(**CONFIGS[name])).eval()
