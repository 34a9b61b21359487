"""Client.classify_many over ClassifyStream, and AsyncClient, against the real tiny-clip server."""
from __future__ import annotations

import asyncio
import itertools
from typing import List

import grpc
import numpy as np
import pytest

from conftest import MODEL_DIR, SAMPLE
from zeroshot_client import AsyncClient, Classification, Client, ItemError

LABELS = ["red star", "red circle", "green star", "shirt", "shoe"]
TEMPLATE = "a photo of a {}"
SAMPLES = sorted((MODEL_DIR / "samples").glob("*.png"))
BAD = 137  # the index of the item that is not an image


def _inputs(n: int) -> List[object]:
    images: List[object] = [p for p, _ in zip(itertools.cycle(SAMPLES), range(n))]
    images[BAD] = b"this is not an image"
    return images


def test_classify_many_yields_every_result_in_input_order(client: Client) -> None:
    assert len(SAMPLES) >= 5
    images = _inputs(200)
    results = list(client.classify_many(images, labels=LABELS, template=TEMPLATE,
                                        max_in_flight=16))
    assert len(results) == 200
    errors = [(i, r) for i, r in enumerate(results) if isinstance(r, ItemError)]
    assert [i for i, _ in errors] == [BAD]
    error = errors[0][1]
    assert error.index == BAD
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.message
    assert all(isinstance(r, Classification) for i, r in enumerate(results) if i != BAD)
    # Input order: each result is the one a single Classify of the same image gives.
    for i in (0, 1, 2, len(SAMPLES), 99, BAD + 1, 199):
        single = client.classify(images[i], labels=LABELS, template=TEMPLATE)
        assert [s.label for s in results[i].scores] == [s.label for s in single.scores], i
        for a, e in zip(results[i].scores, single.scores):
            assert a.probability == pytest.approx(e.probability, abs=1e-5)
    # The samples are not all alike: the order is really checked.
    assert len({results[i].best.label for i in range(len(SAMPLES))}) > 1


def test_classify_many_rejects_unsendable_items_locally(client: Client) -> None:
    images = [SAMPLE, np.zeros((4, 4), dtype=np.uint8), SAMPLE]
    results = list(client.classify_many(images, labels=LABELS))
    assert isinstance(results[0], Classification) and isinstance(results[2], Classification)
    assert isinstance(results[1], ItemError)
    assert results[1].index == 1 and results[1].code == grpc.StatusCode.INVALID_ARGUMENT
    assert "height, width, 3" in results[1].message


def test_classify_many_per_item_bad_template_is_an_item_error(client: Client) -> None:
    results = list(client.classify_many([SAMPLE, SAMPLE], labels=LABELS, template="no braces"))
    assert [type(r) for r in results] == [ItemError, ItemError]
    assert [f for f, _ in results[0].field_violations] == ["prompt_template"]


def test_breaking_out_of_classify_many_cancels_and_server_keeps_serving(client: Client) -> None:
    def endless():
        yield from itertools.cycle(SAMPLES)

    seen = []
    stream = client.classify_many(endless(), labels=LABELS, max_in_flight=8)
    for result in stream:
        seen.append(result)
        if len(seen) == 5:
            break
    stream.close()
    assert len(seen) == 5 and all(isinstance(r, Classification) for r in seen)
    # The server (and this client's channel) still serve, unary and streaming.
    assert client.classify(SAMPLE, labels=LABELS).best is not None
    assert len(list(client.classify_many(SAMPLES[:3], labels=LABELS))) == 3


def test_classify_many_empty_input_and_bad_window(client: Client) -> None:
    assert list(client.classify_many([], labels=LABELS)) == []
    with pytest.raises(ValueError):
        client.classify_many([SAMPLE], labels=LABELS, max_in_flight=0)


def test_async_client_gives_what_client_gives(server: str, client: Client) -> None:
    texts = ["red star", "green circle", "shoe"]

    async def main():
        async with AsyncClient(server) as aclient:
            return (await aclient.classify(SAMPLE, labels=LABELS, template=TEMPLATE),
                    await aclient.classify_text("red star", labels=LABELS),
                    await aclient.embed_texts(texts, max_batch=2),
                    await aclient.embed_images([SAMPLE]),
                    await aclient.models())

    classified, text, embedded, images, models = asyncio.run(main())
    expected = client.classify(SAMPLE, labels=LABELS, template=TEMPLATE)
    assert [s.label for s in classified.scores] == [s.label for s in expected.scores]
    for a, e in zip(classified.scores, expected.scores):
        assert a.probability == pytest.approx(e.probability, abs=1e-5)
    assert text == client.classify_text("red star", labels=LABELS)
    np.testing.assert_allclose(embedded, client.embed_texts(texts), atol=1e-6)
    np.testing.assert_allclose(images, client.embed_images([SAMPLE]), atol=1e-6)
    assert models == client.models()


def test_async_client_raises_zeroshot_error(server: str) -> None:
    from zeroshot_client import ZeroShotError

    async def main():
        async with AsyncClient(server) as aclient:
            await aclient.classify(SAMPLE, labels=LABELS, model="no-such-model")

    with pytest.raises(ZeroShotError) as caught:
        asyncio.run(main())
    assert caught.value.code == grpc.StatusCode.NOT_FOUND


def _collect_async(server: str, images, **kwargs) -> List[object]:
    async def main():
        async with AsyncClient(server) as aclient:
            return [r async for r in aclient.classify_many(images, **kwargs)]
    return asyncio.run(main())


