"""The public directory with 50,000 verified companies (25,000 per country): median and p95 latency and
the number of queries per page, for common searches and filters, misspelt searches (corrected: the exact
search found nothing, so the fuzzy path runs) and the search box's suggestions.

Baseline, measured in the same run: the same pages without the selector's select_related/prefetch
(what a first version would do: the template then queries per company).
"""

from unittest import mock

from bench._env import bench_database, latency, print_latency_table

PER_COUNTRY = 25_000
REQUESTS = 40
# A corrected typo reads candidate texts (on SQLite every company's: seconds at this scale), so fewer runs.
TYPO_REQUESTS = 5
PAGES = [
    ("directory, no filter", {}),
    ("search 'machining' (English)", {"q": "machining"}),
    ("search 'ฉีดพลาสติก' (Thai)", {"q": "ฉีดพลาสติก"}),
    ("search '精密加工' (Japanese, rare)", {"q": "精密加工"}),
    ("search 'machning' (typo: corrected)", {"q": "machning"}),
    ("search 'injection moldng' (typo: corrected)", {"q": "injection moldng"}),
    ("suggestions.json?q=しゃしゅつ (cached index)", None),
    ("country JP + industry aerospace-parts", {"country": "JP", "industry": "aerospace-parts"}),
    ("EEC + certification as9100", {"eec": "1", "certification": "as9100"}),
    ("page 500", {"page": "500"}),
]


def main() -> None:
    with bench_database() as vendor:
        from django.test import Client

        from portal.companies import selectors
        from portal.companies.importer import import_rows
        from portal.core.demo import demo_companies_seed
        from portal.core.synthetic import synthetic_rows

        demo_companies_seed()
        import_rows(rows=synthetic_rows(PER_COUNTRY))
        client = Client(HTTP_ACCEPT_LANGUAGE="ja")
        rows = []
        for name, params in PAGES:
            if params is None:
                figures = latency(
                    client, "/directory/suggestions.json", n=REQUESTS, params={"q": "しゃしゅつ"}
                )
            else:
                figures = latency(
                    client, "/directory/", n=TYPO_REQUESTS if "typo" in name else REQUESTS, params=params
                )
            rows.append((name, figures))
        with mock.patch.object(selectors, "_with_profile", lambda queryset: queryset):
            baseline = [
                (
                    f"baseline (no prefetch): {name}",
                    latency(client, "/directory/", n=REQUESTS // 4, params=params),
                )
                for name, params in PAGES[:2]
            ]
    print_latency_table(
        f"{2 * PER_COUNTRY + 70:,} companies, {REQUESTS} requests each, in-process, {vendor}", rows + baseline
    )
