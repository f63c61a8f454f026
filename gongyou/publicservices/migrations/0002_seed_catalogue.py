from django.db import migrations


def load(apps, schema_editor):
    from gongyou.publicservices.seed import seed_load

    seed_load(
        region_model=apps.get_model("regions", "Region"),
        service_model=apps.get_model("publicservices", "PublicService"),
        version_model=apps.get_model("publicservices", "ServiceVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("publicservices", "0001_initial"), ("regions", "0002_load_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
