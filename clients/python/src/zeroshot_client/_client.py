"""The blocking client of ZeroShot Serve."""
from __future__ import annotations

import asyncio
import itertools
import os
import queue
import time
from dataclasses import dataclass
from pathlib import Path
from typing import (Any, AsyncIterable, AsyncIterator, Callable, Dict, Generic, Iterable,
                    Iterator, List, Optional, Sequence, Tuple, TypeVar, Union)

import grpc
import numpy as np

from ._errors import ZeroShotError
from ._proto.zeroshot.v1 import zeroshot_pb2 as pb
from ._proto.zeroshot.v1 import zeroshot_pb2_grpc as pb_grpc
from ._types import (
    Classification,
    ItemError,
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

#: Exponential backoff between retries when the server sends no RetryInfo: the first wait, and
#: the longest.
RETRY_BACKOFF_S = 0.1
RETRY_BACKOFF_MAX_S = 5.0

#: How far past the result the caller waits for ``classify_many`` may send, in multiples of
#: ``max_in_flight``: the server answers out of order, and results that arrive early are kept
#: until their turn, so one slow item does not stop the window from refilling.
REORDER_WINDOW = 4

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


def _retry_wait(error: ZeroShotError, attempt: int, retries: int) -> Optional[float]:
    """Seconds to wait before retrying a call that failed with ``error`` on its ``attempt``-th
    retry (0 = the first call failed), or None when it is not to be retried: only
    RESOURCE_EXHAUSTED is, at most ``retries`` times, after the server's RetryInfo delay or else
    an exponential backoff (``RETRY_BACKOFF_S`` doubled per retry, at most
    ``RETRY_BACKOFF_MAX_S``)."""
    if error.code != grpc.StatusCode.RESOURCE_EXHAUSTED or attempt >= retries:
        return None
    if error.retry_delay is not None:
        return error.retry_delay
    return min(RETRY_BACKOFF_S * (2 ** attempt), RETRY_BACKOFF_MAX_S)


@dataclass(frozen=True)
class _Plan(Generic[_T]):
    """What one client method does, apart from how the calls are made (blocking or asyncio):
    the RPC to call, its requests (one call each, in order) and how the answers become the
    result. ``Client`` and ``AsyncClient`` both run these, so they build the same requests and
    return the same results."""

    rpc: str
    requests: List[Any]
    finish: Callable[[List[Any]], _T]


def _classify_request(
    image: Optional[ImageInput],
    text: Optional[str],
    labels: Optional[Union[str, Iterable[str]]],
    label_set: Optional[str],
    template: Optional[str],
    top_k: int,
    min_score: Optional[float],
    model: Optional[str],
) -> pb.ClassifyRequest:
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
    return request


def _classify_plan(*args: Any) -> _Plan[Classification]:
    return _Plan("Classify", [_classify_request(*args)],
                 lambda responses: Classification._from_proto(responses[0]))


def _embed_images_plan(images: Sequence[ImageInput], model: Optional[str],
                       max_batch: int) -> _Plan[np.ndarray]:
    images = list(images)
    if not images:
        raise ValueError("images must not be empty")
    if max_batch < 1:
        raise ValueError(f"max_batch must be at least 1, not {max_batch}")
    requests = [pb.EmbedImagesRequest(model=model or "", images=[_image_to_proto(i) for i in b])
                for b in _batches(images, max_batch)]
    return _Plan("EmbedImages", requests, _concat_embeddings)


def _embed_texts_plan(texts: Sequence[str], model: Optional[str],
                      max_batch: int) -> _Plan[np.ndarray]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of str, not one str")
    texts = list(texts)
    if not texts:
        raise ValueError("texts must not be empty")
    if max_batch < 1:
        raise ValueError(f"max_batch must be at least 1, not {max_batch}")
    requests = [pb.EmbedTextsRequest(model=model or "", texts=list(b))
                for b in _batches(texts, max_batch)]
    return _Plan("EmbedTexts", requests, _concat_embeddings)


def _models_plan() -> _Plan[List[ModelInfo]]:
    def finish(responses: List[Any]) -> List[ModelInfo]:
        r = responses[0]
        return [ModelInfo._from_proto(m, r.default_model) for m in r.models]
    return _Plan("ListModels", [pb.ListModelsRequest()], finish)


def _put_label_set_plan(name: str, labels: Iterable[Union[str, LabelSetEntry]],
                        templates: Optional[Iterable[str]],
                        model: Optional[str]) -> _Plan[PutLabelSetResult]:
    entries = [e._to_proto() if isinstance(e, LabelSetEntry) else pb.LabelSetEntry(label=e)
               for e in labels]
    request = pb.PutLabelSetRequest(label_set=pb.LabelSet(
        name=name, model=model or "", labels=entries, prompt_templates=list(templates or [])))
    return _Plan("PutLabelSet", [request], lambda responses: PutLabelSetResult(
        LabelSetInfo._from_proto(responses[0].info), responses[0].replaced))


def _get_label_set_plan(name: str, model: Optional[str]) -> _Plan[LabelSet]:
    return _Plan("GetLabelSet", [pb.GetLabelSetRequest(name=name, model=model or "")],
                 lambda responses: LabelSet._from_proto(responses[0]))


def _list_label_sets_plan(model: Optional[str]) -> _Plan[List[LabelSetInfo]]:
    return _Plan("ListLabelSets", [pb.ListLabelSetsRequest(model=model or "")],
                 lambda responses: [LabelSetInfo._from_proto(s) for s in responses[0].label_sets])


def _delete_label_set_plan(name: str, model: Optional[str]) -> _Plan[str]:
    return _Plan("DeleteLabelSet", [pb.DeleteLabelSetRequest(name=name, model=model or "")],
                 lambda responses: responses[0].model)


class _StreamWindow:
    """The bookkeeping of one ``classify_many`` stream, shared by ``Client`` and
    ``AsyncClient``: which input item to send next, how many are unanswered, and the results
    that arrived before their turn (the server answers in any order; the caller gets them in
    input order).

    At most ``max_in_flight`` items are unanswered at a time, and none is sent more than
    ``REORDER_WINDOW`` x ``max_in_flight`` places after the result the caller waits for, so
    memory stays bounded however many items there are and however slow one of them is. The
    unanswered requests are kept, so that they can be sent again on a new stream when the
    server ends one with UNAVAILABLE (see ``may_reopen``).
    """

    def __init__(self, base: pb.ClassifyRequest, max_in_flight: int) -> None:
        self._base = base
        self._max_in_flight = max_in_flight
        self._ready: Dict[int, Union[Classification, ItemError]] = {}
        self._next_out = 0     # the index of the next result to yield
        self._next_in = 0      # the index of the next input item
        # items sent and not answered yet, by index
        self._unanswered: Dict[int, pb.ClassifyStreamRequest] = {}
        self._answers_on_this_stream = 0
        self.exhausted = False  # set by the caller when the input has no more items

    def wants_more(self) -> bool:
        """Whether the next input item may be taken and sent now."""
        return (not self.exhausted and len(self._unanswered) < self._max_in_flight
                and self._next_in < self._next_out + REORDER_WINDOW * self._max_in_flight)

    def request_for(self, image: ImageInput) -> Optional[pb.ClassifyStreamRequest]:
        """The request that sends the next input item, or None when the client cannot send it
        (its result is then an INVALID_ARGUMENT ``ItemError`` with the exception's message)."""
        index = self._next_in
        self._next_in += 1
        request = pb.ClassifyRequest()
        request.CopyFrom(self._base)
        try:
            request.image.CopyFrom(_image_to_proto(image))
        except (OSError, ValueError, TypeError) as e:
            self._ready[index] = ItemError(index, grpc.StatusCode.INVALID_ARGUMENT,
                                           f"{type(e).__name__}: {e}")
            return None
        message = pb.ClassifyStreamRequest(request_id=str(index), request=request)
        self._unanswered[index] = message
        return message

    def answered(self, response: Any) -> None:
        """Takes one ClassifyStreamResponse."""
        index = int(response.request_id)
        if self._unanswered.pop(index, None) is None:
            return  # answered before a reconnect and again after it: the first answer stands
        self._answers_on_this_stream += 1
        if response.WhichOneof("result") == "error":
            self._ready[index] = ItemError._from_status(index, response.error)
        else:
            self._ready[index] = Classification._from_proto(response.response)

    def pop_next(self) -> Optional[Union[Classification, ItemError]]:
        """The next result in input order when it has arrived, else None."""
        result = self._ready.pop(self._next_out, None)
        if result is not None:
            self._next_out += 1
        return result

    def done(self) -> bool:
        """Whether every input item has been yielded."""
        return self.exhausted and self._next_out >= self._next_in

    def ended_early(self) -> ZeroShotError:
        """The error for a stream the server ended with items unanswered."""
        return ZeroShotError(grpc.StatusCode.INTERNAL,
                             f"the stream ended with {len(self._unanswered)} items unanswered")

    def may_reopen(self, error: grpc.RpcError) -> bool:
        """Whether a stream that ended with ``error`` is to be replaced by a new one: when the
        server ended it with UNAVAILABLE (its --max-connection-age closes a connection, streams
        included, after a grace; or it is shutting down and another replica answers) after
        answering at least one item on it, so a server that is down is not retried forever."""
        return (error.code() == grpc.StatusCode.UNAVAILABLE
                and self._answers_on_this_stream > 0)

    def reopened(self) -> List[pb.ClassifyStreamRequest]:
        """The unanswered requests, in input order, to send again on the new stream."""
        self._answers_on_this_stream = 0
        return [self._unanswered[i] for i in sorted(self._unanswered)]


def _stream_base(labels: Optional[Union[str, Iterable[str]]], label_set: Optional[str],
                 template: Optional[str], top_k: int, min_score: Optional[float],
                 model: Optional[str], max_in_flight: int) -> pb.ClassifyRequest:
    """The fields every item of a ``classify_many`` stream shares."""
    if max_in_flight < 1:
        raise ValueError(f"max_in_flight must be at least 1, not {max_in_flight}")
    base = _classify_request(None, "", labels, label_set, template, top_k, min_score, model)
    base.ClearField("text")
    return base


class _ClientBase:
    """What ``Client`` and ``AsyncClient`` share: the channel's settings and the metadata."""

    def __init__(
        self,
        channel_module: Any,
        target: str,
        token: Optional[str],
        tls: bool,
        ca_cert: Optional[PemInput],
        client_cert: Optional[PemInput],
        client_key: Optional[PemInput],
        timeout: Optional[float],
        retries: int,
    ) -> None:
        if (client_cert is None) != (client_key is None):
            raise ValueError("client_cert and client_key must be given together")
        if retries < 0:
            raise ValueError(f"retries must not be negative, not {retries}")
        self._timeout = timeout
        self._retries = retries
        self._metadata: Tuple[Tuple[str, str], ...] = (
            (("authorization", f"Bearer {token}"),) if token else ())
        options = [("grpc.max_receive_message_length", _MAX_MESSAGE),
                   ("grpc.max_send_message_length", _MAX_MESSAGE)]
        if tls or ca_cert is not None or client_cert is not None:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=_read_pem(ca_cert),
                private_key=_read_pem(client_key),
                certificate_chain=_read_pem(client_cert))
            self._channel = channel_module.secure_channel(target, credentials, options=options)
        else:
            self._channel = channel_module.insecure_channel(target, options=options)
        self._stub = pb_grpc.ZeroShotServiceStub(self._channel)


