"""Time the main pages on a synthetic company; see ``common/bench.py``."""

from __future__ import annotations

import json
import platform
import random
import statistics
import time
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


class Command(BaseCommand):
    help = "Build a synthetic data set (--size small|large), time the main pages, write docs/benchmarks.md."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
        parser.add_argument("--skip-build", action="store_true", help="reuse the data set already loaded")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--seed", type=int, default=20261125)

    def handle(
        self, *args, size: str, requests: int, skip_build: bool, output: str, seed: int, **options
    ) -> None:
        chosen = SIZES[size]
        # common/bench.py holds the shared helpers (sizes, logins), not an app's data and pages.
        contributions = [module for module in app_modules("bench") if hasattr(module, "build_dataset")]
        if not skip_build:
            rng = random.Random(seed)
            started = time.perf_counter()
            for module in contributions:
                self.stdout.write(f"building {module.__name__} …")
                module.build_dataset(size=chosen, rng=rng)
            self.stdout.write(f"data set built in {time.perf_counter() - started:.1f} s")
        pages = [BenchPage("floor (one query)", "/__bench__/floor")]
        for module in contributions:
            pages += module.bench_pages()
        # common.bench_urls wraps the site's URLconf, which it finds under BENCH_SITE_URLCONF:
        # under the override ROOT_URLCONF names the wrapper itself.
        with override_settings(
            ROOT_URLCONF="common.bench_urls",
            BENCH_SITE_URLCONF=settings.ROOT_URLCONF,
            DEBUG=False,
            ALLOWED_HOSTS=["*"],
        ):
            rows = [self._time_page(page, requests) for page in pages]
        report = {
            "size": size,
            "database": connection.vendor,
            "requests_per_page": requests,
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
            "pages": rows,
        }
        self._write(Path(output), report)
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
