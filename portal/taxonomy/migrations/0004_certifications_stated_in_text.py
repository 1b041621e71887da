"""Certifications that companies state in their texts and the taxonomy lacked (issue 18): JIS Q 13485
(≡ ISO 13485), GMP, HACCP, ISO 22000 / FSSC 22000, Halal, US FDA 510(k), ISO/IEC 27001, ISO/IEC 17025.
The rows are the ``proposed`` ones of matching/data/certificate_patterns.json. Idempotent; reversible.
"""

from django.db import migrations

ADDED = [
    {
        "slug": "jis-q-13485",
        "name_en": "JIS Q 13485 (medical device quality management, Japan)",
        "name_th": "JIS Q 13485 (ระบบบริหารงานคุณภาพเครื่องมือแพทย์ มาตรฐานญี่ปุ่น)",
        "name_ja": "JIS Q 13485（医療機器品質マネジメント）",
        "equivalent_to": "iso-13485",
        "group": "management",
    },
    {
        "slug": "gmp",
        "name_en": "GMP (good manufacturing practice)",
        "name_th": "GMP (หลักเกณฑ์วิธีการที่ดีในการผลิต)",
        "name_ja": "GMP（適正製造規範）",
        "equivalent_to": None,
        "group": "process",
    },
    {
        "slug": "haccp",
        "name_en": "HACCP",
        "name_th": "HACCP (ระบบการวิเคราะห์อันตรายและจุดวิกฤตที่ต้องควบคุม)",
        "name_ja": "HACCP（危害分析重要管理点）",
        "equivalent_to": None,
        "group": "process",
    },
    {
        "slug": "iso-22000",
        "name_en": "ISO 22000 / FSSC 22000 (food safety management)",
        "name_th": "ISO 22000 / FSSC 22000 (ระบบการจัดการความปลอดภัยของอาหาร)",
        "name_ja": "ISO 22000・FSSC 22000（食品安全マネジメント）",
        "equivalent_to": None,
        "group": "management",
    },
    {
        "slug": "halal",
        "name_en": "Halal certification",
        "name_th": "เครื่องหมายรับรองฮาลาล",
        "name_ja": "ハラール認証",
        "equivalent_to": None,
        "group": "product",
    },
    {
        "slug": "fda-510k",
        "name_en": "US FDA 510(k) clearance / registration",
        "name_th": "การรับรอง FDA สหรัฐอเมริกา (510(k))",
        "name_ja": "米国FDA 510(k)",
        "equivalent_to": None,
        "group": "product",
    },
    {
        "slug": "iso-27001",
        "name_en": "ISO/IEC 27001 (information security)",
        "name_th": "ISO/IEC 27001 (ระบบบริหารจัดการความมั่นคงปลอดภัยสารสนเทศ)",
        "name_ja": "ISO/IEC 27001（ISMS）",
        "equivalent_to": None,
        "group": "management",
    },
    {
        "slug": "iso-17025",
        "name_en": "ISO/IEC 17025 (testing and calibration laboratories)",
        "name_th": "ISO/IEC 17025 (ห้องปฏิบัติการทดสอบและสอบเทียบ)",
        "name_ja": "ISO/IEC 17025（試験所・校正機関）",
        "equivalent_to": None,
        "group": "management",
    },
]


def load(apps, schema_editor):
    Certification = apps.get_model("taxonomy", "Certification")
    last = Certification.objects.order_by("-position").values_list("position", flat=True).first() or 0
    for offset, row in enumerate(ADDED, start=1):
        Certification.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **{key: row[key] for key in ("name_en", "name_th", "name_ja", "group")},
                "position": last + offset,
            },
        )
    for row in ADDED:
        if row["equivalent_to"]:
            Certification.objects.filter(slug=row["slug"]).update(
                equivalent_to=Certification.objects.get(slug=row["equivalent_to"])
            )


def unload(apps, schema_editor):
    apps.get_model("taxonomy", "Certification").objects.filter(
        slug__in=[row["slug"] for row in ADDED]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_term_groups")]

    operations = [migrations.RunPython(load, unload)]
