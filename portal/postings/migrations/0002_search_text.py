"""The postings search reads as the directory's: a normalised search text of the titles and texts of every
language (portal/companies/search.py ``build_search_text``), kept by ``Posting.save`` and filled here for
the postings that exist."""

from django.db import migrations, models

from portal.companies.search import build_search_text

TEXT_FIELDS = ("title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja")


def fill(apps, schema_editor):
    Posting = apps.get_model("postings", "Posting")
    batch = []
    for posting in Posting.objects.only("pk", *TEXT_FIELDS).iterator(chunk_size=2000):
        posting.search_text = build_search_text(getattr(posting, field) for field in TEXT_FIELDS)
        batch.append(posting)
        if len(batch) >= 2000:
            Posting.objects.bulk_update(batch, ["search_text"])
            batch = []
    Posting.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("postings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="posting",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
