"""Prior-period billable adjustments: a frozen billable row knows its queue (names change),
an adjustment row the closed period it adjusts, and a close records the site's client queues.

Rows frozen before this (0014) get their queue by the names they froze (the queue of the
period's site with that name and client name today); one renamed since matches none and
stays without a queue, and its hours are then left out of later adjustments (nothing is
billed or credited for them: they cannot be told apart from another queue's). Periods closed
before this have no recorded client queues: their frozen rows' queues stand for them.
Reversible: going back deletes the carried adjustment rows first (an export made from them
is kept as written), then drops the columns."""

import django.db.models.deletion
from django.db import migrations, models


def _match_queues(apps, schema_editor):  # type: ignore[no-untyped-def]
    BillableHours = apps.get_model("timeclock", "BillableHours")
    Queue = apps.get_model("wfm", "Queue")
    queues = {
        (str(q.site_id), q.name, q.client_name): q.pk for q in Queue.objects.exclude(client_name="")
    }
    for row in BillableHours.objects.select_related("period").filter(queue__isnull=True):
        found = queues.get((str(row.period.site_id), row.queue_name, row.client_name))
        if found is not None:
            BillableHours.objects.filter(pk=row.pk).update(queue_id=found)


def _drop_adjustments(apps, schema_editor):  # type: ignore[no-untyped-def]
    BillableHours = apps.get_model("timeclock", "BillableHours")
    BillableHours.objects.filter(adjusts__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("timeclock", "0014_billable_frozen"),
        ("wfm", "0012_pay_rate_history"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="billablehours",
            name="billable_hours_once_per_queue_day",
        ),
        migrations.AddField(
            model_name="billablehours",
            name="adjusts",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="billable_adjusted_by",
                to="timeclock.payperiod",
            ),
        ),
        migrations.AddField(
            model_name="billablehours",
            name="queue",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wfm.queue",
            ),
        ),
        migrations.AddField(
            model_name="payperiod",
            name="billable_queues",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="billablehours",
            constraint=models.UniqueConstraint(
                condition=models.Q(("adjusts__isnull", True)),
                fields=("period", "client_name", "queue_name", "work_date"),
                name="billable_hours_once_per_queue_day",
            ),
        ),
        migrations.AddConstraint(
            model_name="billablehours",
            constraint=models.UniqueConstraint(
                condition=models.Q(("adjusts__isnull", False)),
                fields=("period", "adjusts", "queue", "work_date"),
                name="billable_adjustment_once_per_queue_day",
            ),
        ),
        migrations.RunPython(_match_queues, migrations.RunPython.noop),
        # Last, so that going back deletes the adjustment rows while `adjusts` still exists.
        migrations.RunPython(migrations.RunPython.noop, _drop_adjustments),
    ]
