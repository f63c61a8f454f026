"""Drop three indexes of the workers table that others already cover (on PostgreSQL with their
`_like` twins): `name` (the first column of worker_duplicate_idx; partial search uses the
trigram index on PostgreSQL, a scan on SQLite as before), and the single-column indexes of `current_region` and `hukou_region` (the first columns
of worker_current_region_idx / worker_hukou_region_idx). Every registration and import writes
them for nothing.

The database side is plain `DROP INDEX IF EXISTS`: Django's own AlterField would rebuild the
whole table on SQLite, three times."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "workers_worker_name_2d915a71": '"name"',
    "workers_worker_current_region_id_7bc7c89a": '"current_region_id"',
    "workers_worker_hukou_region_id_226cf442": '"hukou_region_id"',
}
# PostgreSQL also has a `varchar_pattern_ops` twin of each (Django makes one for indexed text).
PG_LIKE = {f"{name}_like": f"{column} varchar_pattern_ops" for name, column in INDEXES.items()}


def _indexes(schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    return {**INDEXES, **PG_LIKE} if postgresql else INDEXES


def forwards(apps, schema_editor):
    for name in _indexes(schema_editor):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def backwards(apps, schema_editor):
    for name, columns in _indexes(schema_editor).items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "workers_worker" ({columns})'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_reference"),
        ("workers", "0004_worker_anonymised_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="worker",
                    name="current_region",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="current region",
                    ),
                ),
                migrations.AlterField(
                    model_name="worker",
                    name="hukou_region",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="hukou region",
                    ),
                ),
                migrations.AlterField(
                    model_name="worker",
                    name="name",
                    field=models.CharField(max_length=50, verbose_name="name"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
