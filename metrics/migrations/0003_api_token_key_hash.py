"""Store only the SHA-256 of each API token's key, never the key itself.

The existing keys keep working: each is replaced by its hash, which is what a
request's key is now looked up by. Going back cannot bring a key back, so the
reverse leaves the hashes (those tokens must then be created anew).
"""

import hashlib

from django.db import migrations, models


def hash_existing_keys(apps, schema_editor):
    ApiToken = apps.get_model("metrics", "ApiToken")
    for token in ApiToken.objects.only("pk", "key_hash"):
        token.key_hash = hashlib.sha256(token.key_hash.encode()).hexdigest()
        token.save(update_fields=["key_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0002_silent_leaver_rows_and_task_id"),
    ]

    operations = [
        migrations.RenameField(model_name="apitoken", old_name="key", new_name="key_hash"),
        migrations.AlterField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="key hash"),
        ),
        migrations.RunPython(hash_existing_keys, migrations.RunPython.noop),
    ]
