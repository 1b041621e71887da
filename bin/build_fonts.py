"""Rebuild the web fonts in static/fonts/ from Debian's Noto fonts (fonts-noto-core, fonts-noto-cjk).

The output is committed; this only documents and repeats how it was made. Noto: SIL OFL 1.1.
Thai: full Thai block + Latin. Japanese: JIS X 0208 (kana, level 1+2 kanji), CJK punctuation, full-width forms.
"""

from fontTools.ttLib import TTCollection, TTFont
from fontTools import subset

def jis_chars():
    chars=set()
    for hi in range(0xA1,0xFF):
        for lo in range(0xA1,0xFF):
            try: chars.add(bytes([hi,lo]).decode("euc_jp"))
            except UnicodeDecodeError: pass
    return chars

latin = set(chr(c) for c in range(0x20,0x7F)) | set(chr(c) for c in range(0xA0,0x180)) | set("–—‘’“”…•€฿¥→←↑↓×÷·")
thai = set(chr(c) for c in range(0x0E00,0x0E80))
jp = jis_chars() | set(chr(c) for c in range(0x3000,0x3100)) | set(chr(c) for c in range(0xFF00,0xFFF0)) | set("々〆ヶ髙﨑") 

def build(src, out, text, index=None):
    font = TTCollection(src).fonts[index] if index is not None else TTFont(src)
    opts = subset.Options(); opts.flavor="woff2"; opts.name_IDs=["*"]; opts.notdef_outline=True
    sub = subset.Subsetter(opts); sub.populate(text="".join(text)); sub.subset(font)
    font.flavor="woff2"; font.save(out)

for w in ["Regular","Bold"]:
    build(f"/usr/share/fonts/truetype/noto/NotoSansThai-{w}.ttf", f"static/fonts/NotoSansThai-{w}.woff2", thai|latin)
    c = TTCollection(f"/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc")
    idx = next(i for i,f in enumerate(c.fonts) if "JP" in f["name"].getDebugName(1))
    print(w, idx, c.fonts[idx]["name"].getDebugName(1))
    build(f"/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc", f"static/fonts/NotoSansJP-{w}.woff2", jp|latin, idx)
