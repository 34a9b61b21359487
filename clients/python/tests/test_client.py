"""The client against a real server with the bundled tiny-clip model (see conftest.py)."""
from __future__ import annotations

import grpc
import numpy as np
import pytest
from PIL import Image

from conftest import SAMPLE
from zeroshot_client import Classification, Client, LabelSetEntry, ZeroShotError

LABELS = ["red star", "red circle", "green star"]
TEMPLATE = "a photo of a {}"


def _classify(client: Client, image) -> Classification:
    return client.classify(image, labels=LABELS, template=TEMPLATE)


def test_classify_path_puts_the_right_label_first(client: Client) -> None:
    result = _classify(client, SAMPLE)
    assert [s.label for s in result.scores][0] == "red star"
    assert result.best is not None and result.best.label == "red star"
    assert sorted(s.label for s in result.scores) == sorted(LABELS)
    assert sum(s.probability for s in result.scores) == pytest.approx(1.0, abs=1e-4)
    assert result.model == "tiny-clip"
    assert result.model_version
    assert result.no_match is False


def test_classify_str_path_bytes_and_comma_labels_agree(client: Client) -> None:
    expected = _classify(client, SAMPLE)
    from_str = client.classify(str(SAMPLE), labels="red star, red circle,green star",
                               template=TEMPLATE)
    from_bytes = _classify(client, SAMPLE.read_bytes())
    assert from_str == expected
    assert from_bytes == expected


def _assert_same_scores(actual: Classification, expected: Classification) -> None:
    assert [s.label for s in actual.scores] == [s.label for s in expected.scores]
    for a, e in zip(actual.scores, expected.scores):
        assert a.probability == pytest.approx(e.probability, abs=1e-5)
        assert a.cosine == pytest.approx(e.cosine, abs=1e-5)


def test_classify_numpy_array_matches_path(client: Client) -> None:
    pixels = np.asarray(Image.open(SAMPLE).convert("RGB"))
    assert pixels.dtype == np.uint8 and pixels.shape[2] == 3
    _assert_same_scores(_classify(client, pixels), _classify(client, SAMPLE))


def test_classify_rgba_numpy_array_matches_path(client: Client) -> None:
    pixels = np.asarray(Image.open(SAMPLE).convert("RGBA"))
    assert pixels.shape[2] == 4
    _assert_same_scores(_classify(client, pixels), _classify(client, SAMPLE))


def test_classify_pil_image_matches_path(client: Client) -> None:
    with Image.open(SAMPLE) as image:
        _assert_same_scores(_classify(client, image), _classify(client, SAMPLE))


def test_classify_float_array_is_rejected_before_sending(client: Client) -> None:
    pixels = np.asarray(Image.open(SAMPLE).convert("RGB")).astype(np.float32) / 255
    with pytest.raises(ValueError, match="uint8"):
        _classify(client, pixels)


@pytest.mark.parametrize("shape", [(48, 72), (48, 72, 2), (1, 48, 72, 3)])
def test_classify_array_of_wrong_shape_is_rejected(client: Client, shape) -> None:
    with pytest.raises(ValueError, match=r"\(height, width, 3\)"):
        _classify(client, np.zeros(shape, dtype=np.uint8))


def test_classify_needs_exactly_one_input(client: Client) -> None:
    with pytest.raises(ValueError):
        client.classify(labels=LABELS)
    with pytest.raises(ValueError):
        client.classify(SAMPLE, text="a red star", labels=LABELS)
    with pytest.raises(TypeError):
        client.classify(12, labels=LABELS)


def test_classify_text_top_k_and_min_score(client: Client) -> None:
    result = client.classify_text("red star", labels=LABELS, template=TEMPLATE, top_k=2)
    assert len(result.scores) == 2
    assert result.scores[0].probability >= result.scores[1].probability
    none = client.classify_text("blue square", labels=LABELS, min_score=1.0)
    assert none.no_match is True and none.scores == [] and none.best is None


def _assert_unit_rows(embeddings: np.ndarray, n: int) -> None:
    assert embeddings.dtype == np.float32
    assert embeddings.shape == (n, 128)
    np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-4)


