"""Rebuild the web fonts in static/fonts/ from Debian's Noto fonts (fonts-noto-core, fonts-noto-cjk).

The output is committed; this documents and repeats how it was made. Noto: SIL OFL 1.1.
Thai: the Thai block and Latin. Japanese: JIS X 0208 (kana, level 1 and 2 kanji), CJK punctuation,
full-width forms and Latin.
"""

import contextlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

THAI_SRC = "/usr/share/fonts/truetype/noto/NotoSansThai-{weight}.ttf"
CJK_SRC = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"


def jis_x_0208() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([high, low]).decode("euc_jp"))
    return chars


LATIN = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x180)} | set("–—‘’“”…•€฿¥→←↑↓×÷·")
THAI = {chr(c) for c in range(0x0E00, 0x0E80)}
JAPANESE = (
    jis_x_0208()
    | {chr(c) for c in range(0x3000, 0x3100)}
    | {chr(c) for c in range(0xFF00, 0xFFF0)}
    | set("々〆ヶ髙﨑")
)


def build(font: TTFont, out: str, text: set[str]) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(text)))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(out)
    sys.stdout.write(f"wrote {out}\n")


def main() -> None:
    for weight in ["Regular", "Bold"]:
        build(
            TTFont(THAI_SRC.format(weight=weight)), f"static/fonts/NotoSansThai-{weight}.woff2", THAI | LATIN
        )
        collection = TTCollection(CJK_SRC.format(weight=weight))
        japanese = next(f for f in collection.fonts if "JP" in f["name"].getDebugName(1))
        build(japanese, f"static/fonts/NotoSansJP-{weight}.woff2", JAPANESE | LATIN)


if __name__ == "__main__":
    main()
