"""Load the leaves and groups added to portal/taxonomy/data/taxonomy_leaves.json in its version 2 (products
and trades of the industries the first version hardly named: EV components, medical and care equipment,
food and agri products, cosmetics, electronics products, education kits). The loader of migration 0006 is
idempotent: existing terms and links are kept, new ones added."""

import importlib

from django.db import migrations

_loading = importlib.import_module("portal.taxonomy.migrations.0006_load_capability_leaves")


def unload_new_leaves(apps, schema_editor):
    """Nothing to undo: 0006's reversal removes every leaf, these included."""


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0006_load_capability_leaves")]

    operations = [migrations.RunPython(_loading.load_leaves, unload_new_leaves)]
