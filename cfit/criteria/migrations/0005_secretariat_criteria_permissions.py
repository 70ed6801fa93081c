"""The secretariat keeps the criteria base: it drafts, approves and sees usage.

A criteria working group member can be given `criteria.draft_criterion` alone in the
admin, so that they draft and the secretariat approves.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_PERMISSIONS = [
    "draft_criterion",
    "approve_criterion",
    "view_criteria_usage",
    "view_productgroup",
    "add_productgroup",
    "change_productgroup",
    "view_ecolabel",
    "add_ecolabel",
    "change_ecolabel",
    "view_criterion",
    "view_criterionversion",
    "view_tenderselection",
]


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Secretariat")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="criteria", codename__in=SECRETARIAT_PERMISSIONS
        )
    )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Secretariat").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="criteria",
                codename__in=SECRETARIAT_PERMISSIONS,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0004_starting_criteria"),
        ("organisations", "0002_pact_text_and_secretariat"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
