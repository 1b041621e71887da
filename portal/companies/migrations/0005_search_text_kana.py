"""Search text reads kana (issue 18): katakana folded to hiragana and the hiragana reading of the Japanese
text appended (portal/companies/search.py). The stored text was already normalised, so folding and reading
it again gives the new text; nothing else changes. Reversing keeps the new text (it is a superset)."""

from django.db import migrations

from portal.companies.search import build_search_text


def refresh(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    batch = []
    for company in Company.objects.only("pk", "search_text").iterator(chunk_size=2000):
        text = build_search_text([company.search_text])
        if text != company.search_text:
            company.search_text = text
            batch.append(company)
        if len(batch) >= 2000:
            Company.objects.bulk_update(batch, ["search_text"])
            batch = []
    Company.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("companies", "0004_import_job")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
