"""Load the default DIP Shindan checklist (shindan/data/checklist_default.json) as a published version.
Idempotent: an existing (code, version) is left as it is."""

import json
from pathlib import Path
from types import SimpleNamespace

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data" / "checklist_default.json"


def load(apps, schema_editor):
    from shindan.checklists import create_checklist, validate

    models = SimpleNamespace(
        Checklist=apps.get_model("shindan", "Checklist"),
        ChecklistArea=apps.get_model("shindan", "ChecklistArea"),
        ChecklistItem=apps.get_model("shindan", "ChecklistItem"),
    )
    data = json.loads(DATA.read_text(encoding="utf-8"))
    validate(data)
    if models.Checklist.objects.filter(code=data["code"], version=data["version"]).exists():
        return
    create_checklist(data, models=models, version=data["version"], published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("shindan", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
