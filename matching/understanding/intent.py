"""What a sentence seeks (and from whom) versus what it offers, from the cues of
``matching/data/intent_cues.json``.

An "after" cue (English, Thai: "we are looking for X", "ต้องการหา X") seeks what follows it up to the end
of the sentence or the next offering cue; a "before" cue (Japanese: "Xを探しています") seeks what precedes
it from the start of the sentence or the previous offering cue; an "around" cue ("X wanted for Y") seeks
both. The rest of the sentence offers.
"""

import functools
import re
from dataclasses import dataclass

from matching import textdata

_LATIN = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Split:
    seeking: list[tuple[int, int]]  # spans of the sentence that seek
    offering: list[tuple[int, int]]  # the other spans


@functools.cache
def _cues() -> dict[str, list[tuple[str, str]]]:
    data = textdata.load_intent_cues()
    return {
        kind: sorted(
            ((textdata.normalize(row["cue"]), row["object"]) for row in data[kind]), key=lambda c: -len(c[0])
        )
        for kind in ("seeking", "offering")
    }


def _occurrences(sentence: str, kind: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for cue, position in _cues()[kind]:
        start = sentence.find(cue)
        while start >= 0:
            end = start + len(cue)
            latin_ok = not (
                (_LATIN.match(cue[0]) and start > 0 and _LATIN.match(sentence[start - 1]))
                or (_LATIN.match(cue[-1]) and end < len(sentence) and _LATIN.match(sentence[end]))
            )
            if latin_ok and not any(s <= start < e for s, e, _p in found):
                found.append((start, end, position))
            start = sentence.find(cue, end)
    return sorted(found)


def split(sentence: str) -> Split:
    """The seeking and offering spans of one normalised sentence."""
    seeking_cues = _occurrences(sentence, "seeking")
    if not seeking_cues:
        return Split([], [(0, len(sentence))])
    offering_cues = _occurrences(sentence, "offering")
    boundaries = sorted(
        {0, len(sentence), *(s for s, _e, _p in offering_cues), *(e for _s, e, _p in offering_cues)}
    )
    seeking = []
    for start, end, position in seeking_cues:
        # "around" (English "X wanted for Y"): both what is wanted and what for are sought.
        begin = max([e for _s, e, _p in offering_cues if e <= start] + [0]) if position != "after" else start
        if position == "before":
            seeking.append((begin, end))
        else:
            stop = min(
                [b for b in boundaries if b > end and b in {s for s, _e, _p in offering_cues}]
                + [len(sentence)]
            )
            seeking.append((begin, stop))
    seeking.sort()
    offering, cursor = [], 0
    for start, end in seeking:
        if start > cursor:
            offering.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < len(sentence):
        offering.append((cursor, len(sentence)))
    return Split(seeking, offering)


@functools.cache
def _looking_for() -> tuple[tuple[str, str], ...]:
    data = textdata.load_intent_cues()["looking_for"]
    pairs = [
        (textdata.normalize(word), slug)
        for slug, languages in data.items()
        for words in languages.values()
        for word in words
    ]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def looking_for(text: str) -> dict[str, str]:
    """looking_for slug → the word that named it, in a seeking span (longest words first)."""
    found: dict[str, str] = {}
    used = bytearray(len(text))
    for word, slug in _looking_for():
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            bounded = not (
                (_LATIN.match(word[0]) and start > 0 and _LATIN.match(text[start - 1]))
                or (_LATIN.match(word[-1]) and end < len(text) and _LATIN.match(text[end]))
            )
            if bounded and not any(used[start:end]) and not _describes_others(word, text, end):
                found.setdefault(slug, word)
                used[start:end] = b"\1" * (end - start)
            start = text.find(word, end)
    return found


# "進出" (setting up abroad) names the investment-site role when the company itself plans it
# ("タイへの進出を検討"), not when it describes others already there:
# "タイに進出した日系メーカーへの供給" (supplying the Japanese makers that moved to Thailand) looks for
# customers, not for a site.
_ALREADY_THERE = ("した", "して", "済")


def _describes_others(word: str, text: str, end: int) -> bool:
    return word == "進出" and text.startswith(_ALREADY_THERE, end)
