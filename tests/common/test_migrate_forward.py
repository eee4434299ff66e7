"""A database migrated at the last released head migrates forward with every row intact.

The architecture change moved models between apps (the project package's organisation,
notifications and reports; the metrics' customers) and the satisfaction survey's email
into the one outbox. This test builds a database with the code of the released head
(``git archive`` of :data:`RELEASED_HEAD`), fills it with that code's ``seed_demo``,
migrates it with today's code, and compares every table's rows and a sample of their
values, then checks that every scheduled beat task names a task the worker knows.

It runs the same way on SQLite (locally) and PostgreSQL (CI, with ``DATABASE_URL``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# main before the architecture change (the last commit that landed).
RELEASED_HEAD = "747a310459ea2834315b2d55922db494a0f90841"

# Old table → new table. Tables not named keep their name.
RENAMED = {
    "servicecraft_department": "people_department",
    "servicecraft_position": "people_position",
    "servicecraft_employee": "people_employee",
    "servicecraft_notificationsettings": "notifications_notificationsettings",
    "servicecraft_notification": "notifications_notification",
    "servicecraft_report": "reports_report",
    "metrics_customer": "customers_customer",
    "metrics_purchase": "customers_purchase",
    "metrics_importjob": "customers_importjob",
}
# Tables whose row count changes on purpose, with the rule checked below.
CHANGED_ON_PURPOSE = {
    "notifications_notification",
    "django_celery_beat_periodictask",
    "django_migrations",
    "django_content_type",
    "auth_permission",
}
# Tables that only gain rows on purpose (the beat entries of apps added since, e.g. the
# programme's, and the outbox sweep's interval): every old row is kept, new ones come after.
ROWS_ADDED_ON_PURPOSE = {
    "django_celery_beat_periodictask",
    "django_celery_beat_crontabschedule",
    "django_celery_beat_intervalschedule",
}
# Columns whose values change on purpose: beat entries point at the tasks' new names.
VALUES_CHANGED_ON_PURPOSE = {
    "django_celery_beat_periodictask": {"task", "date_changed"},
    "django_celery_beat_periodictasks": {"last_update"},
    # The snapshot keeps the company's figures only: each department's moved to a row of its own
    # (metrics 0006; tests/metrics/test_department_figures.py migrates there and back).
    "metrics_metricssnapshot": {"figures"},
}


def _released_checkout(tmp_path: Path) -> Path:
    target = tmp_path / "released"
    target.mkdir()
    archive = tmp_path / "released.tar"
    result = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), RELEASED_HEAD],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"the released head {RELEASED_HEAD} is not in this clone's history: {result.stderr}")
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


class Database:
    """A database of this test's own, on the engine the suite runs on."""

    def __init__(self, tmp_path: Path) -> None:
        default = settings.DATABASES["default"]
        self.vendor = "postgresql" if "postgresql" in default["ENGINE"] else "sqlite"
        if self.vendor == "sqlite":
            self.path = tmp_path / "forward.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"forward_{uuid.uuid4().hex[:12]}"
            self.params = {
                key: value
                for key, value in {
                    "host": default.get("HOST") or "127.0.0.1",
                    "port": default.get("PORT") or 5432,
                    "user": default.get("USER") or "postgres",
                    "password": default.get("PASSWORD") or None,
                }.items()
                if value
            }
            self._admin(f'CREATE DATABASE "{self.name}"')
            auth = self.params["user"] + (
                f":{self.params['password']}" if self.params.get("password") else ""
            )
            self.url = f"postgres://{auth}@{self.params['host']}:{self.params['port']}/{self.name}"

    def _admin(self, statement: str) -> None:
        connection = psycopg2.connect(dbname="postgres", **self.params)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            connection = sqlite3.connect(self.path)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        connection = psycopg2.connect(dbname=self.name, **self.params)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        finally:
            connection.close()

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            rows = self.query(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return sorted(name for (name,) in rows)

    def columns(self, table: str) -> list[str]:
        if self.vendor == "sqlite":
            return [row[1] for row in self.query(f'PRAGMA table_info("{table}")')]
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_name = '{table}' ORDER BY ordinal_position"
        )
        return [name for (name,) in rows]

    def count(self, table: str) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]

    def sample(self, table: str, columns: list[str], limit: int = 25) -> list[tuple]:
        quoted = ", ".join(f'"{column}"' for column in columns)
        order = '"id"' if "id" in columns else "1"
        return self.query(f'SELECT {quoted} FROM "{table}" ORDER BY {order} LIMIT {limit}')

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path) -> Iterator[Database]:
    created = Database(tmp_path)
    yield created
    created.drop()


