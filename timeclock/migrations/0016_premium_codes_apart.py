"""Each premium its own pay code (issue 25): the evening premium, paid as NIGHT_PREMIUM
before, is EVENING_PREMIUM; Saturday's and Sunday's premiums set apart, paid as
WEEKEND_PREMIUM before, are SATURDAY_PREMIUM and SUNDAY_PREMIUM. A site that mapped a shared
code keeps exporting: its mapping (system code and kind) is copied to each new code it did
not map yet, so nothing is refused as unmapped (export_codes_unmapped) until the payroll
officer gives the new codes their own. Pay lines already frozen keep their codes, and stored
export files their bytes; the old mappings stay for them. Backwards: nothing to undo (the
copies are ordinary mappings)."""

from django.db import migrations

COPIES = {
    "NIGHT_PREMIUM": ("EVENING_PREMIUM",),
    "WEEKEND_PREMIUM": ("SATURDAY_PREMIUM", "SUNDAY_PREMIUM"),
}


def copy_mappings(apps, schema_editor):  # type: ignore[no-untyped-def]
    EarningsCode = apps.get_model("timeclock", "EarningsCode")
    for row in EarningsCode.objects.filter(pay_code__in=list(COPIES)).order_by("pk"):
        for new in COPIES[row.pay_code]:
            EarningsCode.objects.get_or_create(
                site_id=row.site_id,
                system=row.system,
                pay_code=new,
                defaults={"code": row.code, "kind": row.kind},
            )


class Migration(migrations.Migration):
    dependencies = [("timeclock", "0015_billable_adjustments")]

    operations = [migrations.RunPython(copy_mappings, migrations.RunPython.noop)]
