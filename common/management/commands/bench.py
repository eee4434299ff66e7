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
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common import bench_load
from common.bench import PAGE_SIZE_LIMIT_KB, SIZES, BenchPage
from common.bench_load import FLOOR
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
    help = (
        "Build a synthetic company in the bench's own database (--size small|large, or small,large "
        "for the cost growth), time the main pages, optionally under a mixed load (--load)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--size",
            default="small",
            help=f"one of {', '.join(SIZES)}, or several separated by commas: the last ÷ the first "
            "is each page's cost growth (default small)",
        )
        parser.add_argument("--requests", type=int, default=20, help="requests per page (default 20)")
        parser.add_argument(
            "--skip-build", action="store_true", help="reuse the bench database of the last run as it is"
        )
        parser.add_argument(
            "--load", action="store_true", help="also run a mixed load against gunicorn (2 workers)"
        )
        parser.add_argument(
            "--load-users", default="8,32", help="concurrent users per load run (default 8,32)"
        )
        parser.add_argument(
            "--load-seconds", type=float, default=60, help="length of each load run (default 60)"
        )
        parser.add_argument(
            "--load-think",
            type=float,
            default=2.0,
            help="average pause of a user between two requests, in seconds (default 2; 0: none, "
            "the server saturated)",
        )
        parser.add_argument(
            "--write-docs",
            action="store_true",
            help="write the figures into docs/benchmarks.md (and a .json beside it); else only print them",
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"))
        parser.add_argument("--seed", type=int, default=20261125)

    def handle(self, *args, size: str, skip_build: bool, load_users: str, **options) -> None:
        sizes = [name.strip() for name in size.split(",") if name.strip()]
        unknown = [name for name in sizes if name not in SIZES]
        if not sizes or unknown:
            raise CommandError(f"Unknown size {', '.join(unknown) or size!r}: use {', '.join(SIZES)}.")
        if skip_build and len(sizes) > 1:
            raise CommandError("--skip-build reuses one data set: give one size with it.")
        try:
            users = [int(number) for number in load_users.split(",") if number.strip()]
        except ValueError:
            raise CommandError("--load-users takes numbers separated by commas, e.g. 8,32.") from None
        reports = [
            self._bench_size(name, skip_build=skip_build, load_users=users, **options) for name in sizes
        ]
        if len(reports) > 1:
            growth = _growth(reports[0], reports[-1])
            self.stdout.write(f"cost growth, {reports[-1]['size']} ÷ {reports[0]['size']} (p50):")
            for row in growth:
                self.stdout.write(f"  {row['page']:<56} × {row['growth']}")
            if options["write_docs"]:
                self._write_growth(Path(options["output"]), reports[0], reports[-1], growth)

    def _bench_size(self, size: str, *, skip_build: bool, **options) -> dict:
        # The bench builds its company in a database of its own (the configured one's name
        # with a "bench" suffix: db-bench.sqlite3 beside db.sqlite3, <name>_bench on
        # PostgreSQL), created afresh and migrated for each size, so the demo data is never
        # touched and two runs in a row start from the same state. --skip-build keeps the
        # last run's data.
        creation = connection.creation
        original_name = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = bench_database_name(original_name)
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=skip_build)
        self.stdout.write(f"bench database: {settings.DATABASES['default']['NAME']} ({size})")
        try:
            return self._bench(size=size, skip_build=skip_build, **options)
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
        load: bool,
        load_users: list[int],
        load_seconds: float,
        load_think: float,
        **options,
    ) -> dict:
        chosen = SIZES[size]
        if not skip_build:
            rng = random.Random(seed)
            started = time.perf_counter()
            for module in _bench_modules():
                self.stdout.write(f"building {module.__name__} …")
                module.build_dataset(size=chosen, rng=rng)
            self.stdout.write(f"data set built in {time.perf_counter() - started:.1f} s")
            _settle(self.stdout)
        pages = [FLOOR]
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
        for row in rows:
            self.stdout.write(
                f"{row['page']:<56} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  "
                f"queries {row['queries']:>3}  {row['kb']:>7.1f} KB  status {row['status']}"
            )
        for row in _oversized(rows):
            self.stderr.write(
                self.style.WARNING(
                    f"warning: {row['page']} is {row['kb']} KB of HTML, "
                    f"over the {PAGE_SIZE_LIMIT_KB} KB limit"
                )
            )
        if load:
            report["load"] = self._load(pages[1:], users=load_users, seconds=load_seconds, think=load_think)
        if write_docs:
            self._write(Path(output), report)
            self.stdout.write(f"figures written to {output}")
        return report

    def _load(self, pages: list[BenchPage], *, users: list[int], seconds: float, think: float) -> list[dict]:
        cookies: dict[str | None, str | None] = {}
        for username in {page.username for page in pages}:
            if username is None:  # the anonymous visitor sends no session cookie
                cookies[username] = None
                continue
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        process, port = bench_load.start_gunicorn(workers=2)
        runs = []
        try:
            bench_load.warm_up(port=port, pages=pages, cookies=cookies)
            alone = bench_load.time_alone(port=port, pages=pages, cookies=cookies)
            for count in users:
                self.stdout.write(f"load: {count} users for {seconds:g} s, pausing about {think:g} s …")
                run = bench_load.run_load(
                    port=port, pages=pages, cookies=cookies, users=count, seconds=seconds, think_seconds=think
                )
                run["alone_p50_ms"] = alone
                runs.append(run)
                self.stdout.write(f"  {run['requests_per_second']} requests/s in all")
                for row in run["pages"]:
                    self.stdout.write(
                        f"  {row['page']:<56} {row['per_second']:>6} req/s  p50 {row['p50_ms']:>8.1f}  "
                        f"p95 {row['p95_ms']:>8.1f}  p99 {row['p99_ms']:>8.1f} ms  "
                        f"alone {alone.get(row['page'], 0):>7.1f} ms  errors {row['errors']}"
                        + (f" (first: {row['first_error']})" if row["first_error"] else "")
                    )
        finally:
            process.terminate()
            process.wait(timeout=30)
        return runs

    def _time_page(self, page: BenchPage, requests: int) -> dict:
        client = Client()
        if not page.is_anonymous:
            client.force_login(get_user_model().objects.get(username=page.username))
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
            "kb": round(_body_size(response) / 1024, 1),
            "p50_ms": round(statistics.median(durations), 1),
            "p95_ms": round(durations[max(0, int(len(durations) * 0.95) - 1)], 1),
        }

    def _write(self, path: Path, report: dict) -> None:
        floor_p50 = next((row["p50_ms"] for row in report["pages"] if row["page"] == FLOOR.name), None)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(f".{report['size']}.json").write_text(json.dumps(report, indent=2) + "\n")
        table = [
            MARK_BEGIN.format(size=report["size"]),
            f"### `--size {report['size']}` on {report['database']} — {report['measured_at']}",
            "",
            f"{report['machine']}; {report['requests_per_page']} requests per page after one warm-up.",
            "",
            "`× floor`: the page's p50 divided by the one-query floor page's p50 of the same run.",
            "",
            "| page | p50 ms | p95 ms | × floor | queries | KB | status |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {_ratio(r['p50_ms'], floor_p50)} | "
                f"{r['queries']} | {_kb_cell(r)} | {r['status']} |"
                for r in report["pages"]
            ),
            *_oversized_lines(report["pages"]),
            *_load_lines(report.get("load") or []),
            MARK_END.format(size=report["size"]),
        ]
        _replace_between_marks(path, report["size"], table)

    def _write_growth(self, path: Path, first: dict, last: dict, growth: list[dict]) -> None:
        key = f"growth-{first['size']}-{last['size']}"
        table = [
            MARK_BEGIN.format(size=key),
            f"### Cost growth: `{last['size']}` ÷ `{first['size']}`, same run — {last['measured_at']}",
            "",
            "p50 of each page at the larger size divided by its p50 at the smaller one (1.0: the page "
            "costs the same whatever the company's size).",
            "",
            f"| page | p50 ms {first['size']} | p50 ms {last['size']} | growth |",
            "| --- | ---: | ---: | ---: |",
            *(f"| {r['page']} | {r['first']} | {r['last']} | × {r['growth']} |" for r in growth),
            MARK_END.format(size=key),
        ]
        _replace_between_marks(path, key, table)


