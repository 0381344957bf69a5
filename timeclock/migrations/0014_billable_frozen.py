"""A closed period's billable hours (worked phone seconds per client queue and day) are
frozen at its close, and its billable export reads only them. Periods closed before this
migration have none (billable_frozen false): their billable hours cannot be worked out again
as they were at their close, so their export is worked out from the punches once, at its
first billable export, and kept (as before). Reversible: going back drops the table and flag."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('timeclock', '0013_pay_line_team'),
    ]

    operations = [
        migrations.AddField(
            model_name='payperiod',
            name='billable_frozen',
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name='BillableHours',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('client_name', models.CharField(max_length=200)),
                ('queue_name', models.CharField(max_length=100)),
                ('work_date', models.DateField()),
                ('seconds', models.BigIntegerField()),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='billable', to='timeclock.payperiod')),
            ],
            options={
                'ordering': ['period', 'client_name', 'queue_name', 'work_date'],
                'constraints': [models.UniqueConstraint(fields=('period', 'client_name', 'queue_name', 'work_date'), name='billable_hours_once_per_queue_day')],
            },
        ),
    ]
