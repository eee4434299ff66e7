"""Create the Manager, HR and Staff groups with the permissions of the organisation.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.db import migrations

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

    app_config = apps.get_app_config("servicecraft")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="servicecraft", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicecraft", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
