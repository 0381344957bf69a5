"""PostgreSQL only: punches and corrections are append-only (R1.1). A trigger refuses UPDATE
and DELETE on every path (ORM, QuerySet.update, raw SQL), for every role. (TRUNCATE, a
table owner's operation that test teardown relies on, is left to database permissions.)"""

from django.db import migrations

TABLES = ("timeclock_punch", "timeclock_punchcorrection")

FUNCTION = """
CREATE OR REPLACE FUNCTION timeclock_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of %% are append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION timeclock_refuse_change()"
        )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS timeclock_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("timeclock", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
