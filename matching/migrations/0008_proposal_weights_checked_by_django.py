"""Match proposals' weights lose their database constraint (Django's PROTECT still refuses to delete a
version that any proposal cites): the constraint's per-row check at commit was a third of the 0.5 s that
each full-recompute shard of 40,000 rows spent on foreign-key checks. Dropping a constraint takes a brief
lock and no scan; the old code runs unchanged without it (README, "Migrations without downtime")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0007_proposal_fewer_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='matchproposal',
            name='weights',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='matching.matchingweights'),
        ),
    ]
