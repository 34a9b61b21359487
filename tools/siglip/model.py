"""SigLIP and SigLIP 2 (fixed resolution and NaFlex) in PyTorch, scriptable with torch.jit.script.

Written for this project from the architecture as Hugging Face transformers computes it (see
the facts in the project's notes; no transformers code was used). Module and parameter names
equal transformers' (`text_model.embeddings.token_embedding.weight`, `vision_model.head.probe`,
`vision_model.head.attention.in_proj_weight`, ...), so a transformers state dict loads with
`strict=True`. Everything computes in float32.

- `SiglipModel`: SigLIP and SigLIP 2 fixed-resolution checkpoints (`model_type: siglip`):
  convolutional patch embedding, a learned position per patch, no class token.
- `Siglip2Model`: SigLIP 2 NaFlex (`model_type: siglip2`): a Linear over patches flattened as
  (row, column, channel), the learned position grid resized per image to its patch rows and
  columns, and padded patches masked as attention keys.
Both towers are pre-LayerNorm transformers (GELU with the tanh approximation), the text tower is
read at its last position (not at the end token), the vision tower is pooled by one learned
probe attending over all patches (multi-head attention with packed q/k/v, as
nn.MultiheadAttention stores it) followed by a residual MLP.
"""
import math
from dataclasses import dataclass, fields, replace
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

# Additive mask value: float32's minimum, as transformers uses (not -inf, so a row whose keys
# are all masked still gives finite, uniform weights).
MASK_VALUE = -3.4028234663852886e38
# hidden_act values and the F.gelu approximation each means (transformers' ACT2FN).
GELU_APPROXIMATIONS = {"gelu_pytorch_tanh": "tanh", "gelu_new": "tanh", "gelu_fast": "tanh",
                       "gelu": "none"}


@dataclass(frozen=True)
class TextConfig:
    """The text tower's sizes; defaults are SiglipTextConfig's (a saved config omits them)."""
    vocab_size: int = 32000
    hidden_size: int = 768
    intermediate_size: int = 3072
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    max_position_embeddings: int = 64
    hidden_act: str = "gelu_pytorch_tanh"
    layer_norm_eps: float = 1e-6
    attention_dropout: float = 0.0
    pad_token_id: Optional[int] = 1
    bos_token_id: Optional[int] = 49406
    eos_token_id: Optional[int] = 49407
    projection_size: Optional[int] = None  # None: hidden_size


@dataclass(frozen=True)
class VisionConfig:
    """The vision tower's sizes; defaults are SiglipVisionConfig's (Siglip2's: num_patches 256).

    SigLIP uses image_size (its grid is (image_size // patch_size)^2), NaFlex num_patches.
    """
    hidden_size: int = 768
    intermediate_size: int = 3072
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    num_channels: int = 3
    image_size: int = 224
    patch_size: int = 16
    num_patches: int = 256
    hidden_act: str = "gelu_pytorch_tanh"
    layer_norm_eps: float = 1e-6
    attention_dropout: float = 0.0
    vision_use_head: bool = True


@dataclass(frozen=True)
class ModelConfig:
    """A whole model: `model_type` "siglip" (SiglipModel) or "siglip2" (Siglip2Model, NaFlex)."""
    model_type: str
    text: TextConfig
    vision: VisionConfig

    @property
    def naflex(self):
        return self.model_type == "siglip2"

    @property
    def embedding_dim(self):
        return self.text.projection_size


def _accepts(name, default, value):
    """Whether config.json's `value` has the type of the field `name` (default `default`)."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if name.endswith("_id") or name == "projection_size":
        return value is None or is_int
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return is_int
    if isinstance(default, float):
        return is_int or isinstance(value, float)
    return isinstance(value, str)


def _fill(cls, given, where):
    """`cls` with the fields present in `given` (a dict from config.json), defaults elsewhere."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise ValueError(f"{where} is a {type(given).__name__} (expected: an object)")
    values = {}
    for f in fields(cls):
        if f.name in given:  # other keys (model_type, dtype, ...) are nothing computed with
            if not _accepts(f.name, f.default, given[f.name]):
                raise ValueError(f"{where}.{f.name}: {given[f.name]!r} "
                                 f"(expected: a value like {f.default!r})")
            values[f.name] = given[f.name]
    return cls(**values)


