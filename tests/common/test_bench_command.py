"""``manage.py bench`` builds its company in a database of its own, never in the demo one,
runs twice in a row, and writes the docs only when asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "servicecraft.settings.local",
    }
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "bench", "--size", "tiny", "--requests", "1", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_it_runs_twice_in_its_own_database_and_writes_docs_only_when_asked(tmp_path):
    demo = tmp_path / "demo.sqlite3"
    demo.write_bytes(b"")
    output = tmp_path / "benchmarks.md"

    first = _bench(tmp_path, "--output", str(output))
    assert first.returncode == 0, first.stderr
    assert f"bench database: {tmp_path / 'demo-bench.sqlite3'}" in first.stdout
    assert "metrics: dashboard" in first.stdout and "status 200" in first.stdout
    assert demo.read_bytes() == b""  # the demo database is never touched
    assert not output.exists()  # nothing written unless asked

    second = _bench(tmp_path, "--output", str(output), "--write-docs")
    assert second.returncode == 0, second.stderr
    assert "--size tiny" in output.read_text() and (tmp_path / "benchmarks.tiny.json").exists()
    assert demo.read_bytes() == b""
