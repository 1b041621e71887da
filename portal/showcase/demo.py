"""Demo showcases (``seed_demo``): every demo company gets a logo and 1–4 products with pictures drawn here
by Pillow (shapes marked DEMO, without words: the same picture serves a Thai, a Japanese and an English
page, whose product names and captions say what it shows; nothing is downloaded). Deterministic: the same
company always gets the same products and the same pixels. Idempotent: a company that has products or a
logo keeps them."""

import io
import random
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from portal.companies.models import Company
from portal.companies.services import company_update_profile
from portal.showcase.services import photo_add, product_create

PALETTE = [(11, 79, 138), (184, 50, 44), (31, 122, 58), (138, 90, 0), (90, 60, 140), (20, 120, 130)]
SUFFIX = {"en": "demo product", "th": "สินค้าตัวอย่าง", "ja": "デモ製品"}


def _rng(key: str) -> random.Random:
    return random.Random(zlib.crc32(key.encode()))  # noqa: S311 - demo pictures, not secrets


def _font(size: int):
    return ImageFont.load_default(size=size)


def _png(image: Image.Image, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def draw_logo(company: Company) -> SimpleUploadedFile:
    rng = _rng(f"logo:{company.external_id or company.pk}")
    color = rng.choice(PALETTE)
    image = Image.new("RGB", (256, 256), "white")
    draw = ImageDraw.Draw(image)
    if rng.random() < 0.5:
        draw.ellipse((16, 16, 240, 240), fill=color)
    else:
        draw.rounded_rectangle((16, 16, 240, 240), radius=40, fill=color)
    draw.text((128, 128), company.initials or "?", fill="white", font=_font(96), anchor="mm")
    return _png(image, "logo.png")


def draw_product(label: str, key: str, index: int) -> SimpleUploadedFile:
    """A picture of the product ``label`` (its English name): its background colour follows the name, so
    the products of one kind look alike from company to company; its shapes follow ``key`` and ``index``.
    No words but DEMO: the page names the product in the reader's language."""
    rng = _rng(f"{key}:{index}")
    background = tuple(min(255, 200 + c // 5) for c in _rng(label).choice(PALETTE))
    image = Image.new("RGB", (800, 600), background)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randint(40, 600), rng.randint(40, 380)
        w, h = rng.randint(80, 220), rng.randint(80, 200)
        color = rng.choice(PALETTE)
        shape = rng.choice(["ellipse", "rectangle", "polygon"])
        if shape == "ellipse":
            draw.ellipse((x, y, x + w, y + h), fill=color)
        elif shape == "rectangle":
            draw.rectangle((x, y, x + w, y + h), fill=color)
        else:
            draw.polygon([(x, y + h), (x + w // 2, y), (x + w, y + h)], fill=color)
    draw.rectangle((0, 500, 800, 600), fill=(255, 255, 255))
    draw.text((776, 550), "DEMO", fill=(184, 50, 44), font=_font(34), anchor="rm")
    return _png(image, f"demo-{index}.png")


def _product_fields(company: Company, capability, rng: random.Random) -> dict:
    """Names, descriptions and specifications in the three languages (a demo page reads in any of them)."""
    maker = {code: getattr(company, f"name_{code}") or company.display_name() for code in ("en", "th", "ja")}
    term = {code: getattr(capability, f"name_{code}") or capability.name_en for code in ("en", "th", "ja")}
    fields = {f"name_{code}": f"{term[code]} – {SUFFIX[code]}" for code in ("en", "th", "ja")}
    fields["description_en"] = f"Synthetic demo item: {term['en'].lower()} by {maker['en'].rstrip('.')}."
    fields["description_th"] = f"สินค้าตัวอย่างสำหรับการสาธิต: {term['th']} โดย {maker['th']}"
    fields["description_ja"] = f"デモ用のサンプル品：{term['ja']}（{maker['ja']}）"
    tolerance, lot = rng.choice(["0.005", "0.01", "0.05"]), rng.choice([50, 100, 500])
    fields["specs_en"] = f"Tolerance ±{tolerance} mm\nLot size from {lot}"
    fields["specs_th"] = f"ค่าพิกัดความเผื่อ ±{tolerance} มม.\nจำนวนสั่งผลิตขั้นต่ำ {lot} ชิ้น"
    fields["specs_ja"] = f"公差 ±{tolerance} mm\n最小ロット {lot} 個"
    return fields


@transaction.atomic
def showcase_demo_seed(companies=None) -> int:
    """Logos and products for the demo companies that have none yet; returns the number of products made."""
    made = 0
    companies = companies if companies is not None else Company.objects.filter(external_id__contains="-DEMO-")
    for company in companies.order_by("pk").prefetch_related("capabilities", "industries"):
        if not company.logo:
            company_update_profile(company=company, logo=draw_logo(company))
        if company.products.exists():
            continue
        rng = _rng(f"products:{company.external_id or company.pk}")
        capabilities = sorted(company.capabilities.all(), key=lambda term: term.slug)
        if not capabilities:
            continue
        count = min(len(capabilities), rng.randint(1, 4))
        industries = list(company.industries.all())[:1]
        for index, capability in enumerate(rng.sample(capabilities, count)):
            product = product_create(
                company=company,
                capabilities=[capability],
                industries=industries,
                **_product_fields(company, capability, rng),
            )
            for photo in range(rng.randint(1, 2)):
                photo_add(
                    product=product,
                    upload=draw_product(capability.name_en, f"{company.external_id}:{index}", photo),
                    caption_en=f"{capability.name_en} (synthetic picture)",
                    caption_th="ภาพสังเคราะห์สำหรับการสาธิต",
                    caption_ja="デモ用の合成画像",
                )
            made += 1
    return made
