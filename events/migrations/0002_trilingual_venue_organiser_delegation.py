"""Venue, organiser and delegation names in English, Thai and Japanese, like the event's name.

The existing single-language values become the English ones (renamed in place, so nothing is lost);
the Thai and Japanese ones start empty and the pages fall back to English until they are filled in."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.RenameField("event", "venue", "venue_en"),
        migrations.AlterField(
            "event", "venue_en", models.CharField(max_length=200, verbose_name="venue (English)")
        ),
        migrations.AddField(
            "event",
            "venue_th",
            models.CharField(blank=True, max_length=200, verbose_name="venue (Thai)"),
        ),
        migrations.AddField(
            "event",
            "venue_ja",
            models.CharField(blank=True, max_length=200, verbose_name="venue (Japanese)"),
        ),
        migrations.RenameField("event", "organiser", "organiser_en"),
        migrations.AlterField(
            "event", "organiser_en", models.CharField(max_length=200, verbose_name="organiser (English)")
        ),
        migrations.AddField(
            "event",
            "organiser_th",
            models.CharField(blank=True, max_length=200, verbose_name="organiser (Thai)"),
        ),
        migrations.AddField(
            "event",
            "organiser_ja",
            models.CharField(blank=True, max_length=200, verbose_name="organiser (Japanese)"),
        ),
        migrations.RenameField("delegation", "name", "name_en"),
        migrations.AlterField(
            "delegation", "name_en", models.CharField(max_length=200, verbose_name="name (English)")
        ),
        migrations.AddField(
            "delegation",
            "name_th",
            models.CharField(blank=True, max_length=200, verbose_name="name (Thai)"),
        ),
        migrations.AddField(
            "delegation",
            "name_ja",
            models.CharField(blank=True, max_length=200, verbose_name="name (Japanese)"),
        ),
        migrations.AlterModelOptions("delegation", options={"ordering": ["event_id", "name_en"]}),
    ]
