"""The report's Thai survives the PDF (its text layer gives back what was written, SARA AM included) and the
radar chart's labels are text laid out as text, each inside the figure."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from shindan import charts, services
from shindan.models import ChecklistArea

pytestmark = pytest.mark.django_db

WRITTEN = "ลดการใช้น้ำและไฟฟ้า ทำกำไรเพิ่มขึ้น จำกัดของเสีย ค่ำนี้ ก้าน การ"


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_thai_pdf_text_layer_gives_back_the_written_thai(client, world):
    diagnosis, consultant = world["diagnosis"], world["users"]["assigned_consultant"]
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="wording")
    services.diagnosis_update(actor=consultant, diagnosis=diagnosis, conclusion=WRITTEN)
    services.revision_issue(actor=consultant, diagnosis=diagnosis)
    client.force_login(world["users"]["owner"])

    text = _pdf_text(client.get(reverse("shindan:report_pdf", args=[diagnosis.pk]) + "?lang=th"))

    assert "รายงานการวินิจฉัย: บริษัท สยามพรีซิชั่น จำกัด" in text
    assert WRITTEN in text
    assert "อัตรากำไรขั้นต้น" in text  # a ratio label, after "การ" has been used many times
    for area in ChecklistArea.objects.filter(checklist=diagnosis.checklist):
        # The chart's label (every item scored 3 → 50), not the table's "50.0".
        assert re.search(re.escape(area.title_in("th")) + r" 50(?![.\d])", text), area.code
    assert "\u25cc" not in text  # no dotted circle


def test_japanese_pdf_chart_labels_come_back_whole(client, world):
    client.force_login(world["users"]["owner"])

    text = _pdf_text(client.get(reverse("shindan:report_pdf", args=[world["diagnosis"].pk]) + "?lang=ja"))

    for area in ChecklistArea.objects.filter(checklist=world["diagnosis"].checklist):
        assert re.search(re.escape(area.title_in("ja")) + r" 50(?![.\d])", text), area.code


LONG = "กฎหมายและการปฏิบัติตามกฎระเบียบและมาตรฐานสากลทั้งหมดของอุตสาหกรรม"


@pytest.mark.parametrize("count", [3, 5, 7, 8, 10])
def test_radar_labels_are_html_text_each_inside_the_figure(count):
    html = charts.radar(
        [f"{LONG} {index}" for index in range(count)],
        [Decimal(50)] * count,
        [Decimal(40)] * count,
        title="Area scores",
        current_label="This diagnosis",
        previous_label="Previous diagnosis",
    )

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg  # WeasyPrint lays SVG text out letter by letter: no Thai in there
    labels = re.findall(r'<p class="radar-label" style="([^"]*)">([^<]*) <strong>50</strong></p>', html)
    assert [name for _style, name in labels] == [f"{LONG} {index}" for index in range(count)]
    for style, _name in labels:
        box = dict(re.findall(r"(left|right|width):([\d.]+)%", style))
        start = float(box["left"]) if "left" in box else 100 - float(box["right"]) - float(box["width"])
        assert start >= 0, style
        assert start + float(box["width"]) <= 100.001, style
        assert float(box["width"]) >= 20, style  # room for a word or two per line, then it wraps


def test_the_report_says_when_its_text_is_not_in_the_readers_language(client, world):
    diagnosis, consultant = world["diagnosis"], world["users"]["assigned_consultant"]
    services.revision_open(actor=consultant, diagnosis=diagnosis, reason="wording")
    services.diagnosis_update(actor=consultant, diagnosis=diagnosis, purpose=WRITTEN, conclusion=WRITTEN)
    services.revision_issue(actor=consultant, diagnosis=diagnosis)
    client.force_login(world["users"]["owner"])
    url = reverse("shindan:report", args=[diagnosis.pk])

    japanese = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    thai = client.get(url, HTTP_ACCEPT_LANGUAGE="th").content.decode()

    assert "本文はコンサルタントがタイ語で記述しています。" in japanese
    assert "ที่ปรึกษาเขียนเนื้อหารายงานนี้เป็น" not in thai  # written in the reader's language: nothing to say


def test_chart_scores_round_halves_up_as_the_report_table_reads_them():
    """62.5 is shown as 63 beside 20.5 as 21: half up, never to the even neighbour (Python's format)."""
    html = charts.radar(
        ["Strategy", "Finance", "Legal"],
        [Decimal("62.5"), Decimal("20.5"), Decimal("20.4")],
        None,
        title="Area scores",
        current_label="This diagnosis",
        previous_label="Previous diagnosis",
    )

    shown = re.findall(r'<p class="radar-label"[^>]*>[^<]* <strong>([^<]*)</strong></p>', html)
    assert shown == ["63", "21", "20"]


def test_an_area_without_a_score_is_no_point_of_the_radar_not_a_zero():
    html = charts.radar(
        ["Strategy", "Finance", "Legal", "IT"],
        [Decimal(50), Decimal(60), None, Decimal(70)],
        [Decimal(40), None, Decimal(30), Decimal(20)],
        title="Area scores",
        current_label="This diagnosis",
        previous_label="Previous diagnosis",
    )

    current, previous = (
        re.search(rf'<polygon points="([^"]*)" fill="{colour}"', html).group(1).split()
        for colour in (charts.CURRENT_COLOUR, charts.PREVIOUS_COLOUR)
    )
    centre = (
        f"{charts.RADAR_WIDTH / 2:.1f},{charts.LABEL_ROOM_TOP + charts.RADAR_RADIUS + charts.RADAR_GAP:.1f}"
    )
    assert len(current) == len(previous) == 3
    assert centre not in current + previous
    assert "Legal <strong>–</strong>" in html
