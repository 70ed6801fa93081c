"""Store the shipped FactorSet 2025-1 and make it current, so that a plain install
computes figures without boaviztapi. The secretariat may view and edit FactorSets."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cfit.impact.factorsets import SHIPPED_FILE, read_data, store_factorset

VERSION = "2025-1"
SECRETARIAT_PERMISSIONS = [
    ("impact", "view_factorset"),
    ("impact", "add_factorset"),
    ("impact", "change_factorset"),
    ("impact", "view_productfactor"),
    ("impact", "add_productfactor"),
    ("impact", "change_productfactor"),
    ("impact", "view_conditionfactor"),
    ("impact", "change_conditionfactor"),
    ("impact", "view_electricityfactor"),
    ("impact", "add_electricityfactor"),
    ("impact", "change_electricityfactor"),
    ("impact", "view_equivalence"),
    ("impact", "add_equivalence"),
    ("impact", "change_equivalence"),
]


def forwards(apps, schema_editor):
    FactorSet = apps.get_model("impact", "FactorSet")
    if not FactorSet.objects.filter(version=VERSION).exists():
        data = read_data(SHIPPED_FILE)
        assert data["version"] == VERSION
        store_factorset(data, apps=apps, make_current=True)
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    for app_label, codename in SECRETARIAT_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def backwards(apps, schema_editor):
    apps.get_model("impact", "FactorSet").objects.filter(version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0001_factorsets_scenarios"),
        ("criteria", "0002_product_groups_and_ecolabels"),
        ("organisations", "0002_pact_text_and_secretariat"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
