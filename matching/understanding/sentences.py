"""Sentences and clauses of normalised text (no word segmentation needed: cues are substrings)."""

import re

# A sentence ends at 。！？!? or a full stop followed by a space or the end (not inside 13485:2016 or 6.5),
# or at a line break / bullet.
_SENTENCE = re.compile(r"(?<=[。！？!?])|(?<=[.;])(?=\s)|\n+|\s[•·・]\s")
# Clauses inside a sentence: Japanese and Latin commas, semicolons, and Thai "และ/ส่วน" between phrases.
_CLAUSE = re.compile(r"[、，,;]|\s(?:และ|ส่วน|แต่)|\s(?:while|but|and)\s")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of every non-blank sentence of ``text``."""
    found, start = [], 0
    for match in _SENTENCE.finditer(text):
        if match.start() > start:
            found.append((start, text[start : match.start()]))
        start = match.end()
    if start < len(text):
        found.append((start, text[start:]))
    return [(offset, part) for offset, part in found if part.strip()]


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of ``sentence`` holding the span start..end."""
    left, right = clause_bounds(sentence, start, end)
    return sentence[left:right]


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause of ``sentence`` holding the span start..end begins and ends."""
    left, right = 0, len(sentence)
    for match in _CLAUSE.finditer(sentence):
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right
