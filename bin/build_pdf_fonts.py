"""Build the Thai font the PDFs embed (portal/core/pdf_fonts/) from the web font in static/fonts/.

Why a font of its own: HarfBuzz's Thai shaper writes SARA AM (U+0E33) as NIKHAHIT + SARA AA glyphs (and
moves NIKHAHIT before a tone mark, merging the tone into the cluster). WeasyPrint gives each glyph id ONE
text in the PDF's ToUnicode map, taken from the first cluster it appears in, so the SARA AA glyph of "ำ"
shares its text with a real SARA AA ("จำกัด" is extracted as "จากัด", or "การ" as "กำร"), and a tone mark
first seen in "น้ำ" maps to nothing. This copy of the font adds glyphs used only inside SARA AM — SARA AA
after NIKHAHIT, one per preceding tone mark, and the tone marks between them — with the same outlines,
metrics and mark positioning, chosen by one more contextual lookup in ``ccmp``. Each then has one text
("ำ", "่ำ"…), and copying or searching a PDF gives back the Thai that was written. Screens are untouched.

Usage: python bin/build_pdf_fonts.py  (reads static/fonts/NotoSansThai-{Regular,Bold}.woff2; Noto is
under the SIL Open Font License 1.1, see static/fonts/OFL.txt; the output is committed).
"""

import copy
import sys
from pathlib import Path

from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static/fonts/NotoSansThai-{weight}.woff2"
TARGET = ROOT / "portal/core/pdf_fonts/NotoSansThai-{weight}.woff2"
NIKHAHIT, SARA_AA = 0x0E4D, 0x0E32
TONE_MARKS = (0x0E48, 0x0E49, 0x0E4A, 0x0E4B)


def _variants(font: TTFont, glyph: str) -> list[str]:
    """The glyph and every glyph a single substitution of the font turns it into (raised, shifted…)."""
    found, todo = [glyph], [glyph]
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            mapping = getattr(subtable, "mapping", None) if lookup.LookupType == 1 else None
            for source in list(todo):
                target = (mapping or {}).get(source)
                if target and target not in found:
                    found.append(target)
                    todo.append(target)
    return found


def _add_parallel(font: TTFont, coverage, records: list, name: str, new: str) -> None:
    """Add ``new`` to a coverage with a copy of ``name``'s record, keeping both in glyph id order."""
    if name not in coverage.glyphs:
        return
    record = copy.deepcopy(records[coverage.glyphs.index(name)])
    pairs = sorted(
        [*zip(coverage.glyphs, records, strict=True), (new, record)], key=lambda p: font.getGlyphID(p[0])
    )
    coverage.glyphs = [glyph for glyph, _record in pairs]
    records[:] = [record for _glyph, record in pairs]


