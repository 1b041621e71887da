"""Directory search text (pure). Thai and Japanese have no spaces between words, so search is substring
matching on a normalised text (NFKC + casefold): ``ฉีดพลาสติก`` finds "…รับฉีดพลาสติกและ…", ``精密加工``
finds "…の精密加工を…", ``ＣＮＣ`` finds "cnc". PostgreSQL indexes it with pg_trgm.

Japanese reads like a person: katakana, half-width katakana and hiragana are one (folded to hiragana), and
the hiragana reading of the Japanese text (pykakasi's dictionary, shipped with the package: nothing is
downloaded) is indexed beside it, so a kana query (しゃしゅつせいけい) finds 射出成形. Thai loanword
spellings that differ only in tone marks or a short "ะ" are one."""

import functools
import re
import unicodedata
from collections.abc import Iterable

MAX_TERMS = 8
KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # ァ…ヶ → ぁ…ゖ
# Thai spelling variants of loanwords differ in tone marks and a short "ะ" (ไทเทเนียม / ไทเทเนี่ยม,
# อลูมิเนียม / อะลูมิเนียม): both the text and the query drop them.
THAI_VARIANTS = dict.fromkeys([0x0E48, 0x0E49, 0x0E4A, 0x0E4B, 0x0E30])
FOLD = {**KATAKANA_TO_HIRAGANA, **THAI_VARIANTS}
_KANJI = re.compile(r"[\u3400-\u9fff]")
_JAPANESE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ー]+")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(FOLD)


@functools.cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def readings(text: str) -> str:
    """The hiragana reading of the Japanese runs of ``text`` that hold kanji ("" when there are none)."""
    runs = [run for run in _JAPANESE_RUN.findall(text) if _KANJI.search(run)]
    return " ".join("".join(item["hira"] for item in _kakasi().convert(run)) for run in runs)


def build_search_text(parts: Iterable[str]) -> str:
    text = normalize("\n".join(part.strip() for part in parts if part and part.strip()))
    reading = readings(text)
    return f"{text}\n{reading}" if reading else text


def search_terms(query: str) -> list[str]:
    """The distinct terms of a query (every one must match), at most ``MAX_TERMS``."""
    seen: list[str] = []
    for term in normalize(query).split():
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]
