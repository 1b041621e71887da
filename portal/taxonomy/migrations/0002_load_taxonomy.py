"""Load the taxonomy and regions from portal/taxonomy/data/*.json (data, not code). Idempotent."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
NAMES = ("name_en", "name_th", "name_ja")


def load(apps, schema_editor):
    taxonomy = json.loads((DATA / "taxonomy.json").read_text(encoding="utf-8"))
    Industry = apps.get_model("taxonomy", "Industry")
    for position, row in enumerate(taxonomy["industries"]):
        Industry.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **{key: row[key] for key in NAMES},
                "isic_codes": ",".join(row["isic"]),
                "is_focus": row["focus"],
                "position": position,
            },
        )
    for model_name, key in [("Capability", "capabilities"), ("LookingFor", "looking_for")]:
        model = apps.get_model("taxonomy", model_name)
        for position, row in enumerate(taxonomy[key]):
            model.objects.update_or_create(
                slug=row["slug"], defaults={**{k: row[k] for k in NAMES}, "position": position}
            )
    Certification = apps.get_model("taxonomy", "Certification")
    for position, row in enumerate(taxonomy["certifications"]):
        Certification.objects.update_or_create(
            slug=row["slug"], defaults={**{k: row[k] for k in NAMES}, "position": position}
        )
    for row in taxonomy["certifications"]:
        if row.get("equivalent_to"):
            Certification.objects.filter(slug=row["slug"]).update(
                equivalent_to=Certification.objects.get(slug=row["equivalent_to"])
            )
    Region = apps.get_model("taxonomy", "Region")
    for row in json.loads((DATA / "regions.json").read_text(encoding="utf-8")):
        Region.objects.update_or_create(
            code=row["code"], defaults={"country": row["country"], **{k: row[k] for k in NAMES}}
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
