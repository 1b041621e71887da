"""Synthetic companies for benchmarks (``seed_demo --scale N``): reproducible, valid, importer-shaped rows."""

import random

from stdnum.jp import cn as jp_cn
from stdnum.th import moa as th_moa

from portal.companies.importer import COLUMNS
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

SEED = 2017


def thai_number(n: int) -> str:
    base = f"0{90000000000 + n:011d}"  # 0 9xxxxxxxxxx: far from real and demo numbers
    return base + th_moa.calc_check_digit(base)


def japanese_number(n: int) -> str:
    base = f"{900000000000 + n:012d}"
    return jp_cn.calc_check_digit(base) + base


def synthetic_rows(per_country: int, *, seed: int = SEED) -> list[tuple[int, dict[str, str]]]:
    """``per_country`` Thai and as many Japanese companies, as (line, {column: text}) for the importer."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    industries = list(Industry.objects.all())
    focus = [industry for industry in industries if industry.is_focus]
    capabilities = list(Capability.objects.filter(kind=""))  # first level, as before the leaves
    certifications = [c.slug for c in Certification.objects.all()]
    looking_for = [term.slug for term in LookingFor.objects.all()]
    regions = {country: [r.code for r in Region.objects.filter(country=country)] for country in ("TH", "JP")}
    rows = []
    line = 2
    for country in ("TH", "JP"):
        for n in range(1, per_country + 1):
            chosen_industries = rng.sample(focus, k=1) + rng.sample(industries, k=rng.randint(0, 1))
            chosen_capabilities = rng.sample(capabilities, k=rng.randint(1, 4))
            language = "th" if country == "TH" else "ja"
            names = ", ".join(getattr(c, f"name_{language}") for c in chosen_capabilities)
            text = {
                "th": f"ผู้ผลิตและผู้ให้บริการด้าน {names} สำหรับอุตสาหกรรม "
                + ", ".join(i.name_th for i in chosen_industries),
                "ja": f"{names}を得意とする"
                + "・".join(i.name_ja for i in chosen_industries)
                + "分野の中小企業です。",
            }[language]
            english = (
                "Supplier of "
                + ", ".join(c.name_en.lower() for c in chosen_capabilities)
                + " for "
                + ", ".join(i.name_en.lower() for i in chosen_industries)
            )
            cells = dict.fromkeys(COLUMNS, "")
            cells.update(
                external_id=f"{country}-SYN-{n:06d}",
                country=country,
                name_en=f"Synthetic {country} Industries {n:06d} Co., Ltd.",
                registration_no=thai_number(n) if country == "TH" else japanese_number(n),
                sector="manufacturing",
                region=rng.choice(regions[country]),
                employees=str(rng.randint(5, 400)),
                annual_revenue=str(rng.randint(2, 800) * 1_000_000) if country == "TH" else "",
                capital=str(rng.randint(10, 400) * 1_000_000) if country == "JP" else "",
                currency="THB" if country == "TH" else "JPY",
                founded=str(rng.randint(1960, 2020)),
                industries=";".join(dict.fromkeys(i.slug for i in chosen_industries)),
                capabilities=";".join(c.slug for c in chosen_capabilities),
                certifications=";".join(
                    f"{slug}:{rng.randint(2024, 2030)}-{rng.randint(1, 12):02d}-28"
                    for slug in rng.sample(certifications, k=rng.randint(0, 3))
                ),
                seeking=";".join(c.slug for c in rng.sample(capabilities, k=rng.randint(0, 3))),
                requires=";".join(rng.sample(certifications, k=rng.randint(0, 1))),
                looking_for=";".join(rng.sample(looking_for, k=rng.randint(1, 2))),
                languages="th;en" if country == "TH" else "ja",
                description_en=english if rng.random() < 0.5 else "",
                **{f"description_{language}": text},
            )
            rows.append((line, cells))
            line += 1
    return rows