def config_from_dict(config):
    """ModelConfig from a config.json dict, every missing field filled from the defaults.

    Raises ValueError, naming the field, for what the model cannot compute.
    """
    model_type = config.get("model_type")
    if model_type not in ("siglip", "siglip2"):
        raise ValueError(f"config.json model_type: {model_type!r} (expected: 'siglip' or "
                         f"'siglip2'; vision-only or text-only folders are not supported)")
    text = _fill(TextConfig, config.get("text_config"), "text_config")
    if text.projection_size is None:
        text = replace(text, projection_size=text.hidden_size)
    vision = _fill(VisionConfig, config.get("vision_config"), "vision_config")
    result = ModelConfig(model_type, text, vision)
    validate(result)
    return result


def validate(config):
    """Checks the sizes fit together; raises ValueError naming the field."""
    for name, tower in (("text_config", config.text), ("vision_config", config.vision)):
        if tower.hidden_act not in GELU_APPROXIMATIONS:
            raise ValueError(f"{name}.hidden_act: {tower.hidden_act!r} "
                             f"(expected: one of {', '.join(GELU_APPROXIMATIONS)})")
        for key in ("hidden_size", "intermediate_size", "num_hidden_layers",
                    "num_attention_heads"):
            if getattr(tower, key) < 1:
                raise ValueError(f"{name}.{key}: {getattr(tower, key)} (expected: >= 1)")
        if tower.hidden_size % tower.num_attention_heads:
            raise ValueError(f"{name}.hidden_size: {tower.hidden_size} (expected: a multiple of "
                             f"num_attention_heads, {tower.num_attention_heads})")
    v = config.vision
    if not v.vision_use_head:
        raise ValueError("vision_config.vision_use_head: false (expected: true). Without the "
                         "attention-pooling head transformers' get_image_features has no pooled "
                         "output, so there is no image embedding to export")
    if config.text.projection_size != v.hidden_size:
        raise ValueError(f"text_config.projection_size: {config.text.projection_size} "
                         f"(expected: the vision hidden_size, {v.hidden_size}, so that the two "
                         f"embeddings can be compared)")
    if config.naflex:
        side = math.isqrt(v.num_patches)
        if side * side != v.num_patches:
            raise ValueError(f"vision_config.num_patches: {v.num_patches} (expected: a square, "
                             f"the learned position grid is side x side)")
    elif v.image_size < v.patch_size:
        raise ValueError(f"vision_config.image_size: {v.image_size} (expected: >= patch_size, "
                         f"{v.patch_size})")


def additive_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """[B, L] of 1 (attend) and 0 (ignore) -> [B, 1, 1, L] of 0 and float32's minimum."""
    # The literal is MASK_VALUE: TorchScript cannot read a global float.
    return (1.0 - mask.to(dtype))[:, None, None, :] * -3.4028234663852886e38


class Attention(nn.Module):
    """Multi-head self-attention with separate q, k, v and out projections, not causal."""

    def __init__(self, hidden, heads):
        super().__init__()
        self.num_heads = heads
        self.head_dim = hidden // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, hidden)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        b, n, d = x.shape[0], x.shape[1], x.shape[2]
        q = self.q_proj(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.scale
        if mask is not None:
            scores = scores + mask
        weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(b, n, d)
        return self.out_proj(out)


class MLP(nn.Module):
    """fc1 -> GELU -> fc2."""

    def __init__(self, hidden, intermediate, act):
        super().__init__()
        self.approximate = GELU_APPROXIMATIONS[act]
        self.fc1 = nn.Linear(hidden, intermediate)
        self.fc2 = nn.Linear(intermediate, hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x), approximate=self.approximate))


class EncoderLayer(nn.Module):
    """Pre-LN block: x + attention(LN1(x)), then x + MLP(LN2(x))."""

    def __init__(self, c):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.self_attn = Attention(c.hidden_size, c.num_attention_heads)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = MLP(c.hidden_size, c.intermediate_size, c.hidden_act)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    """A stack of EncoderLayers; `mask` is additive ([B, 1, 1, L]) or None."""

    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        return x


