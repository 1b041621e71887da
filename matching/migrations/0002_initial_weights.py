from django.db import migrations


def create(apps, schema_editor):
    Weights = apps.get_model("matching", "MatchingWeights")
    if not Weights.objects.exists():
        Weights.objects.create(note="Initial weights")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
