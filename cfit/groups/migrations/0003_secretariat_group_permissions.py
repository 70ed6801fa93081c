"""The secretariat sees and keeps buyer groups and working groups in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_PERMISSIONS = [
    ("groups", "view_buyergroup"),
    ("groups", "change_buyergroup"),
    ("groups", "view_buyergroupmembership"),
    ("groups", "change_buyergroupmembership"),
    ("groups", "view_grouppost"),
    ("groups", "delete_grouppost"),
    ("groups", "view_complexissue"),
    ("groups", "delete_complexissue"),
    ("groups", "view_complexissuereply"),
    ("groups", "delete_complexissuereply"),
    ("groups", "view_workinggroup"),
    ("groups", "change_workinggroup"),
    ("groups", "view_workinggroupmembership"),
    ("groups", "view_workinggroupdocument"),
    ("groups", "delete_workinggroupdocument"),
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
    for app_label, codename in SECRETARIAT_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Secretariat").first()
    if group is None:
        return
    for app_label, codename in SECRETARIAT_PERMISSIONS:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_add_languages_posts_working_groups_notices"),
        ("organisations", "0002_pact_text_and_secretariat"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
