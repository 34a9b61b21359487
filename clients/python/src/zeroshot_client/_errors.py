"""The one exception the client raises for a failed call, with the server's error details."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

import grpc

from ._proto.google.rpc import status_pb2
from ._proto.zeroshot_client.wire import error_details_pb2

_DETAILS_KEY = "grpc-status-details-bin"
_BAD_REQUEST = "google.rpc.BadRequest"
_RETRY_INFO = "google.rpc.RetryInfo"


class ZeroShotError(Exception):
    """A call to the server failed.

    Attributes:
        code: the gRPC status code, e.g. ``grpc.StatusCode.INVALID_ARGUMENT``.
        message: the server's message (says which field and what was expected).
        field_violations: ``(field, description)`` pairs from the google.rpc.BadRequest detail
            of an INVALID_ARGUMENT answer, e.g. ``[("prompt_template", "...")]``; empty when the
            server sent none.
        retry_delay: seconds the server suggests waiting before a retry (google.rpc.RetryInfo,
            sent with RESOURCE_EXHAUSTED), or None.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        field_violations: Optional[List[Tuple[str, str]]] = None,
        retry_delay: Optional[float] = None,
    ) -> None:
        super().__init__(f"{code.name}: {message}")
        self.code: grpc.StatusCode = code
        self.message: str = message
        self.field_violations: List[Tuple[str, str]] = list(field_violations or [])
        self.retry_delay: Optional[float] = retry_delay

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "ZeroShotError":
        """Builds the exception from a failed gRPC call, decoding its status details."""
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        message = (error.details() if hasattr(error, "details") else None) or ""
        trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
        status_details: Tuple[List[Tuple[str, str]], Optional[float]] = ([], None)
        for key, value in trailers or ():
            if key != _DETAILS_KEY or not isinstance(value, bytes):
                continue
            try:
                status = status_pb2.Status.FromString(value)
            except Exception:  # a malformed detail must not hide the error itself
                continue
            status_details = _status_details(status)
        violations, retry_delay = status_details
        return cls(code or grpc.StatusCode.UNKNOWN, message, violations, retry_delay)


_CODES = {code.value[0]: code for code in grpc.StatusCode}


def _status_code(number: int) -> grpc.StatusCode:
    """The gRPC status code with this number (UNKNOWN for a number gRPC does not define)."""
    return _CODES.get(number, grpc.StatusCode.UNKNOWN)


def _status_details(status: Any) -> Tuple[List[Tuple[str, str]], Optional[float]]:
    """The BadRequest field violations and the RetryInfo delay (seconds, or None) of a
    google.rpc.Status; details of other types, or that do not parse, are skipped."""
    violations: List[Tuple[str, str]] = []
    retry_delay: Optional[float] = None
    for detail in status.details:
        type_name = detail.type_url.rsplit("/", 1)[-1]
        try:
            if type_name == _BAD_REQUEST:
                bad = error_details_pb2.BadRequest.FromString(detail.value)
                violations += [(v.field, v.description) for v in bad.field_violations]
            elif type_name == _RETRY_INFO:
                info = error_details_pb2.RetryInfo.FromString(detail.value)
                retry_delay = info.retry_delay.seconds + info.retry_delay.nanos / 1e9
        except Exception:
            continue
    return violations, retry_delay
