"""GIN full-text indexes for the library search, one per language and table.

The search runs one query per table with an explicit text-search configuration
(see ``standards.selectors.SEARCH_CONFIGS``), so each expression below is exactly
the one the search filters on and PostgreSQL can answer it from the index.
Only on PostgreSQL: SQLite has neither GIN nor ``to_tsvector`` and searches
with plain ``LIKE``. The configurations are written out here, not imported, so
this migration stays what it was when later languages are added in new ones.
"""

from django.db import migrations

CONFIGS = ("english", "russian")

# (model, index name prefix, fields of the document)
DOCUMENTS = (
    ("Standard", "standard_code_title_fts", ("code", "title")),
    ("StandardVersion", "standard_version_body_fts", ("body",)),
    ("StandardStep", "standard_step_text_fts", ("text",)),
)


def _indexes(apps):
    # Imported here: django.contrib.postgres needs the PostgreSQL driver.
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    for model_name, prefix, fields in DOCUMENTS:
        model = apps.get_model("standards", model_name)
        for config in CONFIGS:
            yield model, GinIndex(SearchVector(*fields, config=config), name=f"{prefix}_{config}")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0004_acknowledgement_standings_schedule"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
