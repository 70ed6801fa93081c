"""The first published Pact text, and the Secretariat group with its permissions."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

PACT_TITLE = "Circular & Fair ICT Pact"
PACT_BODY = """The signatories of this Pact buy information and communication technology (ICT) for their organisations. Together they buy millions of laptops and smartphones a year. They agree to use that buying power to make ICT circular and fair.

1. Ambition. By 2030 the ICT that the signatories buy is circular and fair: devices are used for as long as possible, refurbished and reused devices are a normal choice, devices that leave the organisation are reused first and otherwise recycled properly, and the people who make the devices work in decent and safe conditions.

2. Four strategies. The signatories buy less, buy better, use better and use longer.

3. Procuring organisations apply at least the Pact's common base criteria in every procurement of laptops and smartphones, consider the ambitious and front-runner criteria, share what they learn, and report each year how many devices they bought, in which condition, for how long they expect to use them and where the devices they replaced went.

4. Coordinating organisations set up and run national or regional buyer groups, welcome procuring organisations into them, support their members, and speak to the market on their behalf.

5. All buyer groups together form the international Strategic Buyer Group. Working groups open to all signatories improve the criteria, the guidance for procurement and monitoring, and prepare new product groups.

6. The secretariat keeps the criteria base and the method for calculating the effects, publishes the combined figures of the Pact, and only publishes figures that cover at least three organisations.

7. Signing is voluntary and free. A signatory may withdraw at any time by telling the secretariat.
"""

SECRETARIAT_PERMISSIONS = [
    ("organisations", "review_signature"),
    ("organisations", "view_organisation"),
    ("organisations", "change_organisation"),
    ("organisations", "view_signature"),
    ("organisations", "change_signature"),
    ("organisations", "view_membership"),
    ("organisations", "view_pacttext"),
    ("organisations", "add_pacttext"),
    ("organisations", "change_pacttext"),
]


def forwards(apps, schema_editor):
    PactText = apps.get_model("organisations", "PactText")
    PactText.objects.get_or_create(
        version="2022-12",
        defaults={
            "title": PACT_TITLE,
            "body": PACT_BODY,
            "published_on": datetime.date(2022, 12, 1),
            "is_current": True,
        },
    )
    # Permissions are normally made after all migrations; the group needs them now.
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
    apps.get_model("auth", "Group").objects.filter(name="Secretariat").delete()
    apps.get_model("organisations", "PactText").objects.filter(
        version="2022-12"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
