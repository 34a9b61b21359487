"""Starts a real ZeroShot Serve server (the bundled tiny-clip model) for the whole test session.

The server jar is built first if it is missing (Maven, offline first). The server listens on a
free port of 127.0.0.1 and is stopped at the end of the session; its output goes to a log file
whose path is printed when it fails to start (set ZEROSHOT_KEEP_SERVER_LOG to keep it always).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "clients" / "python" / "src"))

from zeroshot_client import Client, ZeroShotError  # noqa: E402

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


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The address ("127.0.0.1:PORT") of a server whose models are all ready."""
    if not JAR.exists():
        _build_jar()
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="zeroshot-server-", suffix=".log", delete=False)
    process = subprocess.Popen(
        ["java", "-jar", str(JAR), "--host", "127.0.0.1", "--port", str(port),
         "--metrics-port", "-1", "--model-dir", str(MODEL_DIR)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    target = f"127.0.0.1:{port}"
    started = False
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        with Client(target, timeout=2) as client:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"server exited with {process.returncode}; log: {log.name}")
                try:
                    if all(m.ready for m in client.models()):
                        break
                except ZeroShotError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server not ready after {START_TIMEOUT_S}s; log: {log.name}")
                time.sleep(0.5)
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


@pytest.fixture()
def client(server: str) -> Iterator[Client]:
    """A client of the session's server, closed after the test."""
    with Client(server) as c:
        yield c