_CLIENT_ARGS_DOC = """
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
            retries: how many times a call answered RESOURCE_EXHAUSTED (server at capacity) is
                sent again, after the delay the server asks for (RetryInfo) or else an
                exponential backoff; 0 (the default) = never, the error is raised at once.
"""


class Client(_ClientBase):
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
        retries: int = 0,
    ) -> None:
        super().__init__(grpc, target, token, tls, ca_cert, client_cert, client_key, timeout,
                         retries)

    __init__.__doc__ = ("Opens a channel to ``target`` (host:port). Nothing is sent until the "
                        "first call.\n" + _CLIENT_ARGS_DOC)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the channel; calls in flight are cancelled."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: Callable[..., _T], request: Any) -> _T:
        """Makes one unary call, retried as ``retries`` allows (see ``_retry_wait``)."""
        for attempt in itertools.count():
            try:
                return method(request, timeout=self._timeout, metadata=self._metadata)
            except grpc.RpcError as e:
                error = ZeroShotError.from_rpc_error(e)
            wait = _retry_wait(error, attempt, self._retries)
            if wait is None:
                raise error from None
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _run(self, plan: _Plan[_T]) -> _T:
        method = getattr(self._stub, plan.rpc)
        return plan.finish([self._call(method, r) for r in plan.requests])

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
        return self._run(_classify_plan(image, text, labels, label_set, template, top_k,
                                        min_score, model))

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

    def classify_many(
        self,
        images: Iterable[ImageInput],
        *,
        labels: Optional[Union[str, Iterable[str]]] = None,
        label_set: Optional[str] = None,
        template: Optional[str] = None,
        top_k: int = 0,
        min_score: Optional[float] = None,
        model: Optional[str] = None,
        max_in_flight: int = 64,
    ) -> Iterator[Union[Classification, ItemError]]:
        """Classifies many images over one ClassifyStream call; a generator.

        ::

            for path, result in zip(paths, client.classify_many(paths, labels=["cat", "dog"])):
                if isinstance(result, ItemError):
                    print(path, "failed:", result.code.name, result.message)
                else:
                    print(path, result.best.label)

        ``images`` is read lazily (a generator of paths is fine); at most ``max_in_flight``
        items are unanswered at a time, and none is sent more than ``REORDER_WINDOW`` (4) x
        ``max_in_flight`` places ahead of the result the caller is waiting for, so memory
        stays bounded however many images there are. The server answers in any order; the
        results are yielded in input order, one per image.

        The call has no deadline (``timeout`` does not apply): breaking out of the loop, or
        closing the generator, cancels it. When the server ends the stream with UNAVAILABLE
        after answering on it (its --max-connection-age closes connections, default after 5
        min plus a 30 s grace), a new stream is opened and the unanswered items are sent again,
        so a folder of any size streams through. The other arguments are those of ``classify``
        and apply to every image.

        Yields:
            For each image, in input order: its ``Classification``, or an ``ItemError`` when
            that image failed (e.g. INVALID_ARGUMENT for bytes that do not decode); other
            images are not affected. An image the client rejects before sending it (a file it
            cannot read, an array of the wrong shape, an unsupported type) is an ``ItemError``
            with INVALID_ARGUMENT and the exception's message.

        Raises:
            ValueError: ``max_in_flight`` below 1.
            ZeroShotError: the stream as a whole failed (server unreachable or shutting down,
                a bad label set or template is reported per item, not here).
        """
        base = _stream_base(labels, label_set, template, top_k, min_score, model, max_in_flight)
        return self._classify_stream(iter(images), base, max_in_flight)

    def _classify_stream(self, images: Iterator[ImageInput], base: pb.ClassifyRequest,
                         max_in_flight: int) -> Iterator[Union[Classification, ItemError]]:
        window = _StreamWindow(base, max_in_flight)
        outgoing, call = self._open_stream()
        finished = False
        try:
            while True:
                while window.wants_more():
                    try:
                        image = next(images)
                    except StopIteration:
                        window.exhausted = True
                        outgoing.put(None)  # half-close: the server ends the stream when done
                        break
                    request = window.request_for(image)
                    if request is not None:
                        outgoing.put(request)
                result = window.pop_next()
                if result is not None:
                    yield result
                    continue
                if window.done():
                    break
                try:
                    response = next(call)
                except StopIteration:
                    raise window.ended_early() from None
                except grpc.RpcError as e:
                    if not window.may_reopen(e):
                        raise
                    outgoing.put(None)  # ends the old call's request thread
                    outgoing, call = self._open_stream()
                    for request in window.reopened():
                        outgoing.put(request)
                    if window.exhausted:
                        outgoing.put(None)
                    continue
                window.answered(response)
            finished = True
            for _ in call:  # the server ends the stream once every item is answered
                pass
        except grpc.RpcError as e:
            if not finished:
                raise ZeroShotError.from_rpc_error(e) from None
        finally:
            if not finished:
                call.cancel()
                if not window.exhausted:
                    outgoing.put(None)

    def _open_stream(self) -> Tuple["queue.Queue[Optional[pb.ClassifyStreamRequest]]", Any]:
        """A new ClassifyStream call and the queue its requests are taken from (grpcio sends
        them from its own thread); None in the queue half-closes the stream."""
        outgoing: "queue.Queue[Optional[pb.ClassifyStreamRequest]]" = queue.Queue()

        def requests() -> Iterator[pb.ClassifyStreamRequest]:
            while True:
                item = outgoing.get()
                if item is None:
                    return
                yield item

        return outgoing, self._stub.ClassifyStream(requests(), metadata=self._metadata)

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
        return self._run(_embed_images_plan(images, model, max_batch))

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
        return self._run(_embed_texts_plan(texts, model, max_batch))

    # -- models ------------------------------------------------------------------------------

    def models(self) -> List[ModelInfo]:
        """Lists the models the server has loaded or is loading (``ready`` tells which)."""
        return self._run(_models_plan())

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
        return self._run(_put_label_set_plan(name, labels, templates, model))

    def get_label_set(self, name: str, *, model: Optional[str] = None) -> LabelSet:
        """Returns a label set's definition; ZeroShotError NOT_FOUND for an unknown one."""
        return self._run(_get_label_set_plan(name, model))

    def list_label_sets(self, model: Optional[str] = None) -> List[LabelSetInfo]:
        """Lists the label sets of one model, or of every model when ``model`` is None."""
        return self._run(_list_label_sets_plan(model))

    def delete_label_set(self, name: str, *, model: Optional[str] = None) -> str:
        """Deletes a label set; returns the model it was for. NOT_FOUND for an unknown one."""
        return self._run(_delete_label_set_plan(name, model))