def test_async_classify_many_yields_what_client_yields_in_input_order(
        server: str, client: Client) -> None:
    images = _inputs(200)
    results = _collect_async(server, images, labels=LABELS, template=TEMPLATE, max_in_flight=16)
    expected = list(client.classify_many(images, labels=LABELS, template=TEMPLATE))
    assert len(results) == 200
    assert [i for i, r in enumerate(results) if isinstance(r, ItemError)] == [BAD]
    assert results[BAD].index == BAD
    assert results[BAD].code == grpc.StatusCode.INVALID_ARGUMENT
    for i in range(200):
        if i == BAD:
            continue
        assert [s.label for s in results[i].scores] == [s.label for s in expected[i].scores], i
        for a, e in zip(results[i].scores, expected[i].scores):
            assert a.probability == pytest.approx(e.probability, abs=1e-5)


def test_async_classify_many_takes_an_async_iterable_and_rejects_items_locally(
        server: str) -> None:
    async def images():
        yield SAMPLE
        yield np.zeros((4, 4, 3), dtype=np.float32)
        yield SAMPLE

    results = _collect_async(server, images(), labels=LABELS)
    assert [type(r) for r in results] == [Classification, ItemError, Classification]
    assert results[1].index == 1 and "dtype uint8" in results[1].message
    assert _collect_async(server, [], labels=LABELS) == []
    with pytest.raises(ValueError):
        _collect_async(server, [SAMPLE], labels=LABELS, max_in_flight=0)


def test_leaving_async_classify_many_early_cancels_and_server_keeps_serving(
        server: str) -> None:
    async def main():
        async with AsyncClient(server) as aclient:
            stream = aclient.classify_many(itertools.cycle(SAMPLES), labels=LABELS,
                                           max_in_flight=8)
            seen = []
            async for result in stream:
                seen.append(result)
                if len(seen) == 5:
                    break
            await stream.aclose()
            after = [r async for r in aclient.classify_many(SAMPLES[:3], labels=LABELS)]
            return seen, after, await aclient.classify(SAMPLE, labels=LABELS)

    seen, after, single = asyncio.run(main())
    assert len(seen) == 5 and all(isinstance(r, Classification) for r in seen)
    assert len(after) == 3 and all(isinstance(r, Classification) for r in after)
    assert single.best is not None


def test_stream_window_refills_past_a_slow_item_but_stays_bounded() -> None:
    from zeroshot_client._client import REORDER_WINDOW, _StreamWindow
    from zeroshot_client._proto.zeroshot.v1 import zeroshot_pb2 as pb

    window = _StreamWindow(pb.ClassifyRequest(labels=["a"]), max_in_flight=4)
    sent = []
    while window.wants_more():
        sent.append(window.request_for(SAMPLE))
    assert [r.request_id for r in sent] == ["0", "1", "2", "3"]  # at most 4 unanswered
    # Every item but the first (the one the caller waits for) is answered: the window refills,
    # but never further than REORDER_WINDOW x max_in_flight past item 0.
    answered = 1
    while True:
        for r in sent[answered:]:
            window.answered(pb.ClassifyStreamResponse(request_id=r.request_id,
                                                      response=pb.ClassifyResponse()))
        answered = len(sent)
        if not window.wants_more():
            break
        while window.wants_more():
            sent.append(window.request_for(SAMPLE))
    assert len(sent) == REORDER_WINDOW * 4
    assert window.pop_next() is None  # item 0 is still unanswered: nothing is yielded early
    window.answered(pb.ClassifyStreamResponse(request_id="0", response=pb.ClassifyResponse()))
    assert [window.pop_next() is not None for _ in range(len(sent))] == [True] * len(sent)
    assert window.pop_next() is None
    assert window.wants_more()


def _slowly(n: int):
    """n sample paths, one every 20 ms: a stream of about n / 50 seconds."""
    import time
    for path in itertools.islice(itertools.cycle(SAMPLES), n):
        time.sleep(0.02)
        yield path


def test_classify_many_outlives_the_servers_connection_age(recycling_server: str) -> None:
    # 250 items over ~5 s against connections closed after ~2 s: the stream is ended with
    # UNAVAILABLE at least twice and reopened, and every item is still answered, in order.
    with Client(recycling_server) as c:
        results = list(c.classify_many(_slowly(250), labels=LABELS, template=TEMPLATE,
                                       max_in_flight=8))
        expected = [c.classify(p, labels=LABELS, template=TEMPLATE).best.label
                    for p in SAMPLES]
    assert len(results) == 250
    assert all(isinstance(r, Classification) for r in results), [
        r for r in results if isinstance(r, ItemError)][:1]
    assert [r.best.label for r in results] == [expected[i % len(SAMPLES)] for i in range(250)]


def test_async_classify_many_outlives_the_servers_connection_age(recycling_server: str) -> None:
    async def main():
        async with AsyncClient(recycling_server) as aclient:
            return [r async for r in aclient.classify_many(_slowly(250), labels=LABELS,
                                                          template=TEMPLATE, max_in_flight=8)]

    results = asyncio.run(main())
    assert len(results) == 250
    assert all(isinstance(r, Classification) for r in results)
    assert [r.best.label for r in results[:len(SAMPLES)]] == [
        r.best.label for r in results[len(SAMPLES):2 * len(SAMPLES)]]
