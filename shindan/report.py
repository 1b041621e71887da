"""The diagnosis report (the sections of docs/domain.md "Shindan") as an HTML page and a PDF (WeasyPrint).

The PDF embeds the portal's own Noto Sans Thai / Noto Sans JP (``portal.core.pdf``: nothing from the
internet, no system fonts needed), so Thai and Japanese text renders on any server."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from portal.core.i18n import detect_language, language_name
from portal.core.pdf import font_faces
from shindan import charts, selectors
from shindan.labels import GROUP_LABELS
from shindan.models import AREA_ORDER, Area, Diagnosis, FindingKind

REPORT_LANGUAGES = ("en", "th", "ja")


def report_language(requested: str | None, fallback: str | None) -> str:
    for candidate in (requested, fallback, settings.LANGUAGE_CODE):
        if candidate and candidate[:2] in REPORT_LANGUAGES:
            return candidate[:2]
    return "en"


def report_context(diagnosis: Diagnosis, language: str) -> dict:
    """Everything the report shows, computed in ``language`` (call inside ``translation.override``)."""
    areas = list(selectors.checklist_areas(diagnosis))
    scores = {row.item_id: row for row in diagnosis.item_scores.all()}
    previous = selectors.previous_reported(diagnosis)
    area_rows = []
    for area in areas:
        current = diagnosis.area_scores.get(area.code)
        before = previous.area_scores.get(area.code) if previous else None
        area_rows.append(
            {
                "code": area.code,
                "title": area.title_in(language),
                "score": Decimal(current) if current is not None else None,
                "previous": Decimal(before) if before is not None else None,
                "items": [(item, scores.get(item.pk)) for item in area.items.all()],
            }
        )
    radar = charts.radar(
        [row["title"] for row in area_rows],
        [row["score"] for row in area_rows],
        [row["previous"] for row in area_rows] if previous else None,
        title=_("Area scores"),
        current_label=_("This diagnosis"),
        previous_label=_("Previous diagnosis") if previous else "",
    )
    ratio_rows = selectors.financial_analysis(diagnosis)
    ratio_groups = defaultdict(list)
    for row in ratio_rows:
        ratio_groups[row.group].append(row)
    years = [year for year, _value in ratio_rows[0].values] if ratio_rows else []
    findings = defaultdict(list)
    for finding in diagnosis.findings.all():
        findings[finding.kind].append(finding)
    recommendations = defaultdict(list)
    for recommendation in diagnosis.recommendations.all():
        recommendations[recommendation.area].append(recommendation)
    written = [diagnosis.purpose, diagnosis.overview, diagnosis.external_analysis, diagnosis.conclusion]
    written += [finding.text for found in findings.values() for finding in found]
    written_in = detect_language(" ".join(written), default=language)
    return {
        "diagnosis": diagnosis,
        "company": diagnosis.company,
        "language": language,
        # The consultants' own text is as they wrote it: when that is not the reader's language, the
        # report says so (its headings, labels and figures are in the reader's language).
        "written_in": language_name(written_in) if written_in != language[:2] else "",
        "areas": area_rows,
        "previous": previous,
        "radar": radar,
        "years": years,
        "negative_equity": selectors.negative_equity_years(ratio_rows),
        "ratio_groups": [(GROUP_LABELS[group], rows) for group, rows in ratio_groups.items()],
        "swot": [(kind, label, findings.get(kind, [])) for kind, label in FindingKind.choices],
        "recommendations": [
            (Area(code).label, recommendations[code]) for code in AREA_ORDER if recommendations.get(code)
        ],
        "actions": list(diagnosis.actions.all()),
        "interviewees": list(diagnosis.interviewees.all()),
        "consultants": list(diagnosis.consultants.all()),
        "revision": diagnosis.revisions.order_by("-number").first() if diagnosis.revision else None,
    }


def render_pdf(diagnosis: Diagnosis, language: str) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is only needed for PDFs

    with translation.override(language):
        context = {**report_context(diagnosis, language), "font_faces": font_faces(), "for_pdf": True}
        html = render_to_string("shindan/report_pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
