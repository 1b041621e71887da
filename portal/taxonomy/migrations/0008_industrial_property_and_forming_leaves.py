"""Load what portal/taxonomy/data/taxonomy_leaves.json added in its version 3: the group of industrial
estates and factory space with its leaf "ready-built factories for rent or sale" (what an industrial estate
offers a company that looks for an investment site), and "flow forming and metal spinning" and "stretch
forming and hydroforming" under sheet metal.
The loader of migration 0006 is idempotent: existing terms and links are kept, new ones added."""

import importlib

from django.db import migrations

_loading = importlib.import_module("portal.taxonomy.migrations.0006_load_capability_leaves")


def unload_new_leaves(apps, schema_editor):
    """Nothing to undo: 0006's reversal removes every leaf, these included."""


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0007_more_capability_leaves")]

    operations = [migrations.RunPython(_loading.load_leaves, unload_new_leaves)]
