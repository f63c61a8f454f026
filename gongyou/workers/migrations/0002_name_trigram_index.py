"""PostgreSQL only: a trigram index so partial-name search (LIKE '%…%') stays fast at national
scale. Other databases (SQLite) keep the portable table scan; the selector is the same."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no privilege: keep the portable scan
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS worker_name_trgm_idx ON workers_worker USING gin (name gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS worker_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("workers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
