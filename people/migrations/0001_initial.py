"""Departments, positions, employees and the three roles, as the project package had them.

The roles are Django groups holding the organisation's permissions; later apps add
their own permissions to these groups in their own migrations.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLE_PERMISSIONS = {
    "Manager": [
        "view_department",
        "add_department",
        "change_department",
        "view_position",
        "add_position",
        "change_position",
        "view_employee",
        "add_employee",
        "change_employee",
    ],
    "HR": [
        "view_department",
        "view_position",
        "add_position",
        "change_position",
        "view_employee",
        "add_employee",
        "change_employee",
    ],
    "Staff": ["view_department", "view_position"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


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
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Position",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
            ],
            options={
                "db_table": "servicecraft_position",
                "verbose_name": "position",
                "verbose_name_plural": "positions",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Department",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                (
                    "customer_facing",
                    models.BooleanField(
                        default=True,
                        help_text="Whether the people of this department meet customers.",
                        verbose_name="customer-facing",
                    ),
                ),
                (
                    "head",
                    models.ForeignKey(
                        blank=True,
                        help_text="The manager who receives this department's report.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="headed_departments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="head",
                    ),
                ),
            ],
            options={
                "db_table": "servicecraft_department",
                "verbose_name": "department",
                "verbose_name_plural": "departments",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Employee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "hired_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="hired on"),
                ),
                ("left_on", models.DateField(blank=True, null=True, verbose_name="left on")),
                ("customer_facing", models.BooleanField(default=True, verbose_name="customer-facing")),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("ru", "Russian")],
                        default="en",
                        help_text="The language of emails sent to this person.",
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employees",
                        to="people.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employee",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "position",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="employees",
                        to="people.position",
                        verbose_name="position",
                    ),
                ),
            ],
            options={
                "db_table": "servicecraft_employee",
                "verbose_name": "employee",
                "verbose_name_plural": "employees",
                "ordering": ["user__last_name", "user__first_name", "user__username"],
                "indexes": [
                    models.Index(fields=["department", "left_on"], name="servicecraf_departm_300e3a_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("left_on__isnull", True), ("left_on__gte", models.F("hired_on")), _connector="OR"
                        ),
                        name="employee_leaves_after_hire",
                    )
                ],
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
