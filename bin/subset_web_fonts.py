"""Cut the committed Noto fonts into the small web-font slices that pages download (static/fonts/web/)
and write their @font-face rules (static/css/fonts.css). Run it again after changing the slices:

    .venv/bin/python bin/subset_web_fonts.py

It reads only files in the repository, so the output is the same on every machine:

* the full fonts in static/fonts/ (Noto Sans Thai and Noto Sans JP; bin/build_fonts.py made them, and
  WeasyPrint keeps drawing the Shindan and agenda PDFs with them);
* the text the portal shows in Japanese (the Japanese catalogue, the taxonomy and its leaves, regions, the
  Shindan checklist, the trilingual glossary and the demo data: companies, showcases, postings,
  conversations, events, diagnoses), which orders the kanji by how often the portal uses them.

Each slice is declared with the exact ``unicode-range`` of the characters it holds, so a browser downloads
a slice only when the page shows one of them (see static/fonts/README.md):

* Thai: the Thai block, one file per weight (a few kB).
* Japanese: ``shell`` (日本語: the language switcher's name for Japanese, on every page), ``kana`` (CJK
  punctuation, hiragana, katakana, full-width forms), then the kanji the portal uses in the order of how
  often it uses them, in slices of ``KANJI_SLICE`` characters, then the other common kanji (JIS X 0208
  level 1, which holds nearly all the jōyō kanji) in slices of ``RARE_SLICE``, which a page loads only
  when its content needs them. The rarer level-2 kanji are left to the system's Japanese font (every
  Japanese system has one); the PDFs use the full fonts, which have them.

Latin text needs no web font: every system has one (the CSS puts the system's fonts first).
"""

import collections
import contextlib
import io
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "fonts"
OUT = FONTS / "web"
CSS = ROOT / "static" / "css" / "fonts.css"

WEIGHTS = {400: "Regular", 700: "Bold"}
THAI_RANGES = [(0x0E00, 0x0E7F)]
JAPANESE_RANGES = [
    (0x3000, 0x303F),  # CJK punctuation (、。「」々〜)
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs (﨑)
    (0xFF00, 0xFFEF),  # full-width and half-width forms
]
KANA_RANGES = [r for r in JAPANESE_RANGES if r[0] in (0x3000, 0x3040, 0x31F0, 0xFF00)]
# The characters every page shows whatever its language: the switcher names Japanese 日本語.
SHELL = "日本語"
KANJI_SLICE = 120  # frequent kanji: a page uses a few dozen of each slice; about 18 kB a slice
RARE_SLICE = 500  # the rest, loaded only by pages whose content has them; about 70 kB a slice
# Text the portal shows in Japanese: the order of the kanji by use.
CORPUS = [
    "locale/ja/LC_MESSAGES/django.po",
    "portal/taxonomy/data/taxonomy.json",
    "portal/taxonomy/data/regions.json",
    "shindan/data/checklist_default.json",
    "matching/data/glossary.json",
    "portal/taxonomy/data/taxonomy_leaves.json",
    "portal/core/demo_data/companies.json",
    "portal/core/demo.py",
    "portal/showcase/demo.py",
    "deals/demo.py",
    "events/demo.py",
    "shindan/demo.py",
]
# Layout features kept. Thai needs mark positioning (tone marks above vowels) and its ligatures: keep
# fontTools' defaults. Japanese drops the vertical-writing forms (vert, vrt2) and the other locales' glyph
# variants (locl: the font's default forms are the Japanese ones), which would each double a slice.
JAPANESE_FEATURES = ["ccmp", "kern", "liga", "palt", "halt"]


def in_ranges(char: str, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def cmap(font: TTFont) -> set[str]:
    return {chr(code) for code in font.getBestCmap()}


def usage_counts(chars: set[str]) -> collections.Counter:
    """How often the portal's Japanese text uses each of ``chars``."""
    counts = collections.Counter()
    for name in CORPUS:
        counts.update(char for char in (ROOT / name).read_text(encoding="utf-8") if char in chars)
    return counts


def jis_level_1() -> set[str]:
    """The 2,965 kanji of JIS X 0208 level 1 (EUC-JP rows 0xB0-0xCF)."""
    chars = set()
    for high in range(0xB0, 0xD0):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([high, low]).decode("euc_jp"))
    return chars


