"""Build a FactorSet from boaviztapi (the [factors] extra), write it, and store it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cfit.criteria.models import ProductGroup
from cfit.impact.boavizta import FactorsUnavailable, GroupToBuild, build_factorset_data
from cfit.impact.factorsets import (
    FactorSetDataError,
    factorset_data,
    read_data,
    store_factorset,
    write_data,
)
from cfit.impact.models import FactorSet


class Command(BaseCommand):
    help = (
        "Build a FactorSet from boaviztapi for every product group with an impact "
        "archetype, write it as JSON, and (with --store) store it as a new, not yet "
        "current FactorSet for the secretariat to compare. --from-file stores an "
        "existing file without boaviztapi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factorset", dest="factorset_version", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--output", type=Path, help="Where to write the JSON.")
        parser.add_argument("--store", action="store_true")
        parser.add_argument(
            "--from-file", type=Path, help="Store this FactorSet file instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_file"]:
            data = self._read(options["from_file"])
        else:
            version = options["factorset_version"]
            if not version:
                raise CommandError(
                    "Name the new FactorSet with --factorset, e.g. 2026-1."
                )
            groups = [
                GroupToBuild(
                    code=g.code,
                    archetype=g.impact_archetype,
                    baseline_lifetime_years=g.baseline_lifetime_years,
                )
                for g in ProductGroup.objects.exclude(impact_archetype="")
            ]
            try:
                current = FactorSet.objects.current()
                data = build_factorset_data(
                    version=version,
                    title=options["title"] or f"FactorSet {version}",
                    groups=groups,
                    previous=factorset_data(current) if current else None,
                )
            except FactorsUnavailable as error:
                raise CommandError(str(error)) from error
        if options["output"]:
            write_data(data, options["output"])
        if options["store"] or options["from_file"]:
            try:
                with transaction.atomic():
                    store_factorset(data)
            except FactorSetDataError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            f"FactorSet {data['version']}: {len(data['products'])} product groups, "
            f"{len(data['electricity'])} electricity factors"
            + (f", written to {options['output']}" if options["output"] else "")
            + (", stored" if options["store"] or options["from_file"] else "")
        )

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            return read_data(path)
        except FactorSetDataError as error:
            raise CommandError(str(error)) from error
