"""The starting reference data: product groups and ecolabels (shared/reference/criteria-base.md).

Laptop and smartphone are in the Pact's scope from the start; tablet, desktop and display
are present but not yet in scope. Their baseline lifetimes are provisional until the
monitoring working group sets them.
"""

from decimal import Decimal

from django.db import migrations

PRODUCT_GROUPS = [
    # code, name, CPV, L0 years, archetype, in scope, order
    ("laptop", "Laptop (portable computer)", "30213100-6", "4", "laptop-pro", True, 10),
    ("smartphone", "Smartphone (mobile telephone)", "32250000-0", "2.5", "smartphone-default", True, 20),
    ("tablet", "Tablet", "30213200-7", "3", "", False, 30),
    ("desktop", "Desktop computer", "30213300-8", "5", "", False, 40),
    ("display", "Computer display", "30231000-7", "6", "", False, 50),
]

ECOLABELS = [
    ("tco-certified", "TCO Certified", "Third-party verified; generation 9 and generation 10 (climate criteria, at least five years' use time).", 10),
    ("tco-certified-edge", "TCO Certified Edge", "Certified criterion by criterion, e.g. e-waste compensated.", 20),
    ("epeat-bronze", "EPEAT Bronze", "All required EPEAT criteria.", 30),
    ("epeat-silver", "EPEAT Silver", "Required criteria plus at least 50 % of the optional ones.", 31),
    ("epeat-gold", "EPEAT Gold", "Required criteria plus at least 75 % of the optional ones.", 32),
    ("epeat-climate-plus", "EPEAT Climate+", "EPEAT designation for climate criteria.", 33),
    ("blue-angel", "Blue Angel DE-UZ 78", "German ecolabel for computers.", 40),
    ("eu-ecolabel", "EU Ecolabel", "EU Ecolabel for personal, notebook and tablet computers (Decision 2016/1371).", 50),
    ("energy-star", "ENERGY STAR", "Energy efficiency label for computers.", 60),
]


def forwards(apps, schema_editor):
    ProductGroup = apps.get_model("criteria", "ProductGroup")
    Ecolabel = apps.get_model("criteria", "Ecolabel")
    for code, name, cpv, lifetime, archetype, in_scope, order in PRODUCT_GROUPS:
        ProductGroup.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "cpv_codes": cpv,
                "baseline_lifetime_years": Decimal(lifetime),
                "impact_archetype": archetype,
                "in_pact_scope": in_scope,
                "sort_order": order,
            },
        )
    for code, name, description, order in ECOLABELS:
        Ecolabel.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


def backwards(apps, schema_editor):
    apps.get_model("criteria", "ProductGroup").objects.filter(
        code__in=[row[0] for row in PRODUCT_GROUPS]
    ).delete()
    apps.get_model("criteria", "Ecolabel").objects.filter(
        code__in=[row[0] for row in ECOLABELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("criteria", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
