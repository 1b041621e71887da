# Schema of the two-level taxonomy (issue 18); the terms are loaded by 0006 (a separate transaction, so that
# reversing works on PostgreSQL: deleting the rows and dropping the column cannot share one).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('taxonomy', '0004_certifications_stated_in_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='capability',
            name='kind',
            field=models.CharField(blank=True, choices=[('process', 'Process'), ('product', 'Product'), ('service', 'Service'), ('material', 'Material')], max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='capability',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='taxonomy.capability', verbose_name='parent'),
        ),
    ]
