"""The scorer's input from the database: ``loading`` (a whole country in a few queries) and ``snapshots``
(the per-process cache the workers keep of each country, patched when companies change)."""

from matching.features.loading import load_features, vocabulary
from matching.features.snapshots import Corpus, Idf, Snapshot, clear_snapshots, corpus, country_snapshot

__all__ = [
    "Corpus",
    "Idf",
    "Snapshot",
    "clear_snapshots",
    "corpus",
    "country_snapshot",
    "load_features",
    "vocabulary",
]
