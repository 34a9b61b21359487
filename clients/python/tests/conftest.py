"""Starts a real ZeroShot Serve server (the bundled tiny-clip model) for the whole test session.

The server jar is built first if it is missing (Maven, offline first). The server listens on a
free port of 127.0.0.1 and is stopped at the end of the session; its output goes to a log file
whose path is printed when it fails to start (set ZEROSHOT_KEEP_SERVER_LOG to keep it always).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Optional

import grpc
import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "clients" / "python" / "src"))

from zeroshot_client import Client  # noqa: E402
from zeroshot_client._proto.zeroshot.v1 import zeroshot_pb2 as pb  # noqa: E402
from zeroshot_client._proto.zeroshot.v1 import zeroshot_pb2_grpc as pb_grpc  # noqa: E402

JAR = REPO / "server" / "target" / "zeroshot-server.jar"
MODEL_DIR = REPO / "models" / "tiny-clip"
SAMPLE = MODEL_DIR / "samples" / "shape_013_red_star.png"
START_TIMEOUT_S = 180


def _build_jar() -> None:
    base = ["mvn", "-B", "-q", "-pl", "server", "-am", "package", "-DskipTests",
            "-Dspotless.check.skip"]
    if subprocess.run(base[:2] + ["-o"] + base[2:], cwd=REPO).returncode != 0:
        subprocess.run(base, cwd=REPO, check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, target: str, log: str, *,
                      credentials: Optional[grpc.ChannelCredentials] = None,
                      token: Optional[str] = None) -> None:
    """Polls ListModels until every model is ready. Asks with plain grpc and the generated
    stubs, not with the Client under test, so that a broken Client fails its tests rather than
    the server's start."""
    channel = (grpc.secure_channel(target, credentials) if credentials is not None
               else grpc.insecure_channel(target))
    metadata = (("authorization", f"Bearer {token}"),) if token else ()
    deadline = time.monotonic() + START_TIMEOUT_S
    with channel:
        stub = pb_grpc.ZeroShotServiceStub(channel)
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}; log: {log}")
            try:
                response = stub.ListModels(pb.ListModelsRequest(), timeout=2, metadata=metadata)
                if response.models and all(m.ready for m in response.models):
                    return
            except grpc.RpcError as e:
                if e.code() not in (grpc.StatusCode.UNAVAILABLE,
                                    grpc.StatusCode.DEADLINE_EXCEEDED):
                    pytest.fail(f"server answered {e.code().name}: {e.details()}; log: {log}")
            if time.monotonic() > deadline:
                pytest.fail(f"server not ready after {START_TIMEOUT_S}s; log: {log}")
            time.sleep(0.5)


@contextlib.contextmanager
def _running_server(extra_args: List[str], **channel_args: Any) -> Iterator[str]:
    """Starts a server with ``extra_args``, waits until its models are ready (see
    ``_wait_until_ready`` for ``channel_args``) and yields its address; stops it on exit."""
    if not JAR.exists():
        _build_jar()
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="zeroshot-server-", suffix=".log", delete=False)
    process = subprocess.Popen(
        ["java", "-jar", str(JAR), "--host", "127.0.0.1", "--port", str(port),
         "--metrics-port", "-1", "--http-port", "-1", "--model-dir", str(MODEL_DIR), *extra_args],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    target = f"127.0.0.1:{port}"
    started = False
    try:
        _wait_until_ready(process, target, log.name, **channel_args)
        started = True
        yield target
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        # The log of a server that did not start is kept: the failure names it.
        if started and os.environ.get("ZEROSHOT_KEEP_SERVER_LOG") is None:
            os.unlink(log.name)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The address ("127.0.0.1:PORT") of a plaintext server whose models are all ready."""
    with _running_server([]) as target:
        yield target


@dataclass(frozen=True)
class SecureServer:
    """A server that speaks mutual TLS and wants a bearer token, and what a client needs."""

    target: str
    ca_cert: Path
    client_cert: Path
    client_key: Path
    token: str


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def secure_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureServer]:
    """A second server, with TLS (server certificate for 127.0.0.1 from a throwaway CA),
    client certificates required, and a bearer token (files made here with openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
             "-keyout", "ca.key", "-out", "ca.crt", cwd=d)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
                      ("client", "extendedKeyUsage=clientAuth")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
                 "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=d)
        (d / f"{name}.ext").write_text(ext + "\n")
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext",
                 "-out", f"{name}.crt", cwd=d)
    token = "py-client-test-token"
    token_file = d / "token"
    token_file.write_text(token + "\n")
    token_file.chmod(0o600)
    args = ["--tls-cert", str(d / "server.crt"), "--tls-key", str(d / "server.key"),
            "--tls-client-ca", str(d / "ca.crt"), "--auth-token-file", str(token_file)]
    credentials = grpc.ssl_channel_credentials(
        root_certificates=(d / "ca.crt").read_bytes(),
        private_key=(d / "client.key").read_bytes(),
        certificate_chain=(d / "client.crt").read_bytes())
    with _running_server(args, credentials=credentials, token=token) as target:
        yield SecureServer(target, d / "ca.crt", d / "client.crt", d / "client.key", token)


@pytest.fixture()
def client(server: str) -> Iterator[Client]:
    """A client of the session's server, closed after the test."""
    with Client(server) as c:
        yield c


@pytest.fixture(scope="session")
def recycling_server() -> Iterator[str]:
    """A third server, whose connections are closed 1 s after the GOAWAY it sends 1 s after
    they open (--max-connection-age, --max-connection-age-grace): every stream longer than
    about 2 s is ended by it with UNAVAILABLE."""
    with _running_server(["--max-connection-age", "1s", "--max-connection-age-grace", "1s"]) \
            as target:
        yield target
