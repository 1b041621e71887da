"""Indexes for the directory's taxonomy filters (issue 20, "the directory under load").

A filter on an industry, a capability or what a company looks for reads the term's links by term, then
the company ids: an index on (term, company) answers it from the index alone, where the existing index on
the term alone read a page of the table per link (387 pages for the 14,000 companies of an industry at
40,000). The link tables are Django's automatic many-to-many tables, so plain SQL (the same on PostgreSQL
and SQLite). The verified companies' ids get their own index (``company_verified_id``) for the other side
of that join."""

from django.db import migrations, models

LINKS = [
    ("company_industries_term", "companies_company_industries", "industry_id"),
    ("company_capabilities_term", "companies_company_capabilities", "capability_id"),
    ("company_looking_for_term", "companies_company_looking_for", "lookingfor_id"),
]


class Migration(migrations.Migration):
    dependencies = [("companies", "0006_company_pitch")]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({term}, company_id)",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, term in LINKS
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["verification_status", "id"], name="company_verified_id"),
        ),
    ]
