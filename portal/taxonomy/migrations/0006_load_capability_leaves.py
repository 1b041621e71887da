"""Load the second level of the taxonomy (portal/taxonomy/data/taxonomy_leaves.json) as capabilities."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
NAMES = ("name_en", "name_th", "name_ja")


def load_leaves(apps, schema_editor):
    """The second level from portal/taxonomy/data/taxonomy_leaves.json, as capabilities under their parent
    (materials groups first, without a parent). Idempotent: existing terms and links are kept."""
    data = json.loads((DATA / "taxonomy_leaves.json").read_text(encoding="utf-8"))
    Capability = apps.get_model("taxonomy", "Capability")
    position = (Capability.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    for group in data["groups"]:
        Capability.objects.update_or_create(
            slug=group["slug"],
            defaults={**{k: group[k] for k in NAMES}, "kind": group["kind"], "group": "engineering",
                      "position": position},
        )  # fmt: skip
        position += 1
    parents = {term.slug: term for term in Capability.objects.all()}
    for leaf in data["leaves"]:
        parent = parents[leaf["parent"]]
        Capability.objects.update_or_create(
            slug=leaf["slug"],
            defaults={**{k: leaf[k] for k in NAMES}, "kind": leaf["kind"], "parent": parent,
                      "group": parent.group, "position": position},
        )  # fmt: skip
        position += 1


def unload_leaves(apps, schema_editor):
    Capability = apps.get_model("taxonomy", "Capability")
    Capability.objects.exclude(parent=None).delete()
    Capability.objects.exclude(kind="").delete()



class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0005_capability_leaves")]

    operations = [migrations.RunPython(load_leaves, unload_leaves)]
