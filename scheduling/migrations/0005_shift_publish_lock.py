"""PostgreSQL only: writers of one employee's published shifts take turns (R3.1).

Two transactions inserting overlapping published shifts at the same moment each find the
other's uncommitted row while checking `shift_no_overlap_published` and wait for it: a
deadlock, which PostgreSQL breaks by aborting one. With twenty at once the rerun victims keep
closing new cycles and nobody commits (seen in CI). A row trigger takes a transaction-scoped
advisory lock on the employee before a row enters or stays in the published state, so the
second writer waits for the first to finish and then meets a committed row: one commit, the
others a clean IntegrityError. Draft, superseded and discarded rows take no lock. The key is a
hash of the employee's UUID: two people sharing a hash merely take turns too. A publish
locks its people in row order, so two series publishing at once over the same people can
still deadlock, on these locks; the services rerun such a victim (retry_on_deadlock)."""

from django.db import migrations

# Class key of the two-key advisory lock space (the audit chain uses the one-key space).
SHIFT_LOCK_CLASS = 0x57464D53

FUNCTION = f"""
CREATE OR REPLACE FUNCTION scheduling_shift_publish_lock() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({SHIFT_LOCK_CLASS}, hashtext(NEW.employee_id::text));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER scheduling_shift_publish_lock BEFORE INSERT OR UPDATE ON scheduling_shift "
        "FOR EACH ROW WHEN (NEW.state = 'published') "
        "EXECUTE FUNCTION scheduling_shift_publish_lock()"
    )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS scheduling_shift_publish_lock ON scheduling_shift"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS scheduling_shift_publish_lock()")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0004_requests")]
    operations = [migrations.RunPython(add, remove)]
