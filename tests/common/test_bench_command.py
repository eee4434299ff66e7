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
        [
            sys.executable,
            "manage.py",
            "bench",
            "--requests",
            "1",
            *(args or ()),
            *(() if "--size" in args else ("--size", "tiny")),
        ],
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

    # Two sizes in one run give each page's cost growth; --load adds a mixed load on gunicorn.
    second = _bench(
        tmp_path,
        "--output",
        str(output),
        "--write-docs",
        "--size",
        "tiny,tiny",
        "--load",
        "--load-users",
        "2",
        "--load-seconds",
        "2",
    )
    assert second.returncode == 0, second.stderr
    written = output.read_text()
    assert "--size tiny" in written and (tmp_path / "benchmarks.tiny.json").exists()
    assert "Cost growth: `tiny` ÷ `tiny`" in written and "| floor (one query) |" in written
    assert "Mixed load, 2 users for 2 s on gunicorn (2 workers)" in written
    load_rows = [line for line in written.splitlines() if line.count("|") == 7 and "req/s" not in line]
    assert load_rows and all(line.rstrip(" |").endswith(" 0") for line in load_rows[1:]), load_rows
    assert demo.read_bytes() == b""


def test_it_refuses_an_unknown_size(tmp_path):
    refused = _bench(tmp_path, "--size", "huge")
    assert refused.returncode != 0 and "Unknown size" in refused.stderr
