from django.db import migrations


def load(apps, schema_editor):
    from gongyou.classifications.services import occupation_reference_load

    occupation_reference_load(occupation_model=apps.get_model("classifications", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("classifications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
