from django.db import migrations


def load(apps, schema_editor):
    from gongyou.regions.services import region_reference_load

    region_reference_load(region_model=apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
