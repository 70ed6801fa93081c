"""Print the effects of a purchase file (the import format), storing nothing."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cfit.impact import method
from cfit.impact.factorsets import factors_of
from cfit.impact.models import FactorSet
from cfit.monitoring.importing import ParsedLine, Problem, Vocabulary, read_purchases

BLOCKS = ("footprint", "baseline", "saving", "enabled")


def _figures(figures: method.Figures) -> dict[str, float]:
    return {key: round(value, 6) for key, value in figures.as_dict().items()}


def _blocks(impact: method.Impact) -> dict[str, Any]:
    return {block: _figures(getattr(impact, block)) for block in BLOCKS}


class Command(BaseCommand):
    help = (
        "Compute the footprint, baseline, saving and enabled saving of every line of a "
        "CSV or XLSX purchase file and of the whole file, and print them. Stores "
        "nothing; every line needs its country of use. Exits 1 on bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--factorset", default="", help="Version; default current.")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        factorset = self._factorset(options["factorset"])
        factors = factors_of(factorset)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        total = method.Impact()
        lines: list[tuple[ParsedLine, method.Impact]] = []
        problems: list[Problem] = []
        with path.open("rb") as file:
            for row, result in read_purchases(
                file, vocabulary=Vocabulary.load(), default_country=None
            ):
                if not isinstance(result, ParsedLine):
                    problems.extend(result)
                    continue
                try:
                    impact = method.line_impact(self._line(result), factors)
                except method.MethodError as error:
                    problems.append(
                        Problem(str(error), row=row, column="product_group")
                    )
                    continue
                total = total + impact
                lines.append((result, impact))
        if not lines and not problems:
            problems.append(Problem("The file has no purchase lines."))
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise SystemExit(1)
        if options["format"] == "json":
            self._json(factorset.version, total, lines)
        else:
            self._table(factorset.version, total, lines)

    def _factorset(self, version: str) -> FactorSet:
        if version:
            found = FactorSet.objects.filter(version=version).first()
            if found is None:
                known = ", ".join(FactorSet.objects.values_list("version", flat=True))
                raise CommandError(f"No FactorSet {version}; known: {known}.")
            return found
        current = FactorSet.objects.current()
        if current is None:
            raise CommandError("No FactorSet is current: run migrate.")
        return current

    @staticmethod
    def _line(parsed: ParsedLine) -> method.Line:
        lifetime = parsed.expected_lifetime_years
        warranty = parsed.warranty_years
        return method.Line(
            product_group=parsed.product_group_code,
            quantity=parsed.quantity,
            condition=parsed.condition,
            expected_lifetime_years=None if lifetime is None else float(lifetime),
            country_of_use=parsed.country_of_use,
            devices_to_reuse=parsed.devices_retired
            if parsed.retired_to == "reuse"
            else 0,
            warranty_years=None if warranty is None else float(warranty),
        )

    def _json(
        self,
        version: str,
        total: method.Impact,
        lines: list[tuple[ParsedLine, method.Impact]],
    ) -> None:
        document = {
            "factorset": version,
            "totals": {"devices": total.devices, **_blocks(total)},
            "lines": [
                {
                    "row": parsed.row,
                    "product_group": parsed.product_group_code,
                    "devices": impact.devices,
                    **_blocks(impact),
                    "flags": list(impact.flags),
                }
                for parsed, impact in lines
            ],
        }
        self.stdout.write(json.dumps(document, indent=1))

    def _table(
        self,
        version: str,
        total: method.Impact,
        lines: list[tuple[ParsedLine, method.Impact]],
    ) -> None:
        out = self.stdout.write
        out(f"FactorSet {version}: {len(lines)} lines, {total.devices} devices")
        out("")
        header = (
            f"{'row':>6} {'product group':<14} {'devices':>9} {'condition':<15} "
            f"{'footprint kgCO2e':>17} {'saving kgCO2e':>14} {'saving kgSb':>12} "
            f"{'enabled kgCO2e':>15}  flags"
        )
        out(header)
        for parsed, impact in lines:
            out(
                f"{parsed.row:>6} {parsed.product_group_code:<14} {impact.devices:>9} "
                f"{parsed.condition:<15} {impact.footprint.gwp_kg:>17,.1f} "
                f"{impact.saving.gwp_kg:>14,.1f} {impact.saving.adpe_kg_sb:>12.4f} "
                f"{impact.enabled.gwp_kg:>15,.1f}  {', '.join(impact.flags)}"
            )
        out("")
        out(
            f"{'total':<22} {'footprint':>16} {'baseline':>16} {'saving':>16} {'enabled':>16}"
        )
        for key in method.INDICATORS:
            out(
                f"{key:<22} {total.footprint.get(key):>16,.4f} "
                f"{total.baseline.get(key):>16,.4f} {total.saving.get(key):>16,.4f} "
                f"{total.enabled.get(key):>16,.4f}"
            )
