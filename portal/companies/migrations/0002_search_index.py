"""Trigram index for directory search on PostgreSQL (Thai and Japanese have no spaces between words, so
search is substring matching over ``search_text``; pg_trgm makes that indexable). Nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS company_search_trgm ON companies_company USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS company_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
