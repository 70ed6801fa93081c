from typing import Any

from django.core.management.base import BaseCommand

from cfit.criteria.starting_translations import STARTING_LANGUAGES, starting_file
from cfit.criteria.translation_services import starting_translations_load


class Command(BaseCommand):
    help = (
        "Load the starting translations of the criteria (cfit/criteria/translations/"
        "<lang>.json) again, after a translator changed them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = []
        for language in STARTING_LANGUAGES:
            data = starting_file(language)
            if data:
                count = starting_translations_load(language=language, data=data)
                loaded.append(f"{language}: {count}")
        self.stdout.write("Criteria translated: " + (", ".join(loaded) or "none"))
