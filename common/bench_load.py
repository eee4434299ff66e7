"""``manage.py bench --load``: a bounded mixed load against gunicorn, as a company's morning
would be, with the one-query floor page measured in the same run.

Virtual users (65 % staff, 20 % managers, 10 % HR, 5 % customers on the public complaint form)
each sign in as the bench person of their role (the customers stay anonymous) and request that
role's bench pages (and the floor page) one after another for a fixed time (after a warm-up:
every page requested by four threads at once, untimed), pausing between two requests as a
person reads a page (``think_seconds`` on average, drawn between half and one and
a half times that; 0: no pauses, the server saturated); every answer's time and status is
recorded per page. Run twice, at 8 and at 32 users, it shows how the pages share a small server
(2 gunicorn workers).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

from common.bench import BENCH_HR, BENCH_MANAGER, BENCH_STAFF, VISITOR, BenchPage

ROLE_MIX = ((BENCH_STAFF, 0.65), (BENCH_MANAGER, 0.2), (BENCH_HR, 0.1), (VISITOR, 0.05))
FLOOR = BenchPage("floor (one query)", "/__bench__/floor")
REQUEST_TIMEOUT_SECONDS = 60


@dataclass
class PageLoad:
    durations_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


def database_url() -> str:
    """The URL of the database the bench uses now, for the gunicorn process."""
    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db.get("USER") or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'])}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def start_gunicorn(*, workers: int = 2) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "false"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "servicecraft.settings.local")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "common.bench_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(REQUEST_TIMEOUT_SECONDS),
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_until_serving(port, process)
    return process, port


class _Visitor:
    """One keep-alive connection to the bench's gunicorn, opening a new one after a failure."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_SECONDS)

    def get(self, page: BenchPage, cookie: str | None) -> str:
        """Request ``page`` with the session ``cookie`` (None: anonymous) and read the answer;
        what went wrong ("" for a 200)."""
        headers = {"Host": "127.0.0.1"}
        if cookie is not None:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        try:
            self.connection.request("GET", page.url, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = self._connect()
            return f"{type(error).__name__}: {error}"
        return "" if response.status == 200 else f"status {response.status}"

    def close(self) -> None:
        self.connection.close()


def _user(port, cookie, pages, rng, until, results, lock, think_seconds) -> None:
    visitor = _Visitor(port)
    while time.monotonic() < until:
        page = rng.choice(pages)
        started = time.perf_counter()
        problem = visitor.get(page, cookie)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            load = results[page.name]
            load.durations_ms.append(elapsed)
            if problem:
                load.errors += 1
                load.first_error = load.first_error or problem
        if think_seconds:
            time.sleep(min(rng.uniform(0.5, 1.5) * think_seconds, max(0.0, until - time.monotonic())))
    visitor.close()


# Before a load run each page is requested this many times, by as many threads at once, so
# that every gunicorn worker has loaded its templates and code: a worker's first answer to a
# page (a second or more) is start-up, not load.
WARM_UP_THREADS = 4


def warm_up(*, port: int, pages: list[BenchPage], cookies: dict[str | None, str | None]) -> None:
    """Every page (and the floor) requested by :data:`WARM_UP_THREADS` threads at once."""

    def _requests() -> None:
        visitor = _Visitor(port)
        for page in [FLOOR, *pages]:
            visitor.get(page, cookies.get(page.username))
        visitor.close()

    threads = [threading.Thread(target=_requests, daemon=True) for _ in range(WARM_UP_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT_SECONDS * 2)


# Requests per page in :func:`time_alone`, one at a time.
ALONE_REQUESTS = 5


def time_alone(
    *,
    port: int,
    pages: list[BenchPage],
    cookies: dict[str | None, str | None],
    requests: int = ALONE_REQUESTS,
) -> dict[str, float]:
    """Each page's (and the floor's) p50 in ms when it is the only request on the server: over
    HTTP through the same gunicorn as the load, so the load's times can be compared with it."""
    visitor = _Visitor(port)
    alone = {}
    for page in [FLOOR, *pages]:
        durations = []
        for _ in range(requests):
            started = time.perf_counter()
            if not visitor.get(page, cookies.get(page.username)):
                durations.append((time.perf_counter() - started) * 1000)
        if durations:
            alone[page.name] = round(statistics.median(durations), 1)
    visitor.close()
    return alone


def run_load(
    *,
    port: int,
    pages: list[BenchPage],
    cookies: dict[str | None, str | None],
    users: int,
    seconds: float,
    think_seconds: float = 0.0,
) -> dict:
    """``users`` virtual users for ``seconds``, each pausing about ``think_seconds`` between two
    requests; per page: requests, req/s, p50/p95/p99, errors.

    ``cookies``: each role's session cookie (None for the anonymous visitor)."""
    by_role: dict[str | None, list[BenchPage]] = defaultdict(list)
    for page in pages:
        by_role[page.username].append(page)
    rng = random.Random(users)
    roles = [role for role, _share in ROLE_MIX if by_role.get(role)]
    weights = [share for role, share in ROLE_MIX if by_role.get(role)]
    results: dict[str, PageLoad] = defaultdict(PageLoad)
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = []
    for number in range(users):
        role = rng.choices(roles, weights)[0]
        role_pages = [*by_role[role], FLOOR]
        thread = threading.Thread(
            target=_user,
            args=(
                port,
                cookies[role],
                role_pages,
                random.Random(number),
                until,
                results,
                lock,
                think_seconds,
            ),
            daemon=True,
        )
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT_SECONDS)
    rows = []
    for name, load in sorted(results.items(), key=lambda item: item[0] != FLOOR.name):
        durations = sorted(load.durations_ms)
        rows.append(
            {
                "page": name,
                "requests": len(durations),
                "per_second": round(len(durations) / seconds, 1),
                "p50_ms": round(statistics.median(durations), 1),
                "p95_ms": round(_percentile(durations, 0.95), 1),
                "p99_ms": round(_percentile(durations, 0.99), 1),
                "errors": load.errors,
                "first_error": load.first_error,
            }
        )
    total = sum(row["requests"] for row in rows)
    return {
        "users": users,
        "seconds": seconds,
        "think_seconds": think_seconds,
        "requests_per_second": round(total / seconds, 1),
        "pages": rows,
    }


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * share + 0.5) - 1))]