def test_embed_images(client: Client) -> None:
    pixels = np.asarray(Image.open(SAMPLE).convert("RGB"))
    embeddings = client.embed_images([SAMPLE, pixels, SAMPLE.read_bytes()])
    _assert_unit_rows(embeddings, 3)
    np.testing.assert_allclose(embeddings[0], embeddings[1], atol=1e-5)
    np.testing.assert_array_equal(embeddings[0], embeddings[2])


def test_embed_texts(client: Client) -> None:
    embeddings = client.embed_texts(["red star", "green circle"])
    _assert_unit_rows(embeddings, 2)
    assert not np.allclose(embeddings[0], embeddings[1])


def test_embed_texts_batches_split_and_keep_order(client: Client) -> None:
    texts = ["red star", "red circle", "green star", "blue square", "green circle"]
    whole = client.embed_texts(texts)
    split = client.embed_texts(texts, max_batch=2)
    _assert_unit_rows(split, 5)
    np.testing.assert_allclose(split, whole, atol=1e-6)
    single = np.concatenate([client.embed_texts([t]) for t in texts])
    np.testing.assert_allclose(split, single, atol=1e-6)


def test_embed_images_batches_split(client: Client) -> None:
    pixels = np.asarray(Image.open(SAMPLE).convert("RGB"))
    images = [SAMPLE, pixels[:, ::-1], pixels[::-1], SAMPLE]
    np.testing.assert_allclose(client.embed_images(images, max_batch=3),
                               client.embed_images(images), atol=1e-6)


def test_bad_template_is_invalid_argument_on_prompt_template(client: Client) -> None:
    with pytest.raises(ZeroShotError) as caught:
        client.classify(SAMPLE, labels=LABELS, template="a photo of a thing")
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "{}" in error.message
    assert [f for f, _ in error.field_violations] == ["prompt_template"]
    assert error.field_violations[0][1]
    assert "INVALID_ARGUMENT" in str(error)


def test_blank_label_names_its_index(client: Client) -> None:
    with pytest.raises(ZeroShotError) as caught:
        client.classify_text("red star", labels=["red star", " "])
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [f for f, _ in caught.value.field_violations] == ["labels[1]"]


def test_unknown_model_is_not_found(client: Client) -> None:
    with pytest.raises(ZeroShotError) as caught:
        client.classify(SAMPLE, labels=LABELS, model="no-such-model")
    assert caught.value.code == grpc.StatusCode.NOT_FOUND
    assert "tiny-clip" in caught.value.message
    assert caught.value.field_violations == []
    with pytest.raises(ZeroShotError) as caught:
        client.embed_texts(["red star"], model="no-such-model")
    assert caught.value.code == grpc.StatusCode.NOT_FOUND


def test_unreachable_server_is_unavailable() -> None:
    import socket
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Client(f"127.0.0.1:{port}", timeout=5) as c:
        with pytest.raises(ZeroShotError) as caught:
            c.models()
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE


def test_label_set_round_trip(client: Client) -> None:
    name = "py-client-shapes"
    put = client.put_label_set(
        name,
        ["red star", LabelSetEntry("red circle", synonyms=["red disc"]), "green star"],
        templates=[TEMPLATE, "a drawing of a {}"])
    assert put.replaced is False
    assert put.info.name == name and put.info.model == "tiny-clip"
    assert put.info.label_count == 3
    assert put.info.prompt_count == 8
    try:
        again = client.put_label_set(name, LABELS, templates=[TEMPLATE])
        assert again.replaced is True

        got = client.get_label_set(name)
        assert got.name == name and got.model == "tiny-clip"
        assert [e.label for e in got.labels] == LABELS
        assert got.templates == [TEMPLATE]
        assert got.info.label_count == 3

        assert name in [s.name for s in client.list_label_sets()]
        assert name in [s.name for s in client.list_label_sets("tiny-clip")]

        by_set = client.classify(SAMPLE, label_set=name)
        _assert_same_scores(by_set, _classify(client, SAMPLE))

        assert client.delete_label_set(name) == "tiny-clip"
    except BaseException:
        client.delete_label_set(name)
        raise
    assert name not in [s.name for s in client.list_label_sets()]
    with pytest.raises(ZeroShotError) as caught:
        client.get_label_set(name)
    assert caught.value.code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(ZeroShotError) as caught:
        client.classify(SAMPLE, label_set=name)
    assert caught.value.code == grpc.StatusCode.NOT_FOUND


