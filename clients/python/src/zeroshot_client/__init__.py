"""zeroshot_client: a Python client of ZeroShot Serve, the gRPC zero-shot classification server.

::

    from zeroshot_client import Client

    with Client("localhost:50051") as client:
        result = client.classify("cat.jpg", labels=["cat", "dog"], template="a photo of a {}")
        print(result.best.label, result.best.probability)

The generated gRPC stubs are in ``zeroshot_client._proto`` (``zeroshot.v1`` and
``google.rpc.status``) for calls this client does not wrap.
"""
from ._client import DEFAULT_MAX_BATCH, Client, ImageInput
from ._errors import ZeroShotError
from ._types import (
    Classification,
    LabelScore,
    LabelSet,
    LabelSetEntry,
    LabelSetInfo,
    ModelInfo,
    PutLabelSetResult,
)

__all__ = [
    "Client",
    "Classification",
    "DEFAULT_MAX_BATCH",
    "ImageInput",
    "LabelScore",
    "LabelSet",
    "LabelSetEntry",
    "LabelSetInfo",
    "ModelInfo",
    "PutLabelSetResult",
    "ZeroShotError",
]
__version__ = "0.1.0"
