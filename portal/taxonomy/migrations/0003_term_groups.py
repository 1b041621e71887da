"""Capabilities and certifications get a group (forms show them grouped); the groups come from
portal/taxonomy/data/taxonomy.json. Idempotent."""

import json
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data"


def load_groups(apps, schema_editor):
    taxonomy = json.loads((DATA / "taxonomy.json").read_text(encoding="utf-8"))
    for model_name, key in [("Capability", "capabilities"), ("Certification", "certifications")]:
        model = apps.get_model("taxonomy", model_name)
        for row in taxonomy[key]:
            if row.get("group"):
                model.objects.filter(slug=row["slug"]).update(group=row["group"])


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_load_taxonomy")]

    operations = [
        migrations.AddField(
            model_name="capability",
            name="group",
            field=models.CharField(
                choices=[
                    ("forming", "Machining and forming"),
                    ("finishing", "Finishing and joining"),
                    ("electronics", "Electronics"),
                    ("assembly", "Assembly and clean manufacturing"),
                    ("automation", "Automation and software"),
                    ("engineering", "Engineering, testing and materials"),
                    ("trade", "Distribution and logistics"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="certification",
            name="group",
            field=models.CharField(
                choices=[
                    ("management", "Management systems"),
                    ("process", "Processes and safety"),
                    ("product", "Product approvals and marks"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=20,
                verbose_name="group",
            ),
        ),
        migrations.RunPython(load_groups, migrations.RunPython.noop),
    ]
