"""Give every FactorSet stored before 0005 the countries it computed with.

Until then the countries that use the European electricity average were a list in
cfit/lib/countries.py; this is that list as it was, so that a FactorSet stored before
still gives the same figures. From now on each FactorSet carries its own list.
"""

from django.db import migrations

COUNTRIES_OF_METHOD_VERSION_1 = [
    "AD",
    "AL",
    "AT",
    "BA",
    "BE",
    "BG",
    "BY",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FO",
    "FR",
    "GB",
    "GI",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MD",
    "ME",
    "MK",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "RS",
    "RU",
    "SE",
    "SI",
    "SK",
    "SM",
    "UA",
    "VA",
    "XK",
]


def fill(apps, schema_editor):
    FactorSet = apps.get_model("impact", "FactorSet")
    for factorset in FactorSet.objects.all():
        if not factorset.eu_average_countries:
            factorset.eu_average_countries = COUNTRIES_OF_METHOD_VERSION_1
            factorset.save(update_fields=["eu_average_countries"])


def empty(apps, schema_editor):
    FactorSet = apps.get_model("impact", "FactorSet")
    FactorSet.objects.update(eu_average_countries=[])


class Migration(migrations.Migration):
    dependencies = [("impact", "0005_add_eu_average_countries")]

    operations = [migrations.RunPython(fill, empty)]
