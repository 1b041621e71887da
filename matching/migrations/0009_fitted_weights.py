"""Weights fitted on the hand-judged pairs (tests/matching/data/judgments.json), cross-validated on queries
left out of the fit (bench/bench_weights.py; docs/ranking-quality.md, "Fifth pass"). They become the version
in force only where the version in force is still the one a new installation started with: weights an
administrator saved or adopted are left as they are. The new defaults of the fields are the same values."""

from django.db import migrations, models

SHIPPED = {
    "industry": 0.25, "complementarity": 0.30, "certification": 0.15, "text": 0.15, "practical": 0.15,
    "missing_certification_penalty": 0.5,
}  # fmt: skip
FITTED = {
    "industry": 0.20, "complementarity": 0.15, "certification": 0.10, "text": 0.50, "practical": 0.05,
    "missing_certification_penalty": 0.5,
}  # fmt: skip
NOTE = "Fitted on the judged pairs (bench/bench_weights.py)"


def adopt_fitted(apps, schema_editor):
    Weights = apps.get_model("matching", "MatchingWeights")
    current = Weights.objects.order_by("-pk").first()
    if current is not None and any(
        abs(getattr(current, name) - value) > 1e-9 for name, value in SHIPPED.items()
    ):
        return  # an administrator's weights: keep them
    top_k = current.top_k if current is not None else 20
    Weights.objects.create(**FITTED, top_k=top_k, note=NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0008_proposal_weights_checked_by_django"),
    ]

    operations = [
        # Not undone: proposals may cite the version.
        migrations.RunPython(adopt_fitted, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matchingweights",
            name="certification",
            field=models.FloatField(default=0.1, verbose_name="certification fit"),
        ),
        migrations.AlterField(
            model_name="matchingweights",
            name="complementarity",
            field=models.FloatField(default=0.15, verbose_name="complementarity"),
        ),
        migrations.AlterField(
            model_name="matchingweights",
            name="industry",
            field=models.FloatField(default=0.2, verbose_name="industry"),
        ),
        migrations.AlterField(
            model_name="matchingweights",
            name="practical",
            field=models.FloatField(default=0.05, verbose_name="practical fit"),
        ),
        migrations.AlterField(
            model_name="matchingweights",
            name="text",
            field=models.FloatField(default=0.5, verbose_name="text similarity"),
        ),
    ]
