from django.db import migrations, models


class Migration(migrations.Migration):
    """A saved search is of the directory (as before) or of the postings list."""

    dependencies = [
        ("notifications", "0003_preference_threshold"),
    ]

    operations = [
        migrations.AddField(
            model_name="savedsearch",
            name="target",
            field=models.CharField(
                choices=[("directory", "Company directory"), ("postings", "Postings")],
                default="directory",
                max_length=12,
                verbose_name="searched",
            ),
        ),
    ]
