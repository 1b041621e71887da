"""Synthetic companies that cluster as a real directory does, for benchmarks and tests (pure, seeded).

How they are distributed: as in the demo directory (``portal/core/demo_data/companies.json``: 70 companies,
3 in 5 with one industry and the rest with two, the industries' counts falling off roughly as 1/k:
22, 22, 16, 12, 9, 6, 4, 3, 2, 2), most SMEs sit in one value chain and trade inside it. Unlike the uniform
draws of ``portal/core/synthetic.py`` (every pair of companies about as likely to match):

* The industries are cut into ``CHAINS`` value chains of consecutive industries (automotive parts,
  electronics, medical devices, food, …). A company belongs to one chain, drawn with Zipf-like weights
  (the k-th chain has weight 1/k: a few big chains, a long tail), as automotive dominates Thai SMEs.
* It has 1–2 industries of its chain, and with probability 0.1 one more from anywhere.
* Each chain has its own slice of the capabilities (what its suppliers do); a company offers 1–4 of its
  chain's (each, with probability 0.1, from anywhere instead) and seeks 0–3, also from its chain.
* Roles (supplier, customer, …) are drawn uniformly: they carry no cluster.
* Required certificates: with probability 0.3 one of its chain's; held: 0–3, seven in ten its chain's.
* Languages: the country's own, and English with probability 0.5; sizes and EEC location uniform/0.3.
* Text: 5–30 words, three in four from its chain's words, the rest from words every chain uses; and 0–4
  concepts read from it (the text's language-neutral part), drawn like the capabilities.
"""

from __future__ import annotations

import random

from matching.scoring.core import CompanyFeatures, Vocabulary

CHAINS = 8
COMMON_WORDS = ["manufacturing", "quality", "export", "ผู้ผลิต", "คุณภาพ", "製造", "品質", "supplier", "factory"]
CHAIN_WORDS = [
    ["machining", "molding", "ชิ้นส่วนรถยนต์", "自動車部品", "stamping"],
    ["pcb", "electronics", "แผงวงจร", "電子部品", "soldering"],
    ["medical", "sterilization", "เครื่องมือแพทย์", "医療機器", "cleanroom"],
    ["food", "packaging", "อาหาร", "食品", "hygiene"],
    ["robot", "automation", "หุ่นยนต์", "ロボット", "integration"],
    ["aerospace", "航空機", "อากาศยาน", "titanium", "inspection"],
    ["textile", "sewing", "สิ่งทอ", "繊維", "dyeing"],
    ["plastic", "ฉีดพลาสติก", "金型", "แม่พิมพ์", "resin"],
]


def _slices(items: tuple[str, ...], parts: int) -> list[list[str]]:
    """``items`` cut into ``parts`` consecutive slices (each at least one item, wrapping if too few)."""
    size = max(1, len(items) // parts)
    return [list(items[(part * size) % len(items) :][:size]) or [items[0]] for part in range(parts)]


def clustered_features(
    n: int, *, id_offset: int, country: str, vocabulary: Vocabulary, rng: random.Random
) -> list[CompanyFeatures]:
    """``n`` companies of ``country`` ("TH" or "JP") with ids from ``id_offset``, as the docstring says."""
    industries = _slices(vocabulary.industries, CHAINS)
    capabilities = _slices(vocabulary.capabilities, CHAINS)
    certifications = _slices(vocabulary.certifications, CHAINS)
    weights = [1 / (chain + 1) for chain in range(CHAINS)]
    own_language = "th" if country == "TH" else "ja"
    result = []
    for index in range(n):
        chain = rng.choices(range(CHAINS), weights)[0]

        def from_chain(pool, chain_pool, count, stray=0.1):
            chosen = set()
            for _ in range(count):
                chosen.add(rng.choice(pool if rng.random() < stray else chain_pool))
            return frozenset(chosen)

        chosen_industries = from_chain(vocabulary.industries, industries[chain], rng.randint(1, 2), stray=0.0)
        if rng.random() < 0.1:
            chosen_industries |= {rng.choice(vocabulary.industries)}
        words = [
            rng.choice(CHAIN_WORDS[chain % len(CHAIN_WORDS)] if rng.random() < 0.75 else COMMON_WORDS)
            for _ in range(rng.randint(5, 30))
        ]
        result.append(
            CompanyFeatures(
                id=id_offset + index,
                industries=chosen_industries,
                capabilities=from_chain(vocabulary.capabilities, capabilities[chain], rng.randint(1, 4)),
                seeks=from_chain(vocabulary.capabilities, capabilities[chain], rng.randint(0, 3)),
                looking_for=frozenset(rng.sample(vocabulary.roles, rng.randint(1, 2))),
                roles=frozenset(rng.sample(vocabulary.roles, rng.randint(1, 3))),
                requires=from_chain(
                    vocabulary.certifications, certifications[chain], int(rng.random() < 0.3)
                ),
                holds=from_chain(vocabulary.certifications, certifications[chain], rng.randint(0, 3), 0.3),
                languages=frozenset({own_language, "en"} if rng.random() < 0.5 else {own_language}),
                size_class=rng.choice(["micro", "small", "medium", "large"]),
                in_eec=rng.random() < 0.3,
                text=" ".join(words),
                concepts=from_chain(vocabulary.capabilities, capabilities[chain], rng.randint(0, 4)),
            )
        )
    return result