def _manage(code: Path, database: Database, *args: str) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="servicecraft.settings.local",
        EMAIL_URL="consolemail://",
        DEBUG="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=code, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {code} failed:\n{result.stderr[-4000:]}"


def test_it_migrates_a_released_database_forward_with_every_row(tmp_path, database):
    released = _released_checkout(tmp_path)
    _manage(released, database, "migrate", "--noinput")
    _manage(released, database, "seed_demo")
    before = {table: database.count(table) for table in database.tables()}
    old_columns = {table: database.columns(table) for table in before}
    samples = {table: database.sample(table, old_columns[table]) for table in before}
    surveys = before.get("complaints_satisfactionsurvey", 0)
    reports_sent = database.query(
        "SELECT COUNT(*) FROM servicecraft_notification WHERE report_id IS NOT NULL"
    )[0][0]
    assert before["servicecraft_employee"] and before["metrics_purchase"] and surveys

    _manage(REPO, database, "migrate", "--noinput")

    after_tables = set(database.tables())
    for old_table, old_count in before.items():
        new_table = RENAMED.get(old_table, old_table)
        assert new_table in after_tables, f"{old_table} ({old_count} rows) is gone"
        if new_table in CHANGED_ON_PURPOSE:
            continue
        if new_table in ROWS_ADDED_ON_PURPOSE:
            assert database.count(new_table) >= old_count, f"{old_table} → {new_table}: rows lost"
        else:
            assert database.count(new_table) == old_count, f"{old_table} → {new_table}: rows differ"
        unchanged = set(database.columns(new_table)) - VALUES_CHANGED_ON_PURPOSE.get(new_table, set())
        kept = [column for column in old_columns[old_table] if column in unchanged]
        old_positions = [old_columns[old_table].index(column) for column in kept]
        old_rows = [tuple(row[i] for i in old_positions) for row in samples[old_table]]
        assert database.sample(new_table, kept, limit=len(old_rows)) == old_rows, (
            f"{old_table} → {new_table}: values differ"
        )
    # Every survey's email is now a notification of the one outbox; every report email has its delivery.
    assert database.count("notifications_notification") == before["servicecraft_notification"] + surveys
    assert database.query(
        "SELECT COUNT(*) FROM complaints_satisfactionsurvey WHERE notification_id IS NULL"
    ) == [(0,)]
    assert database.count("reports_reportdelivery") == reports_sent
    # The schedule keeps every entry and gains the daily deletion of old import files and the
    # programme's monthly actuals and effectiveness checks, the weekly pulse survey draw, the
    # outbox sweep (every EMAIL_SWEEP_MINUTES: emails whose task was lost), the nightly refresh
    # of the training standings, the inbound mailbox poll (every IMAP_POLL_MINUTES) and the
    # nightly refresh of the acknowledgement coverage.
    assert database.count("django_celery_beat_periodictask") == before["django_celery_beat_periodictask"] + 8
    # Permissions granted to the role groups still point at the moved models.
    assert not database.query("SELECT 1 FROM django_content_type WHERE app_label = 'servicecraft'")
    assert database.query(
        "SELECT COUNT(*) FROM auth_group_permissions gp JOIN auth_permission p ON p.id = gp.permission_id "
        "JOIN django_content_type ct ON ct.id = p.content_type_id WHERE ct.app_label = 'people'"
    )[0][0]


def test_it_schedules_only_tasks_the_worker_knows_after_migrating_forward(tmp_path, database):
    from servicecraft.celery import app

    released = _released_checkout(tmp_path)
    _manage(released, database, "migrate", "--noinput")
    _manage(REPO, database, "migrate", "--noinput")

    app.loader.import_default_modules()
    scheduled = {task for (task,) in database.query("SELECT task FROM django_celery_beat_periodictask")}
    assert {"notifications.send_daily_reminders", "reports.send_weekly_reports"} <= scheduled
    assert scheduled - {"celery.backend_cleanup"} <= set(app.tasks), scheduled - set(app.tasks)
