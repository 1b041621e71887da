"""Reading free text (th / ja / en) for matching (pure: no database).

``read(text, country)`` splits a company's text into sentences and returns a :class:`Reading`: the
second-level taxonomy terms it offers and seeks (leaves, rolled up to their parents by
:func:`matching.understanding.terms.expand`), the kinds of partner it looks for, and the certificates it
states as held, demands of a partner or names without holding (``certificates.py``). Every inferred item
keeps the words it came from (``evidence``), so pages can show "inferred from: …" (quoted as the company
wrote them by ``selectors.as_written``). ``read(text, country, sought)`` reads the lines in ``sought`` (the
titles of need postings) as sought whatever their words.

The data: ``portal/taxonomy/data/taxonomy_leaves.json``, ``matching/data/certificate_patterns.json``,
``matching/data/intent_cues.json`` (docs/matching-judgments.md says how they were written).
"""

from matching.understanding.reading import Reading, read

__all__ = ["Reading", "read"]
