"""Match proposals lose their two single-column indexes (company, weights): the unique (company, partner) and
(company, rank) pairs serve every lookup by company, and nothing searches by weights; a full recompute
rewrites every row, so it maintains two indexes less. Dropping an index takes a brief lock and no scan; the
old code runs unchanged without them (README, "Migrations without downtime")."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0007_directory_indexes"),
        ("matching", "0006_introduction_reports"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matchproposal",
            name="company",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="proposals",
                to="companies.company",
            ),
        ),
        migrations.AlterField(
            model_name="matchproposal",
            name="weights",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="matching.matchingweights",
            ),
        ),
    ]