def _body_size(response) -> int:
    """Bytes of the response body as sent (a streamed download is read to its end)."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _oversized(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["kb"] > PAGE_SIZE_LIMIT_KB]


def _kb_cell(row: dict) -> str:
    return f"**{row['kb']}** ⚠" if row["kb"] > PAGE_SIZE_LIMIT_KB else str(row["kb"])


def _oversized_lines(rows: list[dict]) -> list[str]:
    oversized = _oversized(rows)
    if not oversized:
        return ["", f"Every page's HTML is within {PAGE_SIZE_LIMIT_KB} KB."]
    return [
        "",
        f"⚠ Over {PAGE_SIZE_LIMIT_KB} KB of HTML: "
        + ", ".join(f"{row['page']} ({row['kb']} KB)" for row in oversized)
        + ".",
    ]


def _settle(stdout) -> None:
    """Give the fresh data set the statistics and visibility map that autovacuum keeps for a
    database in service. Without them PostgreSQL plans with tables it has never analysed
    (the training tables of the 2026-12-01 large set had no statistics when the pages were
    timed: row estimates of 1 where there were 2,466) and autovacuum comes round in the
    middle of the timings, so two runs of one page disagree."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    stdout.write(f"vacuumed and analysed in {time.perf_counter() - started:.1f} s")


