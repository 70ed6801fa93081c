import importlib
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demonstration data: made-up organisations, people, groups, criteria "
        "and reports, all marked as demo. Running it again changes nothing."
    )

    def handle(self, *args: object, **options: object) -> None:
        # Each area of the site adds its own demo data in <app>/demo.py, in the order
        # of INSTALLED_APPS, so later areas can build on earlier ones.
        with transaction.atomic():
            for app in apps.get_app_configs():
                module_name = f"{app.name}.demo"
                if app.name.startswith("cfit.") and find_spec(module_name):
                    importlib.import_module(module_name).load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
