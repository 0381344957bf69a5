"""What a closed period's export prints is frozen at the close: the employees' numbers and
names on its lines, the site's currency on the period. Lines frozen before this migration
take the names the employees have now (what their exports printed until today)."""

from django.db import migrations, models


def fill_frozen_values(apps, schema_editor):
    PayLineRecord = apps.get_model("timeclock", "PayLineRecord")
    PayPeriod = apps.get_model("timeclock", "PayPeriod")
    Employee = apps.get_model("wfm", "Employee")
    ids = PayLineRecord.objects.values_list("employee_id", flat=True).distinct()
    for employee in Employee.objects.filter(pk__in=ids).select_related("user"):
        user = employee.user
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        PayLineRecord.objects.filter(employee_id=employee.pk).update(
            employee_number=employee.number, employee_name=name
        )
    for period in PayPeriod.objects.filter(status="closed").select_related("site"):
        PayPeriod.objects.filter(pk=period.pk).update(currency=period.site.currency)


class Migration(migrations.Migration):

    dependencies = [
        ('timeclock', '0005_pay_line_reason'),
    ]

    operations = [
        migrations.AddField(
            model_name='paylinerecord',
            name='employee_name',
            field=models.CharField(blank=True, max_length=301),
        ),
        migrations.AddField(
            model_name='paylinerecord',
            name='employee_number',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name='payperiod',
            name='currency',
            field=models.CharField(blank=True, help_text="The site's, at the close", max_length=3),
        ),
        migrations.RunPython(fill_frozen_values, migrations.RunPython.noop),
    ]
