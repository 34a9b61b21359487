"""zeroshot_client: a Python client of ZeroShot Serve, the gRPC zero-shot classification server.

::

    from zeroshot_client import Client

    with Client("localhost:50051") as client:
        result = client.classify("cat.jpg", labels=["cat", "dog"], template="a photo of a {}")
        print(result.best.label, result.best.probability)

``Client.classify_many`` streams many images (in input order, an ``ItemError`` for each
failed one); ``AsyncClient`` has the same calls on asyncio; ``retries=`` opts into retrying
RESOURCE_EXHAUSTED.

The generated gRPC stubs are in ``zeroshot_client._proto`` (``zeroshot.v1`` and
``google.rpc.status``) for calls this client does not wrap.
"""
from ._client import DEFAULT_MAX_BATCH, AsyncClient, Client, ImageInput
from ._errors import ZeroShotError
from ._types import (
    Classification,
    ItemError,
    LabelScore,
    LabelSet,
    LabelSetEntry,
    LabelSetInfo,
    ModelInfo,
    PutLabelSetResult,
)

__all__ = [
    "AsyncClient",
    "Client",
    "Classification",
    "DEFAULT_MAX_BATCH",
    "ImageInput",
    "ItemError",
    "LabelScore",
    "LabelSet",
    "LabelSetEntry",
    "LabelSetInfo",
    "ModelInfo",
    "PutLabelSetResult",
    "ZeroShotError",
]
__version__ = "0.1.0"
