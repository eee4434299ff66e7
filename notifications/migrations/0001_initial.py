"""Notifications and preferences as the project package had them (see people.0001 for ``replaces``)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # This app's models were in the project package until the architecture change; on a
    # database migrated before it, these are the migrations it ran, and this one counts as
    # applied. Until the next migration renames them, the tables keep their old names.
    replaces = [
        ("servicecraft", "0001_initial"),
        ("servicecraft", "0002_roles"),
        ("servicecraft", "0003_notifications_and_reports"),
        ("servicecraft", "0004_default_beat_schedule"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("people", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "disabled_kinds",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Codes of reminder kinds.",
                        verbose_name="reminders switched off",
                    ),
                ),
                (
                    "weekly_report",
                    models.BooleanField(default=True, verbose_name="receive the weekly report"),
                ),
                (
                    "report_scope",
                    models.CharField(
                        choices=[
                            ("auto", "My department if I head one, otherwise the whole company"),
                            ("department", "The department I head"),
                            ("company", "The whole company"),
                        ],
                        default="auto",
                        max_length=16,
                        verbose_name="weekly report covers",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_settings",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "db_table": "servicecraft_notificationsettings",
                "verbose_name": "notification settings",
                "verbose_name_plural": "notification settings",
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40, verbose_name="kind")),
                ("key", models.CharField(blank=True, max_length=200, verbose_name="subject key")),
                (
                    "period",
                    models.CharField(
                        help_text="A day, a week (2026-W48) or a window.",
                        max_length=16,
                        verbose_name="period",
                    ),
                ),
                ("text", models.CharField(blank=True, max_length=500, verbose_name="text")),
                ("url", models.CharField(blank=True, max_length=500, verbose_name="link")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be sent"),
                            ("sending", "Being sent"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="claimed at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at"),
                ),
                (
                    "digest",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="notifications.notification",
                        verbose_name="digest",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="reports.report",
                        verbose_name="report",
                    ),
                ),
            ],
            options={
                "db_table": "servicecraft_notification",
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["status", "kind"], name="servicecraf_status_74a490_idx"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "kind", "key", "period"), name="notification_once_per_period"
            ),
        ),
    ]
