"""Typed results of the client: plain dataclasses, built from the gRPC messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

import grpc

from ._errors import _status_code, _status_details
from ._proto.zeroshot.v1 import zeroshot_pb2 as pb


@dataclass(frozen=True)
class LabelScore:
    """The score of one candidate label.

    Attributes:
        label: the label as given (without the prompt template applied).
        probability: in [0, 1]; for a softmax model (CLIP) the softmax over all candidate labels,
            for a sigmoid model (SigLIP) this label's own sigmoid (see ``ModelInfo.scoring``).
        cosine: raw cosine similarity of the input and label embeddings, in [-1, 1].
    """

    label: str
    probability: float
    cosine: float

    @classmethod
    def _from_proto(cls, m: pb.LabelScore) -> "LabelScore":
        return cls(label=m.label, probability=m.probability, cosine=m.cosine)


@dataclass(frozen=True)
class Classification:
    """The answer to one classification.

    Attributes:
        scores: the best labels first (``top_k`` of them, or all); empty when ``no_match``.
        model: name of the model that answered.
        model_version: that model's version.
        no_match: True when ``min_score`` was given and no label reached it.
        warnings: what the caller should know about this answer, in words (e.g. a label with
            words the model has no token for). For people and logs: do not parse.
    """

    scores: List[LabelScore]
    model: str
    model_version: str
    no_match: bool
    warnings: List[str] = field(default_factory=list)

    @property
    def best(self) -> Optional[LabelScore]:
        """The best-scoring label, or None when there is none (``no_match``)."""
        return self.scores[0] if self.scores else None

    @classmethod
    def _from_proto(cls, m: pb.ClassifyResponse) -> "Classification":
        return cls(
            scores=[LabelScore._from_proto(s) for s in m.scores],
            model=m.model,
            model_version=m.model_version,
            no_match=m.no_match,
            warnings=list(m.warnings),
        )


@dataclass(frozen=True)
class ItemError:
    """Why one item of ``Client.classify_many`` failed; the other items are not affected.

    Attributes:
        index: the item's position in the input (0-based).
        code: the gRPC status code Classify would have returned, e.g.
            ``grpc.StatusCode.INVALID_ARGUMENT`` for an image that does not decode.
        message: the server's message (or, for an item the client rejected before sending it,
            the exception's message).
        field_violations: ``(field, description)`` pairs from google.rpc.BadRequest, as in
            ``ZeroShotError.field_violations``.
        retry_delay: seconds to wait before a retry (google.rpc.RetryInfo, with
            RESOURCE_EXHAUSTED), or None.
    """

    index: int
    code: grpc.StatusCode
    message: str
    field_violations: List[Tuple[str, str]] = field(default_factory=list)
    retry_delay: Optional[float] = None

    @classmethod
    def _from_status(cls, index: int, status: Any) -> "ItemError":
        violations, retry_delay = _status_details(status)
        return cls(index=index, code=_status_code(status.code), message=status.message,
                   field_violations=violations, retry_delay=retry_delay)


@dataclass(frozen=True)
class ModelInfo:
    """One model the server has loaded (ListModels).

    Attributes:
        name: the name to pass as ``model``.
        version: version of the model's weights.
        dimension: number of values in each embedding.
        image_size: side in pixels of the square image the image tower takes (0 for NaFlex).
        context_length: most tokens the text tower takes per text.
        device: where the model runs, e.g. "cpu" or "gpu(0)"; for display only.
        ready: True once the model is loaded and warmed up.
        logit_scale: factor applied to cosines before the softmax or sigmoid.
        family: "clip", "siglip" or "siglip2".
        scoring: "softmax" or "sigmoid": how ``LabelScore.probability`` is computed.
        logit_bias: added before the sigmoid; 0 for softmax models.
        patch_size: NaFlex patch side in pixels; 0 for fixed-resolution models.
        max_patches: NaFlex patch budget; 0 for fixed-resolution models.
        preprocess_mode: "exact" or "fast".
        image_precision: the image tower's number type: "float32", "float16", "bfloat16" or
            "int8" (embeddings are float32 whatever it is).
        text_precision: the text tower's, likewise.
        is_default: True for the server's default model (used when ``model`` is left out).
    """

    name: str
    version: str
    dimension: int
    image_size: int
    context_length: int
    device: str
    ready: bool
    logit_scale: float
    family: str
    scoring: str
    logit_bias: float
    patch_size: int
    max_patches: int
    preprocess_mode: str
    image_precision: str = ""
    text_precision: str = ""
    is_default: bool = False

    @classmethod
    def _from_proto(cls, m: pb.ModelInfo, default_model: str) -> "ModelInfo":
        return cls(
            name=m.name,
            version=m.version,
            dimension=m.dimension,
            image_size=m.image_size,
            context_length=m.context_length,
            device=m.device,
            ready=m.ready,
            logit_scale=m.logit_scale,
            family=m.family,
            scoring=m.scoring,
            logit_bias=m.logit_bias,
            patch_size=m.patch_size,
            max_patches=m.max_patches,
            preprocess_mode=m.preprocess_mode,
            image_precision=m.image_precision,
            text_precision=m.text_precision,
            is_default=m.name == default_model,
        )


@dataclass(frozen=True)
class LabelSetEntry:
    """One label of a label set.

    Attributes:
        label: the label as Classify reports it.
        synonyms: other names for the same thing, put through the templates like the label.
        extra_prompts: whole prompts used as they are, without a template.
    """

    label: str
    synonyms: List[str] = field(default_factory=list)
    extra_prompts: List[str] = field(default_factory=list)

    def _to_proto(self) -> pb.LabelSetEntry:
        return pb.LabelSetEntry(
            label=self.label, synonyms=list(self.synonyms), extra_prompts=list(self.extra_prompts)
        )

    @classmethod
    def _from_proto(cls, m: pb.LabelSetEntry) -> "LabelSetEntry":
        return cls(label=m.label, synonyms=list(m.synonyms), extra_prompts=list(m.extra_prompts))


@dataclass(frozen=True)
class LabelSetInfo:
    """What the server holds for a label set.

    Attributes:
        name: the set's name.
        model: the model it is encoded for.
        model_version: that model's version when the set was encoded.
        label_count: number of labels.
        prompt_count: number of distinct prompts encoded for it.
    """

    name: str
    model: str
    model_version: str
    label_count: int
    prompt_count: int

    @classmethod
    def _from_proto(cls, m: pb.LabelSetInfo) -> "LabelSetInfo":
        return cls(
            name=m.name,
            model=m.model,
            model_version=m.model_version,
            label_count=m.label_count,
            prompt_count=m.prompt_count,
        )


@dataclass(frozen=True)
class PutLabelSetResult:
    """The answer to ``Client.put_label_set``.

    Attributes:
        info: what the server now holds for the set.
        replaced: True if a set of the same name (and model) was replaced.
    """

    info: LabelSetInfo
    replaced: bool


@dataclass(frozen=True)
class LabelSet:
    """A label set's definition, as ``Client.get_label_set`` returns it.

    Attributes:
        name: the set's name.
        model: the model it is encoded for.
        labels: its labels, in order.
        templates: its prompt templates (each with "{}" once); empty = labels used as they are.
        info: what the server holds for it.
    """

    name: str
    model: str
    labels: List[LabelSetEntry]
    templates: List[str]
    info: LabelSetInfo

    @classmethod
    def _from_proto(cls, m: pb.GetLabelSetResponse) -> "LabelSet":
        s = m.label_set
        return cls(
            name=s.name,
            model=s.model,
            labels=[LabelSetEntry._from_proto(e) for e in s.labels],
            templates=list(s.prompt_templates),
            info=LabelSetInfo._from_proto(m.info),
        )