class TextEmbeddings(nn.Module):
    """Token embedding plus a learned absolute position; no scaling, no padding index."""

    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embedding = nn.Embedding(c.max_position_embeddings, c.hidden_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        return self.token_embedding(ids) + self.position_embedding(positions)[None]


class TextTransformer(nn.Module):
    """The text tower: embeddings, encoder, final LayerNorm, last position, then `head`."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = TextEmbeddings(c)
        self.encoder = Encoder(c)
        self.final_layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.head = nn.Linear(c.hidden_size, c.projection_size)

    def forward(self, ids: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = self.embeddings(ids)
        additive = None if mask is None else additive_mask(mask, x.dtype)
        x = self.final_layer_norm(self.encoder(x, additive))
        # The last position (index L - 1), whatever token is there: SigLIP's training pads to
        # L, so for a short text this is a padding position, not the end token.
        return self.head(x[:, -1, :])


class PackedAttention(nn.Module):
    """nn.MultiheadAttention's parameters (in_proj rows: query, key, value; out_proj), batch
    first, with an optional additive key mask; written out so the mask path is explicit."""

    def __init__(self, hidden, heads):
        super().__init__()
        self.num_heads = heads
        self.head_dim = hidden // heads
        self.scale = self.head_dim ** -0.5
        self.in_proj_weight = nn.Parameter(torch.empty(3 * hidden, hidden))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * hidden))
        self.out_proj = nn.Linear(hidden, hidden)

    def forward(self, query: torch.Tensor, keys: torch.Tensor,
                mask: Optional[torch.Tensor]) -> torch.Tensor:
        b, nq, nk, d = query.shape[0], query.shape[1], keys.shape[1], query.shape[2]
        wq, wk, wv = self.in_proj_weight.chunk(3)
        bq, bk, bv = self.in_proj_bias.chunk(3)
        q = F.linear(query, wq, bq).view(b, nq, self.num_heads, self.head_dim).transpose(1, 2)
        k = F.linear(keys, wk, bk).view(b, nk, self.num_heads, self.head_dim).transpose(1, 2)
        v = F.linear(keys, wv, bv).view(b, nk, self.num_heads, self.head_dim).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.scale
        if mask is not None:
            scores = scores + mask
        weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(b, nq, d)
        return self.out_proj(out)


class MultiheadAttentionPoolingHead(nn.Module):
    """One learned probe attends over all patches; then a + MLP(LN(a)); returns token 0."""

    def __init__(self, c):
        super().__init__()
        self.probe = nn.Parameter(torch.zeros(1, 1, c.hidden_size))
        self.attention = PackedAttention(c.hidden_size, c.num_attention_heads)
        self.layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = MLP(c.hidden_size, c.intermediate_size, c.hidden_act)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor]) -> torch.Tensor:
        probe = self.probe.expand(x.shape[0], -1, -1)
        a = self.attention(probe, x, mask)
        a = a + self.mlp(self.layernorm(a))
        return a[:, 0]


class VisionEmbeddings(nn.Module):
    """SigLIP: a convolution with kernel = stride = patch (no padding; leftover pixel rows and
    columns are never seen), patches row-major, plus a learned position per patch."""

    def __init__(self, c):
        super().__init__()
        self.patch_embedding = nn.Conv2d(c.num_channels, c.hidden_size, c.patch_size,
                                         stride=c.patch_size)
        self.num_patches = (c.image_size // c.patch_size) ** 2
        self.position_embedding = nn.Embedding(self.num_patches, c.hidden_size)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        positions = torch.arange(self.num_patches, device=pixels.device)
        return x + self.position_embedding(positions)[None]


class VisionTransformer(nn.Module):
    """SigLIP's vision tower: pixels [B, 3, S, S] -> pooled [B, D] (not normalised)."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = VisionEmbeddings(c)
        self.encoder = Encoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.head = MultiheadAttentionPoolingHead(c)

    def hidden_states(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.post_layernorm(self.encoder(self.embeddings(pixels), None))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.head(self.hidden_states(pixels), None)


class NaflexVisionEmbeddings(nn.Module):
    """SigLIP 2 NaFlex: Linear over (row, column, channel)-flattened patches plus the learned
    position grid resized to each image's (patch rows, patch columns)."""

    def __init__(self, c):
        super().__init__()
        self.patch_embedding = nn.Linear(c.num_channels * c.patch_size ** 2, c.hidden_size)
        self.position_embedding = nn.Embedding(c.num_patches, c.hidden_size)
        self.grid = math.isqrt(c.num_patches)

    def resized_positions(self, spatial_shapes: torch.Tensor, length: int) -> torch.Tensor:
        """[B, length, D]: the grid resized per image (bilinear, align_corners False,
        antialiased, float32), row-major; padded positions get the first resized entry."""
        table = self.position_embedding.weight
        d = table.shape[1]
        grid = table.reshape(self.grid, self.grid, d).permute(2, 0, 1)[None].float()
        out = torch.empty(spatial_shapes.shape[0], length, d, dtype=table.dtype,
                          device=table.device)
        for i in range(spatial_shapes.shape[0]):
            h = int(spatial_shapes[i, 0])
            w = int(spatial_shapes[i, 1])
            if h < 1 or w < 1 or h * w > length:
                raise RuntimeError("spatial_shapes: each (rows, cols) must be >= 1 and "
                                   "rows * cols <= the number of patches")
            resized = F.interpolate(grid, size=[h, w], mode="bilinear", align_corners=False,
                                    antialias=True)
            resized = resized.reshape(d, h * w).transpose(0, 1).to(table.dtype)
            out[i, :h * w] = resized
            out[i, h * w:] = resized[0]
        return out

    def forward(self, patches: torch.Tensor, spatial_shapes: torch.Tensor) -> torch.Tensor:
        x = self.patch_embedding(patches)
        return x + self.resized_positions(spatial_shapes, patches.shape[1])


class NaflexVisionTransformer(nn.Module):
    """SigLIP 2 NaFlex's vision tower: patches [B, P, 3p^2], mask [B, P], shapes [B, 2] ->
    pooled [B, D]; padded patches are masked as keys in every layer and in the head."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = NaflexVisionEmbeddings(c)
        self.encoder = Encoder(c)
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.head = MultiheadAttentionPoolingHead(c)

    def hidden_states(self, patches: torch.Tensor, mask: torch.Tensor,
                      spatial_shapes: torch.Tensor) -> torch.Tensor:
        x = self.embeddings(patches, spatial_shapes)
        return self.post_layernorm(self.encoder(x, additive_mask(mask, x.dtype)))

    def forward(self, patches: torch.Tensor, mask: torch.Tensor,
                spatial_shapes: torch.Tensor) -> torch.Tensor:
        x = self.hidden_states(patches, mask, spatial_shapes)
        return self.head(x, additive_mask(mask, x.dtype))


class SiglipModel(nn.Module):
    """SigLIP (and SigLIP 2 fixed resolution): both towers, logit_scale (a log) and logit_bias."""

    def __init__(self, config):
        super().__init__()
        validate(config)
        self.config = config
        self.text_model = TextTransformer(config.text)
        self.vision_model = self._vision(config.vision)
        self.logit_scale = nn.Parameter(torch.tensor([math.log(10.0)]))
        self.logit_bias = nn.Parameter(torch.tensor([-10.0]))

    @staticmethod
    def _vision(c):
        return VisionTransformer(c)

    def encode_image(self, *inputs):
        return self.vision_model(*inputs)

    def encode_text(self, ids, mask=None):
        return self.text_model(ids, mask)

    def logits_per_image(self, image_features, text_features):
        """sigmoid(this) is each image-text pair's probability, independently."""
        img = F.normalize(image_features, dim=-1)
        txt = F.normalize(text_features, dim=-1)
        return img @ txt.t() * self.logit_scale.exp() + self.logit_bias


class Siglip2Model(SiglipModel):
    """SigLIP 2 NaFlex: encode_image(patches, pixel_attention_mask, spatial_shapes)."""

    @staticmethod
    def _vision(c):
        return NaflexVisionTransformer(c)


def build(config):
    """An untrained model of this config (Siglip2Model for NaFlex)."""
    return (Siglip2Model if config.naflex else SiglipModel)(config)


# Buffers that older transformers versions saved with the weights and that this module
# recomputes: dropped before loading.
IGNORED_KEYS = ("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids")


def load(config, state_dict):
    """The model with these weights (strict: every name must match transformers')."""
    model = build(config)
    sd = {k: v.float() if v.is_floating_point() else v
          for k, v in state_dict.items() if k not in IGNORED_KEYS}
    try:
        result = model.load_state_dict(sd, strict=False)
    except RuntimeError as e:  # a shape that differs from the config's
        detail = " ".join(str(e).split())
        raise ValueError(f"the weights do not fit this config.json: {detail}") from None
    problems = []
    if result.missing_keys:
        problems.append(f"{len(result.missing_keys)} missing (first: {result.missing_keys[0]})")
    if result.unexpected_keys:
        problems.append(f"{len(result.unexpected_keys)} unexpected "
                        f"(first: {result.unexpected_keys[0]})")
    if problems:
        raise ValueError(f"the weights do not fit a {type(model).__name__} of this config.json: "
                         f"{'; '.join(problems)}")
    return model.eval()


def initialise(model, seed):
    """Random weights (normal 0.02, biases 0, LayerNorms 1/0), the same for the same seed;
    logit_scale ln 10 and logit_bias -10 as SigLIP's training starts."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name in ("logit_scale", "logit_bias"):
                continue
            if "layer_norm" in name or "layernorm" in name:
                p.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02, generator=gen)
    return model.eval()