def _clone(font: TTFont, name: str, new: str) -> None:
    """``new``: the same outline, advance, glyph class and positioning (kerning, marks) as ``name``."""
    font.setGlyphOrder([*font.getGlyphOrder(), new])
    glyf = font["glyf"]
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs[new] = copy.deepcopy(glyf[name])
    font["hmtx"].metrics[new] = font["hmtx"].metrics[name]
    gdef = font["GDEF"].table
    if gdef.GlyphClassDef and name in gdef.GlyphClassDef.classDefs:
        gdef.GlyphClassDef.classDefs[new] = gdef.GlyphClassDef.classDefs[name]
    if getattr(gdef, "MarkGlyphSetsDef", None):
        for coverage in gdef.MarkGlyphSetsDef.Coverage:
            if name in coverage.glyphs:
                coverage.glyphs.append(new)
                coverage.glyphs.sort(key=font.getGlyphID)
    for lookup in font["GPOS"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            kind = type(subtable).__name__
            if kind == "PairPos" and subtable.Format == 1:
                _add_parallel(font, subtable.Coverage, subtable.PairSet, name, new)
                for pair_set in subtable.PairSet:
                    for record in list(pair_set.PairValueRecord):
                        if record.SecondGlyph == name:
                            twin = copy.deepcopy(record)
                            twin.SecondGlyph = new
                            pair_set.PairValueRecord.append(twin)
                    pair_set.PairValueRecord.sort(key=lambda r: font.getGlyphID(r.SecondGlyph))
            elif kind == "PairPos" and subtable.Format == 2:
                for class_def in (subtable.ClassDef1, subtable.ClassDef2):
                    if name in class_def.classDefs:
                        class_def.classDefs[new] = class_def.classDefs[name]
                if name in subtable.Coverage.glyphs:
                    subtable.Coverage.glyphs = sorted([*subtable.Coverage.glyphs, new], key=font.getGlyphID)
            elif kind == "MarkBasePos":
                _add_parallel(font, subtable.MarkCoverage, subtable.MarkArray.MarkRecord, name, new)
                _add_parallel(font, subtable.BaseCoverage, subtable.BaseArray.BaseRecord, name, new)
            elif kind == "MarkMarkPos":
                _add_parallel(font, subtable.Mark1Coverage, subtable.Mark1Array.MarkRecord, name, new)
                _add_parallel(font, subtable.Mark2Coverage, subtable.Mark2Array.Mark2Record, name, new)


def _chain_rule(font: TTFont, backtrack: list[str], inputs: list[list[str]], lookups: list[int]):
    glyph_map = font.getReverseGlyphMap()
    subtable = otTables.ChainContextSubst()
    subtable.Format = 3
    subtable.BacktrackCoverage = [buildCoverage(backtrack, glyph_map)]
    subtable.BacktrackGlyphCount = 1
    subtable.InputCoverage = [buildCoverage(glyphs, glyph_map) for glyphs in inputs]
    subtable.InputGlyphCount = len(inputs)
    subtable.LookAheadCoverage = []
    subtable.LookAheadGlyphCount = 0
    subtable.SubstLookupRecord = []
    for index, lookup_index in enumerate(lookups):
        record = otTables.SubstLookupRecord()
        record.SequenceIndex, record.LookupListIndex = index, lookup_index
        subtable.SubstLookupRecord.append(record)
    subtable.SubstCount = len(lookups)
    return subtable


def add_sara_am_glyphs(font: TTFont) -> None:
    cmap = font.getBestCmap()
    sara_aa = cmap[SARA_AA]
    nikhahit = _variants(font, cmap[NIKHAHIT])
    lookups = font["GSUB"].table.LookupList.Lookup

    def add_lookup(lookup) -> int:
        lookups.append(lookup)
        font["GSUB"].table.LookupList.LookupCount = len(lookups)
        return len(lookups) - 1

    _clone(font, sara_aa, f"{sara_aa}.am")
    plain = add_lookup(buildLookup([buildSingleSubstSubtable({sara_aa: f"{sara_aa}.am"})]))
    rules = []
    tone_clones: dict[str, str] = {}
    for tone in TONE_MARKS:
        variants = _variants(font, cmap[tone])
        for variant in variants:
            tone_clones[variant] = f"{variant}.am"
            _clone(font, variant, f"{variant}.am")
        aa_clone = f"{sara_aa}.am{tone:04X}"
        _clone(font, sara_aa, aa_clone)
        rules.append((variants, add_lookup(buildLookup([buildSingleSubstSubtable({sara_aa: aa_clone})]))))
    tones = add_lookup(buildLookup([buildSingleSubstSubtable(tone_clones)]))
    subtables = [
        _chain_rule(font, nikhahit, [variants, [sara_aa]], [tones, aa_lookup])
        for variants, aa_lookup in rules
    ]
    subtables.append(_chain_rule(font, nikhahit, [[sara_aa]], [plain]))
    chain = buildLookup(subtables)
    chain_index = add_lookup(chain)
    for record in font["GSUB"].table.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(chain_index)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)


def main() -> None:
    for weight in ("Regular", "Bold"):
        font = TTFont(str(SOURCE).format(weight=weight), recalcTimestamp=False)
        add_sara_am_glyphs(font)
        target = Path(str(TARGET).format(weight=weight))
        target.parent.mkdir(parents=True, exist_ok=True)
        font.flavor = "woff2"
        font.save(str(target))
        sys.stdout.write(f"wrote {target.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
