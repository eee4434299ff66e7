"""Time the main pages on a synthetic company; see ``common/bench.py``."""

from __future__ import annotations

import json
import platform
import random
import statistics
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.bench import BENCH_MANAGER, SIZES, BenchPage
from common.discovery import app_modules

MARK_BEGIN = "<!-- bench:{size}:begin -->"
MARK_END = "<!-- bench:{size}:end -->"


def _bench_modules() -> list:
    """Every app's ``bench`` module, without ``common.bench`` (the building blocks they share)."""
    return [module for module in app_modules("bench") if hasattr(module, "build_dataset")]


def bench_database_name(name) -> str:
    """The bench's own database beside the configured one."""
    name = str(name)
    if connection.vendor == "sqlite":
        path = Path(name)
        return str(path.with_name(f"{path.stem}-bench{path.suffix or '.sqlite3'}"))
    return f"{name}_bench"


class Command(BaseCommand):
    help = "Build a synthetic data set (--size small|large), time the main pages, write docs/benchmarks.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
        parser.add_argument(
            "--skip-build", action="store_true", help="reuse the bench database of the last run as it is"
        )
        parser.add_argument(
            "--write-docs",
            action="store_true",
            help="write the figures into docs/benchmarks.md (and a .json beside it); else only print them",
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--seed", type=int, default=20261125)

    def handle(self, *args, skip_build: bool, **options) -> None:
        # The bench builds its company in a database of its own (the configured one's name
        # with a "bench" suffix: bench.sqlite3 beside db.sqlite3, <name>_bench on PostgreSQL),
        # created afresh and migrated on each run, so the demo data is never touched and two
        # runs in a row start from the same state. --skip-build keeps the last run's data.
        creation = connection.creation
        original_name = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = bench_database_name(original_name)
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=skip_build)
        self.stdout.write(f"bench database: {settings.DATABASES['default']['NAME']}")
        try:
            self._bench(skip_build=skip_build, **options)
        finally:
            # Kept for --skip-build; the connection goes back to the configured database.
            creation.destroy_test_db(original_name, verbosity=0, keepdb=True)

    def _bench(
        self,
        *,
        size: str,
        requests: int,
        skip_build: bool,
        output: str,
        seed: int,
        write_docs: bool,
        **options,
    ) -> None:
        chosen = SIZES[size]
        if not skip_build:
            rng = random.Random(seed)
            started = time.perf_counter()
            for module in _bench_modules():
                self.stdout.write(f"building {module.__name__} …")
                module.build_dataset(size=chosen, rng=rng)
            self.stdout.write(f"data set built in {time.perf_counter() - started:.1f} s")
        pages = [BenchPage("floor (one query)", "/__bench__/floor")]
        for module in _bench_modules():
            pages += module.bench_pages()
        # Loaded before the override: it reads the site's own URLconf from ROOT_URLCONF.
        import_module("common.bench_urls")
        with override_settings(ROOT_URLCONF="common.bench_urls", DEBUG=False, ALLOWED_HOSTS=["*"]):
            rows = [self._time_page(page, requests) for page in pages]
        report = {
            "size": size,
            "database": connection.vendor,
            "requests_per_page": requests,
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
            "pages": rows,
        }
        if write_docs:
            self._write(Path(output), report)
            self.stdout.write(f"figures written to {output}")
        for row in rows:
            self.stdout.write(
                f"{row['page']:<40} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  "
                f"queries {row['queries']:>3}  status {row['status']}"
            )

    def _time_page(self, page: BenchPage, requests: int) -> dict:
        client = Client()
        client.force_login(get_user_model().objects.get(username=page.username or BENCH_MANAGER))
        client.get(page.url)  # warm caches and connections, as a real server would be
        durations = []
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        # Read the count now: every new request clears the connection's query log.
        query_count = len(queries.captured_queries)
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(page.url)
            durations.append((time.perf_counter() - started) * 1000)
        durations.sort()
        return {
            "page": page.name,
            "url": page.url,
            "status": response.status_code,
            "queries": query_count,
            "p50_ms": round(statistics.median(durations), 1),
            "p95_ms": round(durations[max(0, int(len(durations) * 0.95) - 1)], 1),
        }

    def _write(self, path: Path, report: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(f".{report['size']}.json").write_text(json.dumps(report, indent=2) + "\n")
        table = [
            MARK_BEGIN.format(size=report["size"]),
            f"### `--size {report['size']}` on {report['database']} — {report['measured_at']}",
            "",
            f"{report['machine']}; {report['requests_per_page']} requests per page after one warm-up.",
            "",
            "| page | p50 ms | p95 ms | queries | status |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} | {r['status']} |"
                for r in report["pages"]
            ),
            MARK_END.format(size=report["size"]),
        ]
        text = path.read_text() if path.exists() else "# Benchmarks\n\nWritten by `python manage.py bench`.\n"
        begin, end = MARK_BEGIN.format(size=report["size"]), MARK_END.format(size=report["size"])
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            text = head + "\n".join(table) + rest.split(end, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(table) + "\n"
        path.write_text(text)
