"""Checklists as data: the JSON format DIP uses to load its forms, validated before anything is written.

Format (``shindan/data/checklist_default.json`` is the default, version 1)::

    {"code": "dip-shindan", "version": 1, "title": {"en": …, "th": …, "ja": …},
     "areas": [{"code": "STRATEGY", "title": {…},
                "items": [{"code": "STRATEGY-01", "text": {…}, "guidance": {…},
                           "descriptors": {"1": {…}, "3": {…}, "5": {…}}}]}]}

The loader takes the model classes as arguments so the data migration (historical models) and the
coordinators' upload (``services.checklist_import``) share it.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "checklist_default.json"
AREA_CODES = ("STRATEGY", "ORG_HR", "MARKETING", "PRODUCTION", "FINANCE", "IT", "LEGAL")
LANGUAGES = ("en", "th", "ja")
DESCRIPTOR_LEVELS = ("1", "3", "5")


def load_default() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def _texts_errors(value, where: str, required: bool = True) -> list[str]:
    if not isinstance(value, dict):
        return [_("%(where)s: expected texts in en, th and ja.") % {"where": where}]
    if required and not str(value.get("en", "")).strip():
        return [_("%(where)s: the English text is missing.") % {"where": where}]
    if any(not isinstance(text, str) for text in value.values()):
        return [_("%(where)s: texts must be strings.") % {"where": where}]
    return []


def validate(data) -> None:
    """Raise ``ValidationError`` listing every problem of a checklist document."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(_("The checklist must be a JSON object."))
    if not str(data.get("code", "")).strip():
        errors.append(_("The checklist has no code."))
    errors += _texts_errors(data.get("title"), _("Title"))
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas:
        errors.append(_("The checklist has no areas."))
        areas = []
    seen_areas, seen_items = set(), set()
    for area in areas:
        code = area.get("code") if isinstance(area, dict) else None
        if code not in AREA_CODES:
            errors.append(_("Unknown area %(code)s.") % {"code": code})
            continue
        if code in seen_areas:
            errors.append(_("Area %(code)s appears twice.") % {"code": code})
        seen_areas.add(code)
        errors += _texts_errors(area.get("title"), code)
        items = area.get("items")
        if not isinstance(items, list) or not items:
            errors.append(_("Area %(code)s has no items.") % {"code": code})
            continue
        for item in items:
            item_code = str(item.get("code", "")).strip() if isinstance(item, dict) else ""
            if not item_code:
                errors.append(_("An item of area %(code)s has no code.") % {"code": code})
                continue
            if item_code in seen_items:
                errors.append(_("Item %(code)s appears twice.") % {"code": item_code})
            seen_items.add(item_code)
            errors += _texts_errors(item.get("text"), item_code)
            if "guidance" in item:
                errors += _texts_errors(item["guidance"], item_code, required=False)
            descriptors = item.get("descriptors")
            if not isinstance(descriptors, dict) or any(
                level not in descriptors for level in DESCRIPTOR_LEVELS
            ):
                errors.append(_("Item %(code)s needs descriptors for 1, 3 and 5.") % {"code": item_code})
            else:
                for level in DESCRIPTOR_LEVELS:
                    errors += _texts_errors(descriptors[level], f"{item_code} ({level})")
    if errors:
        raise ValidationError(errors)


def create_checklist(data: dict, *, models, version: int, published_at=None, created_by=None):
    """Write a validated document as checklist ``version``; ``models`` has Checklist, ChecklistArea and
    ChecklistItem attributes (the app registry's models or a migration's historical ones)."""
    checklist = models.Checklist.objects.create(
        code=data["code"],
        version=version,
        title=data["title"],
        published_at=published_at,
        created_by=created_by,
    )
    order = {code: index for index, code in enumerate(AREA_CODES)}
    items = []
    for area_data in data["areas"]:
        area = models.ChecklistArea.objects.create(
            checklist=checklist,
            code=area_data["code"],
            position=order[area_data["code"]],
            title=area_data["title"],
        )
        items += [
            models.ChecklistItem(
                area=area,
                code=item["code"],
                position=position,
                text=item["text"],
                guidance=item.get("guidance", {}),
                descriptors={level: item["descriptors"][level] for level in DESCRIPTOR_LEVELS},
            )
            for position, item in enumerate(area_data["items"])
        ]
    models.ChecklistItem.objects.bulk_create(items)
    return checklist