def test_models_reports_tiny_clip(client: Client) -> None:
    models = client.models()
    assert [m.name for m in models] == ["tiny-clip"]
    model = models[0]
    assert model.family == "clip"
    assert model.scoring == "softmax"
    assert model.dimension == 128
    assert model.ready is True
    assert model.is_default is True
    assert model.logit_scale > 0
    assert model.logit_bias == 0
    assert model.preprocess_mode == "exact"
    assert model.image_size > 0 and model.context_length > 0


def test_token_is_sent_as_bearer_metadata(server: str) -> None:
    # The session's server needs no token, so any token is accepted; what this checks is that
    # the client attaches it without breaking calls on an insecure channel.
    with Client(server, token="secret") as c:
        assert c._metadata == (("authorization", "Bearer secret"),)
        assert c.models()[0].name == "tiny-clip"


def test_client_cert_needs_key() -> None:
    with pytest.raises(ValueError, match="together"):
        Client("127.0.0.1:1", client_cert=b"x")


def test_tls_client_certificate_and_token(secure_server) -> None:
    s = secure_server
    with Client(s.target, ca_cert=s.ca_cert, client_cert=s.client_cert,
                client_key=s.client_key, token=s.token) as c:
        assert c.classify(SAMPLE, labels=LABELS, template=TEMPLATE).best.label == "red star"
    # PEM bytes work as well as paths.
    with Client(s.target, ca_cert=s.ca_cert.read_bytes(), client_cert=s.client_cert.read_bytes(),
                client_key=s.client_key.read_bytes(), token=s.token) as c:
        assert c.models()[0].name == "tiny-clip"


def test_tls_wrong_or_missing_token_is_unauthenticated(secure_server) -> None:
    s = secure_server
    for token in (None, "wrong-token"):
        with Client(s.target, ca_cert=s.ca_cert, client_cert=s.client_cert,
                    client_key=s.client_key, token=token) as c:
            with pytest.raises(ZeroShotError) as caught:
                c.models()
            assert caught.value.code == grpc.StatusCode.UNAUTHENTICATED
            assert s.token not in caught.value.message


def test_plaintext_client_cannot_talk_to_tls_server(secure_server) -> None:
    with Client(secure_server.target, token=secure_server.token, timeout=5) as c:
        with pytest.raises(ZeroShotError) as caught:
            c.models()
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE


def test_streams_over_tls_and_a_refused_stream_raises(secure_server) -> None:
    import asyncio
    from zeroshot_client import AsyncClient

    s = secure_server
    tls = dict(ca_cert=s.ca_cert, client_cert=s.client_cert, client_key=s.client_key)
    with Client(s.target, token=s.token, **tls) as c:
        results = list(c.classify_many([SAMPLE, SAMPLE], labels=LABELS, template=TEMPLATE))
        assert [r.best.label for r in results] == ["red star", "red star"]
    with Client(s.target, token="wrong-token", **tls) as c:
        with pytest.raises(ZeroShotError) as caught:
            list(c.classify_many([SAMPLE], labels=LABELS))
        assert caught.value.code == grpc.StatusCode.UNAUTHENTICATED

    async def main(token):
        async with AsyncClient(s.target, token=token, **tls) as ac:
            return [r async for r in ac.classify_many([SAMPLE], labels=LABELS,
                                                       template=TEMPLATE)]

    assert asyncio.run(main(s.token))[0].best.label == "red star"
    with pytest.raises(ZeroShotError) as caught:
        asyncio.run(main("wrong-token"))
    assert caught.value.code == grpc.StatusCode.UNAUTHENTICATED
