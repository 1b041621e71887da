"""The trilingual glossary: every term is found wherever it occurs, as a plain substring search would."""

import random

from matching import glossary


def _naive(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The definition: a slug is inferred when one of its normalised terms is a substring of the text."""
    text = glossary.normalize(text)
    terms = glossary._terms()
    return tuple(
        frozenset(slug for term, slug in terms[kind] if term in text)
        for kind in ("capabilities", "industries")
    )


def test_terms_are_found_in_thai_and_japanese_text_without_spaces():
    capabilities, industries = glossary.infer("รับฉีดพลาสติกชิ้นส่วนเครื่องมือแพทย์")
    assert "injection-molding" in capabilities
    assert industries == {"medical-devices"}
    capabilities, industries = glossary.infer("医療機器メーカーです。射出成形の協力工場を探しています。")
    assert "injection-molding" in capabilities
    assert "medical-devices" in industries


def test_full_width_and_upper_case_text_is_normalised_first():
    assert "injection-molding" in glossary.infer("ＩＮＪＥＣＴＩＯＮ MOLDING services")[0]


def test_every_term_is_found_even_inside_or_overlapping_another():
    terms = [term for kind in ("capabilities", "industries") for term, _slug in glossary._terms()[kind]]
    everything = "".join(terms)  # no separators: terms run into each other and overlap
    expected = _naive(everything)
    assert glossary.infer(everything) == expected
    every_slug = {slug for kind in ("capabilities", "industries") for _term, slug in glossary._terms()[kind]}
    assert expected[0] | expected[1] == every_slug


def test_agrees_with_the_substring_definition_on_random_texts():
    terms = [term for kind in ("capabilities", "industries") for term, _slug in glossary._terms()[kind]]
    rng = random.Random(7)
    filler = ["", " ", "abc", "ทดสอบ", "テスト", "-", "の"]
    for _ in range(300):
        pieces = [rng.choice(terms + filler * 20) for _ in range(rng.randint(0, 12))]
        cut = [
            piece[: rng.randint(1, len(piece))] if piece and rng.random() < 0.2 else piece for piece in pieces
        ]
        text = rng.choice(["", " "]).join(cut)
        assert glossary.infer(text) == _naive(text), text


def test_empty_text_infers_nothing():
    assert glossary.infer("") == (frozenset(), frozenset())
    assert glossary.infer(None) == (frozenset(), frozenset())
