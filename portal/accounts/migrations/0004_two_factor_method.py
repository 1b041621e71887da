"""allauth's authenticators under a translated name in the admin (a proxy model: no table, no data)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_api_tokens'),
        ('mfa', '0003_authenticator_type_uniq'),
    ]

    operations = [
        migrations.CreateModel(
            name='TwoFactorMethod',
            fields=[
            ],
            options={
                'verbose_name': 'two-factor method',
                'verbose_name_plural': 'two-factor methods',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('mfa.authenticator',),
        ),
    ]
