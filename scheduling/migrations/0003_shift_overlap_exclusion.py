"""PostgreSQL only: no two overlapping published shifts for one employee, and no two
overlapping shifts for one employee inside one roster version (R3.1). Half-open ranges, so
adjacent shifts are fine. Other backends rely on the services' checks."""

from django.db import migrations

CONSTRAINTS = (
    (
        "shift_no_overlap_published",
        "EXCLUDE USING gist (employee_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
        "WHERE (state = 'published')",
    ),
    (
        "shift_no_overlap_in_roster",
        "EXCLUDE USING gist (roster_id WITH =, employee_id WITH =, "
        "tstzrange(start, \"end\", '[)') WITH &&) WHERE (state <> 'discarded')",
    ),
)


def add_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, definition in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_shift ADD CONSTRAINT {name} {definition}")


def drop_constraints(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_shift DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_rosters")]
    operations = [migrations.RunPython(add_constraints, drop_constraints)]
