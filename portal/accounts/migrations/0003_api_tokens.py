"""Personal API tokens replace DRF's ``rest_framework.authtoken`` (removed from INSTALLED_APPS).

The old tokens never expired, survived password changes and were handed out for a password alone: this
migration drops them (their table, migration records and content type). API users create a new token
(account page or ``POST /api/auth/token/``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

LEGACY_TABLE = "authtoken_token"


def drop_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(LEGACY_TABLE)}")
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    # Deleting the content type deletes its permissions (and any admin log rows about old tokens).
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_groups'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True)),
                ('prefix', models.CharField(editable=False, max_length=16, verbose_name='prefix')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('revoked_because', models.CharField(blank=True, choices=[('user', 'revoked by you'), ('password', 'password changed'), ('role', 'role removed'), ('account', 'account deactivated')], max_length=16, verbose_name='revoked because')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['user', 'revoked_at'], name='accounts_apitoken_user_active')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('revoked_at__isnull', True), ('revoked_because', '')), models.Q(('revoked_at__isnull', False), models.Q(('revoked_because', ''), _negated=True)), _connector='OR'), name='accounts_apitoken_revoked_with_reason')],
            },
        ),
        migrations.RunPython(drop_legacy_tokens, migrations.RunPython.noop),
    ]
