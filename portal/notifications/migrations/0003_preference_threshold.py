from django.db import migrations, models


class Migration(migrations.Migration):
    """The score a person chooses for a kind with a threshold (matching's new strong match)."""

    dependencies = [
        ("notifications", "0002_preferences_webhooks_saved_searches"),
    ]

    operations = [
        migrations.AddField(
            model_name="notificationpreference",
            name="threshold",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="score threshold"),
        ),
    ]
