"""Frozen pay lines carry the team they were paid in (the close sets it), so a closed period's
review filters by that team and not by the one the employee is in today.

Lines frozen before this migration cannot tell which team they were paid in: they take the
employee's team as it is when migrating (what the review filtered by until today), where
that team is at the period's site; someone now at another site gets none (they show under
"All teams" and "No team of this site", not under another site's team). Reversible: going
back drops the column."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def teams_of_today(apps, schema_editor):
    PayLineRecord = apps.get_model("timeclock", "PayLineRecord")
    Employee = apps.get_model("wfm", "Employee")
    here = PayLineRecord.objects.filter(
        team__isnull=True, employee__team__site_id=F("period__site_id")
    )
    PayLineRecord.objects.filter(pk__in=here.values("pk")).update(
        team=Subquery(Employee.objects.filter(pk=OuterRef("employee_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('timeclock', '0012_unsocial_hours_apart'),
        ('wfm', '0011_login_tries'),
    ]

    operations = [
        migrations.AddField(
            model_name='paylinerecord',
            name='team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wfm.team'),
        ),
        migrations.RunPython(teams_of_today, migrations.RunPython.noop),
    ]