class AsyncClient(_ClientBase):
    """An asyncio client (``grpc.aio``) with the calls of ``Client``, as coroutines; use
    it as an async context manager::

        async with AsyncClient("localhost:50051") as client:
            result = await client.classify("cat.jpg", labels=["cat", "dog"])

    The methods take the same arguments, return the same results and raise the same
    exceptions as those of ``Client``; ``classify_many`` is an async generator. Make and use
    it inside one event loop.
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
        retries: int = 0,
    ) -> None:
        super().__init__(grpc.aio, target, token, tls, ca_cert, client_cert, client_key,
                         timeout, retries)

    __init__.__doc__ = ("Opens a grpc.aio channel to ``target`` (host:port). Nothing is sent "
                        "until the first call.\n" + _CLIENT_ARGS_DOC)

    async def close(self) -> None:
        """Closes the channel; calls in flight are cancelled."""
        await self._channel.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _call(self, method: Callable[..., Any], request: Any) -> Any:
        """Makes one unary call, retried as ``retries`` allows (see ``_retry_wait``)."""
        for attempt in itertools.count():
            try:
                return await method(request, timeout=self._timeout, metadata=self._metadata)
            except grpc.RpcError as e:
                error = ZeroShotError.from_rpc_error(e)
            wait = _retry_wait(error, attempt, self._retries)
            if wait is None:
                raise error from None
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def _run(self, plan: _Plan[_T]) -> _T:
        method = getattr(self._stub, plan.rpc)
        return plan.finish([await self._call(method, r) for r in plan.requests])

    async def classify(
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
        """Scores one image, or one text, against candidate labels; see ``Client.classify``."""
        return await self._run(_classify_plan(image, text, labels, label_set, template, top_k,
                                              min_score, model))

    async def classify_text(
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
        """Scores one text against candidate labels; see ``Client.classify``."""
        return await self.classify(text=text, labels=labels, label_set=label_set,
                                   template=template, top_k=top_k, min_score=min_score,
                                   model=model)

    async def classify_many(
        self,
        images: Union[Iterable[ImageInput], AsyncIterable[ImageInput]],
        *,
        labels: Optional[Union[str, Iterable[str]]] = None,
        label_set: Optional[str] = None,
        template: Optional[str] = None,
        top_k: int = 0,
        min_score: Optional[float] = None,
        model: Optional[str] = None,
        max_in_flight: int = 64,
    ) -> AsyncIterator[Union[Classification, ItemError]]:
        """Classifies many images over one ClassifyStream call; an async generator::

            async for result in client.classify_many(paths, labels=["cat", "dog"]):
                ...

        ``images`` may be an iterable or an async iterable. Everything else is as in
        ``Client.classify_many``: results in input order, an ``ItemError`` per failed item,
        at most ``max_in_flight`` unanswered, no deadline, a new stream when the server ends
        one with UNAVAILABLE; leaving the loop early (``break``,
        then ``aclose()`` or the generator's garbage collection) cancels the call.

        Raises:
            ValueError: ``max_in_flight`` below 1 (when the generator starts).
            ZeroShotError: the stream as a whole failed.
        """
        base = _stream_base(labels, label_set, template, top_k, min_score, model, max_in_flight)
        source = (images.__aiter__() if isinstance(images, AsyncIterable)
                  else _aiter_of(iter(images)))
        window = _StreamWindow(base, max_in_flight)
        outgoing, call, writer = self._open_stream()
        finished = False
        try:
            while True:
                while window.wants_more():
                    try:
                        image = await source.__anext__()
                    except StopAsyncIteration:
                        window.exhausted = True
                        outgoing.put_nowait(None)
                        break
                    request = window.request_for(image)
                    if request is not None:
                        outgoing.put_nowait(request)
                result = window.pop_next()
                if result is not None:
                    yield result
                    continue
                if window.done():
                    break
                try:
                    response = await call.read()
                except grpc.RpcError as e:
                    if not window.may_reopen(e):
                        raise
                    writer.cancel()
                    outgoing, call, writer = self._open_stream()
                    for request in window.reopened():
                        outgoing.put_nowait(request)
                    if window.exhausted:
                        outgoing.put_nowait(None)
                    continue
                if response is grpc.aio.EOF:
                    if writer.done() and writer.exception() is not None:
                        raise writer.exception()  # type: ignore[misc]
                    raise window.ended_early()
                window.answered(response)
            finished = True
            await writer
            await call.read()  # EOF: the server ends the stream once every item is answered
        except grpc.RpcError as e:
            if not finished:
                raise ZeroShotError.from_rpc_error(e) from None
        finally:
            if not finished:
                call.cancel()
                writer.cancel()
            elif writer.done() and not writer.cancelled():
                writer.exception()  # retrieved, so asyncio does not log it as forgotten

    def _open_stream(self) -> Tuple["asyncio.Queue[Optional[pb.ClassifyStreamRequest]]", Any,
                                    "asyncio.Future[None]"]:
        """A new ClassifyStream call, the queue of its requests (None half-closes it) and the
        task that writes them: a task of its own, so that a write waiting on flow control never
        keeps the generator from reading the answers that free the window."""
        call = self._stub.ClassifyStream(metadata=self._metadata)
        outgoing: "asyncio.Queue[Optional[pb.ClassifyStreamRequest]]" = asyncio.Queue()

        async def write_all() -> None:
            while True:
                item = await outgoing.get()
                if item is None:
                    await call.done_writing()
                    return
                await call.write(item)

        return outgoing, call, asyncio.ensure_future(write_all())

    async def embed_images(
        self,
        images: Sequence[ImageInput],
        model: Optional[str] = None,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> np.ndarray:
        """Encodes images into L2-normalised embeddings; see ``Client.embed_images``."""
        return await self._run(_embed_images_plan(images, model, max_batch))

    async def embed_texts(
        self,
        texts: Sequence[str],
        model: Optional[str] = None,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> np.ndarray:
        """Encodes texts into L2-normalised embeddings; see ``Client.embed_texts``."""
        return await self._run(_embed_texts_plan(texts, model, max_batch))

    async def models(self) -> List[ModelInfo]:
        """Lists the models the server has loaded or is loading; see ``Client.models``."""
        return await self._run(_models_plan())

    async def put_label_set(
        self,
        name: str,
        labels: Iterable[Union[str, LabelSetEntry]],
        *,
        templates: Optional[Iterable[str]] = None,
        model: Optional[str] = None,
    ) -> PutLabelSetResult:
        """Creates or replaces a named label set; see ``Client.put_label_set``."""
        return await self._run(_put_label_set_plan(name, labels, templates, model))

    async def get_label_set(self, name: str, *, model: Optional[str] = None) -> LabelSet:
        """Returns a label set's definition; see ``Client.get_label_set``."""
        return await self._run(_get_label_set_plan(name, model))

    async def list_label_sets(self, model: Optional[str] = None) -> List[LabelSetInfo]:
        """Lists label sets; see ``Client.list_label_sets``."""
        return await self._run(_list_label_sets_plan(model))

    async def delete_label_set(self, name: str, *, model: Optional[str] = None) -> str:
        """Deletes a label set; see ``Client.delete_label_set``."""
        return await self._run(_delete_label_set_plan(name, model))


async def _aiter_of(items: Iterator[_T]) -> AsyncIterator[_T]:
    for item in items:
        yield item


def _concat_embeddings(responses: List[Any]) -> np.ndarray:
    return np.concatenate([_embeddings(r) for r in responses])


def _embeddings(response: Any) -> np.ndarray:
    dim = response.dimension
    values = np.array([v for e in response.embeddings for v in e.values], dtype=np.float32)
    return values.reshape(len(response.embeddings), dim)