def japanese_slices(available: set[str]) -> list[tuple[str, list[str]]]:
    japanese = {char for char in available if in_ranges(char, JAPANESE_RANGES)}
    shell = [char for char in SHELL if char in japanese]
    kana = sorted(char for char in japanese - set(shell) if in_ranges(char, KANA_RANGES))
    kanji = japanese - set(shell) - set(kana)
    counts = usage_counts(kanji)
    used = sorted((char for char in kanji if counts[char]), key=lambda char: (-counts[char], ord(char)))
    rare = sorted((char for char in kanji & jis_level_1() if not counts[char]), key=ord)
    slices = [("shell", shell), ("kana", kana)]
    slices += [
        (f"k{n:02d}", used[i : i + KANJI_SLICE]) for n, i in enumerate(range(0, len(used), KANJI_SLICE))
    ]
    slices += [(f"r{n:02d}", rare[i : i + RARE_SLICE]) for n, i in enumerate(range(0, len(rare), RARE_SLICE))]
    return slices


def unicode_range(chars: list[str]) -> str:
    """The shortest ``unicode-range`` value for ``chars``: runs of consecutive code points as ranges."""
    codes = sorted(ord(char) for char in chars)
    parts, start, previous = [], codes[0], codes[0]
    for code in [*codes[1:], None]:
        if code is not None and code == previous + 1:
            previous = code
            continue
        parts.append(f"U+{start:X}" if start == previous else f"U+{start:X}-{previous:X}")
        if code is not None:
            start = previous = code
    return ", ".join(parts)


def cut(source: Path, chars: list[str], features: list[str] | None) -> bytes:
    font = TTFont(source, recalcTimestamp=False)  # same input, same bytes: no churn in git
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the copyright and the OFL notice
    options.notdef_outline = True
    options.hinting = False  # browsers on high-density screens do not use it; a third of the size
    options.desubroutinize = True  # compresses better in WOFF2
    if features is not None:
        options.layout_features = features
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def face(family: str, weight: int, local: list[str], url: str, chars: list[str]) -> str:
    sources = ", ".join([*(f'local("{name}")' for name in local), f'url("{url}") format("woff2")'])
    return (
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
        f"font-display: swap;\n  src: {sources};\n  unicode-range: {unicode_range(chars)}; }}\n"
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.woff2"):
        old.unlink()
    rules = [
        "/* Generated by bin/subset_web_fonts.py from the full fonts in static/fonts/: do not edit.\n"
        "   Each slice holds exactly the characters of its unicode-range; a page downloads only the slices\n"
        "   whose characters it shows, and none where the system has the font (local()). */\n"
    ]
    total = collections.Counter()
    for weight, style in WEIGHTS.items():
        thai_source = FONTS / f"NotoSansThai-{style}.woff2"
        thai = sorted(char for char in cmap(TTFont(thai_source)) if in_ranges(char, THAI_RANGES))
        name = f"noto-sans-thai-{weight}.woff2"
        data = cut(thai_source, thai, None)
        (OUT / name).write_bytes(data)
        total["thai"] += len(data)
        rules.append(
            face(
                "Noto Sans Thai",
                weight,
                [f"Noto Sans Thai {style}", f"NotoSansThai-{style}"],
                f"../fonts/web/{name}",
                thai,
            )
        )
        japanese_source = FONTS / f"NotoSansJP-{style}.woff2"
        for label, chars in japanese_slices(cmap(TTFont(japanese_source))):
            name = f"noto-sans-jp-{weight}-{label}.woff2"
            data = cut(japanese_source, chars, JAPANESE_FEATURES)
            (OUT / name).write_bytes(data)
            total["japanese"] += len(data)
            rules.append(
                face(
                    "Noto Sans JP",
                    weight,
                    [
                        f"Noto Sans JP {style}",
                        f"NotoSansJP-{style}",
                        f"Noto Sans CJK JP {style}",
                        f"NotoSansCJKjp-{style}",
                    ],
                    f"../fonts/web/{name}",
                    chars,
                )
            )
            sys.stdout.write(f"{name}: {len(chars)} characters, {len(data):,} bytes\n")
    CSS.write_text("".join(rules), encoding="utf-8")
    sys.stdout.write(
        f"wrote {len(rules) - 1} faces to {CSS.relative_to(ROOT)}; Thai {total['thai']:,} bytes, "
        f"Japanese {total['japanese']:,} bytes in {OUT.relative_to(ROOT)}/\n"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(re.sub(r"\n\n.*", "", __doc__, flags=re.DOTALL))
    main()
