"""The blocking client of ZeroShot Serve."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, TypeVar, Union

import grpc
import numpy as np

from ._errors import ZeroShotError
from ._proto.zeroshot.v1 import zeroshot_pb2 as pb
from ._proto.zeroshot.v1 import zeroshot_pb2_grpc as pb_grpc
from ._types import (
    Classification,
    LabelSet,
    LabelSetEntry,
    LabelSetInfo,
    ModelInfo,
    PutLabelSetResult,
)

#: What ``classify`` and ``embed_images`` take as an image: a file path, the bytes of an encoded
#: image file (JPEG, PNG, GIF, BMP, WebP), a PIL image, or an HxWx3 (RGB) / HxWx4 (RGBA) uint8
#: numpy array.
ImageInput = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, np.ndarray, Any]
#: A file path or its contents, for certificates and keys.
PemInput = Union[str, "os.PathLike[str]", bytes]

#: The server's default most items per EmbedImages / EmbedTexts call.
DEFAULT_MAX_BATCH = 256
_MAX_MESSAGE = 64 * 1024 * 1024

_T = TypeVar("_T")


def _read_pem(value: Optional[PemInput]) -> Optional[bytes]:
    if value is None or isinstance(value, bytes):
        return value
    return Path(value).read_bytes()


def _image_to_proto(image: ImageInput) -> pb.Image:
    """Turns an accepted image value into an Image message (see ``ImageInput``)."""
    if isinstance(image, (str, os.PathLike)):
        return pb.Image(encoded=Path(image).read_bytes())
    if isinstance(image, (bytes, bytearray, memoryview)):
        return pb.Image(encoded=bytes(image))
    if isinstance(image, np.ndarray):
        return _array_to_proto(image)
    if _is_pil_image(image):
        mode = image.mode
        converted = image if mode in ("RGB", "RGBA") else image.convert(
            "RGBA" if mode in ("LA", "PA") or (mode == "P" and "transparency" in image.info)
            else "RGB")
        return _array_to_proto(np.asarray(converted, dtype=np.uint8))
    raise TypeError(
        "image must be a path (str or os.PathLike), the bytes of an encoded image, a PIL image "
        f"or a numpy array, not {type(image).__name__}")


def _is_pil_image(value: Any) -> bool:
    try:
        from PIL import Image as PILImage  # optional: only needed for PIL input
    except ImportError:
        return False
    return isinstance(value, PILImage.Image)


def _array_to_proto(array: np.ndarray) -> pb.Image:
    if array.dtype != np.uint8:
        raise ValueError(
            f"image array must have dtype uint8 (0-255 per channel), not {array.dtype}; "
            "e.g. (array * 255).round().astype(np.uint8) for floats in [0, 1]")
    if array.ndim != 3 or array.shape[2] not in (3, 4):
        raise ValueError(
            "image array must have shape (height, width, 3) for RGB or (height, width, 4) for "
            f"RGBA, not {array.shape}")
    height, width, channels = array.shape
    if height == 0 or width == 0:
        raise ValueError(f"image array must not be empty, got shape {array.shape}")
    fmt = pb.PIXEL_FORMAT_RGB8 if channels == 3 else pb.PIXEL_FORMAT_RGBA8
    return pb.Image(raw=pb.RawImage(
        pixels=np.ascontiguousarray(array).tobytes(), width=width, height=height, format=fmt))


def _labels_list(labels: Union[str, Iterable[str]]) -> List[str]:
    if isinstance(labels, str):
        return [label.strip() for label in labels.split(",")]
    return list(labels)


def _batches(items: Sequence[_T], size: int) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Client:
    """A blocking client of a ZeroShot Serve server; use it as a context manager.

    ::

        with Client("localhost:50051") as client:
            result = client.classify("cat.jpg", labels=["cat", "dog"],
                                     template="a photo of a {}")
            print(result.best.label)

    Every method raises ``ZeroShotError`` when the call fails (bad request, unknown model,
    server at capacity, deadline passed, server unreachable, ...), and ``ValueError`` or
    ``TypeError`` for arguments it can reject before sending anything.
    """

    def __init__(
        self,
        target: str = "localhost:50051",
        *,
        token: Optional[str] = None,
        tls: bool = False,
        ca_cert: Optional[PemInput] = None,
        client_cert: Optional[PemInput] = None,
        client_key: Optional[PemInput] = None,
        timeout: Optional[float] = 30.0,
    ) -> None:
        """Opens a channel to ``target`` (host:port). Nothing is sent until the first call.

        Args:
            target: the server's address, "host:port".
            token: a bearer token, sent as "authorization: Bearer <token>" on every call (for a
                server started with --auth-token-file). Prefer TLS when sending one.
            tls: connect with TLS; implied by ``ca_cert``, ``client_cert`` or ``client_key``.
                Without ``ca_cert`` the system's trusted roots are used.
            ca_cert: the CA certificate (PEM) that signed the server's certificate: a path or
                its bytes.
            client_cert: this client's certificate chain (PEM), for a server that asks for
                client certificates (mutual TLS); needs ``client_key``.
            client_key: the private key (PEM) of ``client_cert``.
            timeout: deadline of each call in seconds; None = no deadline.
        """
        if (client_cert is None) != (client_key is None):
            raise ValueError("client_cert and client_key must be given together")
        self._timeout = timeout
        self._metadata: Tuple[Tuple[str, str], ...] = (
            (("authorization", f"Bearer {token}"),) if token else ())
        options = [("grpc.max_receive_message_length", _MAX_MESSAGE),
                   ("grpc.max_send_message_length", _MAX_MESSAGE)]
        if tls or ca_cert is not None or client_cert is not None:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_read_pem(ca_cert),
                private_key=_read_pem(client_key),
                certificate_chain=_read_pem(client_cert))
            self._channel = grpc.secure_channel(target, credentials, options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
        self._stub = pb_grpc.ZeroShotServiceStub(self._channel)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the channel; calls in flight are cancelled."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: Callable[..., _T], request: Any) -> _T:
        try:
            return method(request, timeout=self._timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise ZeroShotError.from_rpc_error(e) from None

    # -- classification ----------------------------------------------------------------------

    def classify(
        self,
        image: Optional[ImageInput] = None,
        *,
        text: Optional[str] = None,
        labels: Optional[Union[str, Iterable[str]]] = None,
        label_set: Optional[str] = None,
        template: Optional[str] = None,
        top_k: int = 0,
        min_score: Optional[float] = None,
        model: Optional[str] = None,
    ) -> Classification:
        """Scores one image, or one text, against candidate labels.

        Args:
            image: the image (see ``ImageInput``): a path or encoded bytes are sent as they
                are; a PIL image or a numpy array is sent as raw RGB (or RGBA) pixels.
            text: a text to classify instead of an image.
            labels: the candidate labels, e.g. ["cat", "dog"]; a single str is split on
                commas ("cat,dog"). Give exactly one of ``labels`` and ``label_set``.
            label_set: name of a label set created with ``put_label_set``.
            template: a prompt template with "{}" once, e.g. "a photo of a {}"; not with
                ``label_set`` (whose own templates apply).
            top_k: how many of the best labels to return; 0 = all.
            min_score: leave out labels below this score (the cosine for softmax models, the
                probability for sigmoid ones); ``no_match`` is set when none is left.
            model: the model's name; None = the server's default model.

        Returns:
            The labels, best first, with the model that answered.

        Raises:
            ValueError: both or neither of ``image`` and ``text``; an array of the wrong
                dtype or shape.
            TypeError: an image of an unsupported type.
            ZeroShotError: the server refused or failed the call.
        """
        if (image is None) == (text is None):
            raise ValueError("give exactly one of image and text")
        request = pb.ClassifyRequest(
            model=model or "",
            labels=_labels_list(labels) if labels is not None else [],
            label_set=label_set or "",
            prompt_template=template or "",
            top_k=top_k,
        )
        if image is not None:
            request.image.CopyFrom(_image_to_proto(image))
        else:
            request.text = text  # type: ignore[assignment]
        if min_score is not None:
            request.min_score.value = min_score
        return Classification._from_proto(self._call(self._stub.Classify, request))

    def classify_text(
        self,
        text: str,
        *,
        labels: Optional[Union[str, Iterable[str]]] = None,
        label_set: Optional[str] = None,
        template: Optional[str] = None,
        top_k: int = 0,
        min_score: Optional[float] = None,
        model: Optional[str] = None,
    ) -> Classification:
        """Scores one text against candidate labels; the arguments are those of ``classify``."""
        return self.classify(text=text, labels=labels, label_set=label_set, template=template,
                             top_k=top_k, min_score=min_score, model=model)

    # -- embeddings --------------------------------------------------------------------------

    def embed_images(
        self,
        images: Sequence[ImageInput],
        model: Optional[str] = None,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> np.ndarray:
        """Encodes images into L2-normalised embeddings.

        Args:
            images: the images (see ``ImageInput``); at least one.
            model: the model's name; None = the server's default model.
            max_batch: most images per call (the server's max batch items, 256 by default);
                more are sent in several calls, one after another.

        Returns:
            A float32 array of shape (len(images), dimension), in input order.
        """
        images = list(images)
        if not images:
            raise ValueError("images must not be empty")
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, not {max_batch}")
        parts = []
        for batch in _batches(images, max_batch):
            request = pb.EmbedImagesRequest(
                model=model or "", images=[_image_to_proto(i) for i in batch])
            parts.append(_embeddings(self._call(self._stub.EmbedImages, request)))
        return np.concatenate(parts)

    def embed_texts(
        self,
        texts: Sequence[str],
        model: Optional[str] = None,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> np.ndarray:
        """Encodes texts, as they are (no template), into L2-normalised embeddings.

        Args:
            texts: the texts; at least one, none blank.
            model: the model's name; None = the server's default model.
            max_batch: most texts per call (the server's max batch items, 256 by default);
                more are sent in several calls, one after another.

        Returns:
            A float32 array of shape (len(texts), dimension), in input order.
        """
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of str, not one str")
        texts = list(texts)
        if not texts:
            raise ValueError("texts must not be empty")
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, not {max_batch}")
        parts = []
        for batch in _batches(texts, max_batch):
            request = pb.EmbedTextsRequest(model=model or "", texts=list(batch))
            parts.append(_embeddings(self._call(self._stub.EmbedTexts, request)))
        return np.concatenate(parts)

    # -- models ------------------------------------------------------------------------------

    def models(self) -> List[ModelInfo]:
        """Lists the models the server has loaded or is loading (``ready`` tells which)."""
        response = self._call(self._stub.ListModels, pb.ListModelsRequest())
        return [ModelInfo._from_proto(m, response.default_model) for m in response.models]

    # -- label sets --------------------------------------------------------------------------

    def put_label_set(
        self,
        name: str,
        labels: Iterable[Union[str, LabelSetEntry]],
        *,
        templates: Optional[Iterable[str]] = None,
        model: Optional[str] = None,
    ) -> PutLabelSetResult:
        """Creates or replaces a named label set, which ``classify(label_set=name)`` can use.

        Args:
            name: 1 to 128 letters, digits, '.', '_' or '-'.
            labels: the labels: plain strings, or ``LabelSetEntry`` with synonyms and extra
                prompts.
            templates: prompt templates, each with "{}" once; None = labels used as they are.
            model: the model to encode for; None = the server's default model.
        """
        entries = [e._to_proto() if isinstance(e, LabelSetEntry) else pb.LabelSetEntry(label=e)
                   for e in labels]
        request = pb.PutLabelSetRequest(label_set=pb.LabelSet(
            name=name, model=model or "", labels=entries,
            prompt_templates=list(templates or [])))
        response = self._call(self._stub.PutLabelSet, request)
        return PutLabelSetResult(LabelSetInfo._from_proto(response.info), response.replaced)

    def get_label_set(self, name: str, *, model: Optional[str] = None) -> LabelSet:
        """Returns a label set's definition; ZeroShotError NOT_FOUND for an unknown one."""
        response = self._call(
            self._stub.GetLabelSet, pb.GetLabelSetRequest(name=name, model=model or ""))
        return LabelSet._from_proto(response)

    def list_label_sets(self, model: Optional[str] = None) -> List[LabelSetInfo]:
        """Lists the label sets of one model, or of every model when ``model`` is None."""
        response = self._call(self._stub.ListLabelSets, pb.ListLabelSetsRequest(model=model or ""))
        return [LabelSetInfo._from_proto(s) for s in response.label_sets]

    def delete_label_set(self, name: str, *, model: Optional[str] = None) -> str:
        """Deletes a label set; returns the model it was for. NOT_FOUND for an unknown one."""
        response = self._call(
            self._stub.DeleteLabelSet, pb.DeleteLabelSetRequest(name=name, model=model or ""))
        return response.model


def _embeddings(response: Any) -> np.ndarray:
    dim = response.dimension
    values = np.array([v for e in response.embeddings for v in e.values], dtype=np.float32)
    return values.reshape(len(response.embeddings), dim)
