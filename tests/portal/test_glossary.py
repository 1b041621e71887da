"""One term, one translation: every catalogue entry that uses a term of docs/glossary.md uses its
translation; Thai addresses the reader as ท่าน."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\{[^}]*\}\}")
THAI_YOU = re.compile(r"(?<!ขอบ)คุณ(?!ภาพ|วุฒิ|สมบัติ|ค่า|ลักษณะ)")


def glossary() -> list[dict[str, str]]:
    rows = []
    for line in (ROOT / "docs" / "glossary.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "") and not set(cells[0]) <= {"-"}:
            rows.append(dict(zip(("en", "th", "ja", "note"), cells, strict=True)))
    return rows


def _entries(language: str) -> list[polib.POEntry]:
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    return [entry for entry in catalogue if not entry.obsolete]


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_glossary_has_the_terms_of_the_issue():
    terms = {row["en"] for row in glossary()}
    assert {
        "ordinary profit",
        "delegation",
        "exhibitor",
        "Strategy",
        "Finance",
        "Requested",
        "Reported",
    } <= terms
    assert all(row["th"] and row["ja"] for row in glossary())


@pytest.mark.parametrize("language", ["th", "ja"])
def test_every_entry_uses_the_glossary_translation_of_its_terms(language):
    entries = _entries(language)
    violations = []
    for row in glossary():
        wanted = row[language]
        if row["note"].startswith(("Shindan area", "Shindan stage")):  # a name: the whole entry is it
            exact = [e for e in entries if e.msgid == row["en"] and not e.msgctxt]
            assert exact, f"{row['en']!r} is in no catalogue entry"
            violations += [(row["en"], e.msgid, e.msgstr) for e in exact if e.msgstr != wanted]
            continue
        term = re.compile(rf"(?<![A-Za-z]){re.escape(row['en'])}(?![A-Za-z])", re.IGNORECASE)
        for entry in entries:
            if term.search(PLACEHOLDER.sub(" ", entry.msgid)) and not all(
                wanted in text for text in _translations(entry)
            ):
                violations.append((row["en"], entry.msgid, _translations(entry)[0]))
    assert violations == []


def test_thai_addresses_the_reader_as_than_never_khun():
    offenders = [e.msgid for e in _entries("th") if any(THAI_YOU.search(t) for t in _translations(e))]
    assert offenders == []