def _growth(first: dict, last: dict) -> list[dict]:
    """Each page's p50 at the last size ÷ its p50 at the first (pages timed at both)."""
    before = {row["page"]: row["p50_ms"] for row in first["pages"]}
    return [
        {
            "page": row["page"],
            "first": before[row["page"]],
            "last": row["p50_ms"],
            "growth": round(row["p50_ms"] / before[row["page"]], 2) if before[row["page"]] else None,
        }
        for row in last["pages"]
        if row["page"] in before
    ]


def _ratio(value: float, base: float | None) -> str:
    """``value ÷ base`` for a table cell ("—" without a base)."""
    if not base:
        return "—"
    ratio = value / base
    return f"{ratio:.1f}" if ratio < 100 else f"{ratio:.0f}"


def _load_lines(runs: list[dict]) -> list[str]:
    """The load runs' tables. ``alone``: the page's p50 when it was the only request, over HTTP
    through the same gunicorn just before the load; ``p95 ÷ alone``: how much the load slows it."""
    lines = []
    for run in runs:
        think = run.get("think_seconds") or 0
        pauses = f", pausing about {think:g} s between requests" if think else ", without pauses"
        alone = run.get("alone_p50_ms") or {}
        lines += [
            "",
            f"Mixed load, {run['users']} users{pauses}, for {run['seconds']:g} s on gunicorn (2 workers): "
            f"{run['requests_per_second']} requests/s in all. `alone`: the page's p50 as the only "
            "request on the same server (over HTTP, just before the load).",
            "",
            "| page | req/s | p50 ms | p95 ms | p99 ms | alone p50 ms | p95 ÷ alone | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['page']} | {r['per_second']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                f"{alone.get(r['page'], '—')} | {_ratio(r['p95_ms'], alone.get(r['page']))} | {r['errors']} |"
                for r in run["pages"]
            ),
        ]
    return lines


def _replace_between_marks(path: Path, key: str, table: list[str]) -> None:
    """Put ``table`` between the ``key`` markers of the file, or append it."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\nWritten by `python manage.py bench`.\n"
    begin, end = MARK_BEGIN.format(size=key), MARK_END.format(size=key)
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + "\n".join(table) + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(table) + "\n"
    path.write_text(text)
