"""Install the weekly draw of the pulse survey (Tuesday 10:00, company time).

The task draws nothing while the pulse survey is switched off (the default), so the
entry is harmless until a manager switches the survey on. Mid-week mornings: the
weekend's purchases are in the window and people read their mail.
"""

from django.db import migrations


def install(apps, schema_editor):
    from common.schedule import periodic_task_install

    periodic_task_install(
        apps,
        name="Pulse survey: this week's sample",
        task="complaints.draw_pulse_survey",
        minute="0",
        hour="10",
        day_of_week="2",
    )


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="complaints.draw_pulse_survey"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_pulse_survey"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
