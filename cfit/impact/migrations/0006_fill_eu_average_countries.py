"""Give every FactorSet stored before 0005 the countries it computed with, and
point its sources at the methodology that exists.

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


OLD_CITATION = "(impact-method.md)"
NEW_CITATION = "(the methodology, docs/methodology.md: use phase)"


def fill(apps, schema_editor):
    FactorSet = apps.get_model("impact", "FactorSet")
    ProductFactor = apps.get_model("impact", "ProductFactor")
    # The stored sources cited a file that was never in the repository.
    for product in ProductFactor.objects.all():
        sources = {
            what: text.replace(OLD_CITATION, NEW_CITATION)
            for what, text in product.sources.items()
        }
        if sources != product.sources:
            product.sources = sources
            product.save(update_fields=["sources"])
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
