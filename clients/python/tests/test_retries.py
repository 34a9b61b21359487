"""The opt-in retry loop, with stub calls (no server)."""
from __future__ import annotations

import asyncio
from typing import List, Optional

import grpc
import pytest

import zeroshot_client._client as client_module
from zeroshot_client import AsyncClient, Client, ZeroShotError
from zeroshot_client._proto.google.rpc import status_pb2
from zeroshot_client._proto.zeroshot_client.wire import error_details_pb2


class _Failure(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode, retry_delay: Optional[float] = None) -> None:
        self._code = code
        self._trailers = ()
        if retry_delay is not None:
            info = error_details_pb2.RetryInfo()
            info.retry_delay.seconds = int(retry_delay)
            info.retry_delay.nanos = int(round((retry_delay % 1) * 1e9))
            status = status_pb2.Status(code=code.value[0], message="busy")
            status.details.add(type_url="type.googleapis.com/google.rpc.RetryInfo",
                               value=info.SerializeToString())
            self._trailers = (("grpc-status-details-bin", status.SerializeToString()),)

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return "busy"

    def trailing_metadata(self):
        return self._trailers


class _Stub:
    """A unary method that raises the given failures, one per call, then answers "ok"."""

    def __init__(self, *failures: _Failure) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self, request, timeout=None, metadata=None):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


@pytest.fixture()
def sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    waits: List[float] = []
    monkeypatch.setattr(client_module.time, "sleep", waits.append)
    return waits


def test_resource_exhausted_is_retried_when_asked(sleeps: List[float]) -> None:
    stub = _Stub(_Failure(grpc.StatusCode.RESOURCE_EXHAUSTED),
                 _Failure(grpc.StatusCode.RESOURCE_EXHAUSTED, retry_delay=0.25))
    with Client("127.0.0.1:1", retries=3) as c:
        assert c._call(stub, object()) == "ok"
    assert stub.calls == 3
    # Backoff for the first (no RetryInfo), the server's delay for the second.
    assert sleeps == [pytest.approx(client_module.RETRY_BACKOFF_S), pytest.approx(0.25)]


def test_backoff_doubles_and_retries_run_out(sleeps: List[float]) -> None:
    stub = _Stub(*[_Failure(grpc.StatusCode.RESOURCE_EXHAUSTED) for _ in range(4)])
    with Client("127.0.0.1:1", retries=3) as c:
        with pytest.raises(ZeroShotError) as caught:
            c._call(stub, object())
    assert caught.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert stub.calls == 4
    b = client_module.RETRY_BACKOFF_S
    assert sleeps == [pytest.approx(b), pytest.approx(2 * b), pytest.approx(4 * b)]


def test_no_retries_by_default(sleeps: List[float]) -> None:
    stub = _Stub(_Failure(grpc.StatusCode.RESOURCE_EXHAUSTED, retry_delay=1.0))
    with Client("127.0.0.1:1") as c:
        with pytest.raises(ZeroShotError) as caught:
            c._call(stub, object())
    assert caught.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert caught.value.retry_delay == pytest.approx(1.0)
    assert stub.calls == 1 and sleeps == []


def test_other_codes_are_not_retried(sleeps: List[float]) -> None:
    stub = _Stub(_Failure(grpc.StatusCode.UNAVAILABLE))
    with Client("127.0.0.1:1", retries=5) as c:
        with pytest.raises(ZeroShotError):
            c._call(stub, object())
    assert stub.calls == 1 and sleeps == []


def test_negative_retries_rejected() -> None:
    with pytest.raises(ValueError):
        Client("127.0.0.1:1", retries=-1)


def test_async_client_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: List[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    stub = _Stub(_Failure(grpc.StatusCode.RESOURCE_EXHAUSTED),
                 _Failure(grpc.StatusCode.RESOURCE_EXHAUSTED))

    async def method(request, timeout=None, metadata=None):
        return stub(request)

    async def main(retries: int):
        async with AsyncClient("127.0.0.1:1", retries=retries) as c:
            return await c._call(method, object())

    assert asyncio.run(main(2)) == "ok"
    assert stub.calls == 3 and len(waits) == 2
    stub2 = _Stub(_Failure(grpc.StatusCode.RESOURCE_EXHAUSTED))
    stub.__dict__.update(stub2.__dict__)
    with pytest.raises(ZeroShotError):
        asyncio.run(main(0))
    assert stub.calls == 1
