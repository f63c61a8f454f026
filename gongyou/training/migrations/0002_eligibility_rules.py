"""Seed the general eligibility template of domain facts §2.1 (trust tags kept; see
gongyou/training/data/README.md)."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongyou.training.eligibility import seed_rules

    seed_rules(apps.get_model("training", "EligibilityRule"))


def unseed(apps, schema_editor):
    apps.get_model("training", "EligibilityRule").objects.filter(occupation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
