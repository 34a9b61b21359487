"""The committed stubs are what generate_stubs.py makes from today's .proto files."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMITTED = HERE / "src" / "zeroshot_client" / "_proto"


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts}


def test_committed_stubs_are_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "_proto"
    subprocess.run([sys.executable, str(HERE / "generate_stubs.py"), str(out)], check=True)
    fresh, committed = _files(out), _files(COMMITTED)
    assert sorted(committed) == sorted(fresh), "stub files differ: run generate_stubs.py"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"stale stubs {stale}: run /usr/bin/python3 clients/python/generate_stubs.py"
