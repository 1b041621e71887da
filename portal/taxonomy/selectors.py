"""Reads on the taxonomy (cached per process: it changes only by migration or admin)."""

from django.core.cache import cache
from django.utils.translation import get_language

from portal.taxonomy.models import Capability, Certification, Industry, LookingFor, Region

CACHE_SECONDS = 300


def taxonomy_choices() -> dict[str, list[tuple[str, str]]]:
    """(slug, name in the active language) lists for filters and forms; cached per language. Regions are
    (code, name, country), the reader's own country's first."""
    language = (get_language() or "en")[:2]
    key = f"taxonomy-choices:{language}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "industries": [(t.slug, t.name(language)) for t in Industry.objects.all()],
            "capabilities": [(t.slug, t.name(language)) for t in Capability.objects.filter(kind="")],
            "certifications": [(t.slug, t.name(language)) for t in Certification.objects.all()],
            "looking_for": [(t.slug, t.name(language)) for t in LookingFor.objects.all()],
            # The reader's own country first (Japan for a Japanese reader, else Thailand), then the other.
            "regions": [
                (r.code, r.name(language), r.country)
                for r in sorted(
                    Region.objects.all(),
                    key=lambda r: (r.country != ("JP" if language == "ja" else "TH"), r.code),
                )
            ],
        }
        cache.set(key, choices, CACHE_SECONDS)
    return choices
