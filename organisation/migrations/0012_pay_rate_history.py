"""Pay rate history per employee (rate, currency, first local day). Every employee gets one
row from what is known today: their current hourly rate, in their site's currency, from their
employment start. Pay before this migration was priced at the rate of the day it was worked
out; that history was not kept, so a period re-worked out later (an adjustment) prices its
days at this rate, as it did before. Reversible: going back drops the table."""

import django.db.models.deletion
import django.utils.timezone
import organisation.validators
from django.conf import settings
from django.db import migrations, models


def rates_of_today(apps, schema_editor):
    Employee = apps.get_model("wfm", "Employee")
    PayRate = apps.get_model("wfm", "PayRate")
    people = Employee.objects.select_related("team__site").iterator(chunk_size=2000)
    PayRate.objects.bulk_create(
        (
            PayRate(
                employee_id=e.pk,
                rate=e.hourly_rate,
                currency=e.team.site.currency,
                valid_from=e.employment_start,
            )
            for e in people
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('wfm', '0011_login_tries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PayRate',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('rate', models.DecimalField(decimal_places=4, max_digits=12)),
                ('currency', models.CharField(max_length=3, validators=[organisation.validators.validate_currency_code])),
                ('valid_from', models.DateField(help_text='The first local day it pays')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pay_rates', to='wfm.employee')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['employee', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('employee', 'valid_from', 'currency'), name='pay_rate_once_per_day'), models.CheckConstraint(condition=models.Q(('rate__gte', 0)), name='pay_rate_non_negative')],
            },
        ),
        migrations.RunPython(rates_of_today, migrations.RunPython.noop),
    ]
