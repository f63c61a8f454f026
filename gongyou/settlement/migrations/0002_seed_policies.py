from django.db import migrations


def load(apps, schema_editor):
    from gongyou.settlement.seed import seed_load

    seed_load(
        region_model=apps.get_model("regions", "Region"),
        policy_model=apps.get_model("settlement", "SettlementPolicy"),
        version_model=apps.get_model("settlement", "PolicyVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial"), ("regions", "0002_load_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
