"""Purchase lines proposed from Open Contracting (OCDS) data: a release package or a
record package from a national portal.

Releases are compiled into one record per contracting process (ocdsmerge); the items
of its contracts, or of its awards where no contract covers them, whose CPV code
belongs to a product group become proposed lines. A code belongs to a product group
when it, or one of its parent codes in the CPV hierarchy, is among the group's CPV
codes (data the secretariat keeps on the product group). The tender reference of a
proposed line is the process's ocid and the item's id, so that a second import of the
same package proposes nothing already stored.

The procurer then completes what OCDS lacks (condition, lifetime, ecolabels,
criteria) and the lines are stored with the file import's checks (cfit.monitoring.rows).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import ocdsmerge
from django.utils.translation import gettext as _
from ocdskit.util import is_record_package, is_release_package

from cfit.criteria.models import ProductGroup
from cfit.organisations.models import Organisation

from .models import PurchaseLine

MAX_PACKAGE_BYTES = 50 * 1024 * 1024
# OCDS 1.1's merge rules for what is read here: the release's own id and tags are not
# merged, lists of codes are replaced as a whole; objects in lists merge by their id.
# Given here so that compiling never downloads the release schema.
MERGE_RULES: dict[tuple[str, ...], str] = {
    ("id",): "omitWhenMerged",
    ("tag",): "omitWhenMerged",
    ("parties", "roles"): "wholeListMerge",
    ("relatedProcesses", "relationship"): "wholeListMerge",
    ("tender", "submissionMethod"): "wholeListMerge",
    ("tender", "additionalProcurementCategories"): "wholeListMerge",
}
INACTIVE = {"cancelled", "unsuccessful", "pending"}


def _dict(value: Any) -> dict[str, Any]:
    """Published data is what it is: a value that should be an object and is not
    reads as an empty object, never as a crash."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class PackageRefused(Exception):
    """The file is not an OCDS package this reader understands; the message says why."""


@dataclass(frozen=True)
class ProposedLine:
    """An awarded or contracted item that looks like a purchase of a product group."""

    tender_reference: str  # "<ocid>/<item id>"
    ocid: str
    item_id: str
    product_group: str  # code
    product_group_name: str
    description: str
    cpv: str
    quantity: int | None
    amount: str  # the value as published, text to survive a session
    currency: str
    date: str  # ISO date of the contract or award, or ""
    buyer: str

    @property
    def spend_eur(self) -> str:
        """The value in euros when it was published in euros; never converted."""
        return self.amount if self.currency == "EUR" else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Proposal:
    lines: list[ProposedLine] = field(default_factory=list)
    already_stored: int = 0
    other_years: int = 0
    unrelated: int = 0
    frameworks: int = 0
    processes: int = 0


def load_package(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageRefused(
            _("The file is larger than %(mb)s MB.")
            % {"mb": MAX_PACKAGE_BYTES // (1024 * 1024)}
        )
    try:
        package = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise PackageRefused(
            _("This file is not JSON. Download the OCDS data as JSON and upload it.")
        ) from error
    if not isinstance(package, dict):
        raise PackageRefused(
            _("This JSON file is not an OCDS release or record package.")
        )
    return package


def compiled_releases(package: dict[str, Any]) -> list[dict[str, Any]]:
    """One compiled release per contracting process (ocid) of the package."""
    merger = ocdsmerge.Merger(merge_rules=MERGE_RULES)
    if is_release_package(package):
        by_ocid: dict[str, list[dict[str, Any]]] = {}
        for release in _list(package.get("releases")):
            if isinstance(release, dict) and isinstance(release.get("ocid"), str):
                by_ocid.setdefault(release["ocid"], []).append(release)
        return [_compile(merger, releases) for releases in by_ocid.values()]
    if is_record_package(package):
        compiled = []
        for record in _list(package.get("records")):
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("compiledRelease"), dict):
                compiled.append(record["compiledRelease"])
                continue
            releases = [
                r
                for r in _list(record.get("releases"))
                if isinstance(r, dict) and "date" in r and "url" not in r
            ]
            if releases:
                compiled.append(_compile(merger, releases))
        return compiled
    raise PackageRefused(
        _(
            "This JSON file is not an OCDS release package or record package: it has "
            "no “releases” or “records” list."
        )
    )


def _compile(
    merger: ocdsmerge.Merger, releases: list[dict[str, Any]]
) -> dict[str, Any]:
    try:
        ordered = sorted(releases, key=lambda r: str(r.get("date") or ""))
        return merger.create_compiled_release(ordered)
    except (
        ocdsmerge.exceptions.OCDSMergeError,
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
    ) as error:
        raise PackageRefused(
            _("The releases of %(ocid)s cannot be compiled: %(error)s")
            % {"ocid": releases[0].get("ocid", "?"), "error": error}
        ) from error


# ---------------------------------------------------------------- CPV


def cpv_digits(code: object) -> str:
    """The eight digits of a CPV code ("30213100-6" -> "30213100"), or ""."""
    digits = str(code or "").split("-")[0].strip()
    return digits if len(digits) == 8 and digits.isdigit() else ""


def cpv_parents(code: str) -> Iterator[str]:
    """The code and its parents, most precise first: 30213100, 30213000, 30210000..."""
    digits = code.rstrip("0")
    while len(digits) >= 2:
        yield digits.ljust(8, "0")
        digits = digits[:-1].rstrip("0")


def cpv_mapping() -> dict[str, ProductGroup]:
    """Each CPV code the secretariat gave a product group, to that group."""
    mapping: dict[str, ProductGroup] = {}
    for group in ProductGroup.objects.all():
        for code in group.cpv_codes.split(","):
            digits = cpv_digits(code)
            if digits:
                mapping.setdefault(digits, group)
    return mapping


def product_group_of(cpv: str, mapping: dict[str, ProductGroup]) -> ProductGroup | None:
    for code in cpv_parents(cpv):
        if code in mapping:
            return mapping[code]
    return None


# ---------------------------------------------------------------- items


def _is_framework(release: dict[str, Any]) -> bool:
    """The process that sets up a framework agreement buys nothing by itself: its
    call-offs (processes related to it as "framework") do."""
    tender = _dict(release.get("tender"))
    techniques = _dict(tender.get("techniques"))
    sets_up = (
        bool(techniques.get("hasFrameworkAgreement"))
        or "framework" in str(tender.get("procurementMethodDetails", "")).casefold()
    )
    is_call_off = any(
        "framework" in _list(_dict(related).get("relationship"))
        for related in _list(release.get("relatedProcesses"))
        if isinstance(related, dict)
    )
    return sets_up and not is_call_off


def _awarded_items(
    release: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(item, the contract or award it comes from), contracts first, each item once."""
    seen: set[str] = set()
    sources = [c for c in _list(release.get("contracts")) if isinstance(c, dict)] + [
        a for a in _list(release.get("awards")) if isinstance(a, dict)
    ]
    for source in sources:
        if str(source.get("status", "")).casefold() in INACTIVE:
            continue
        for item in _list(source.get("items")):
            if not isinstance(item, dict) or item.get("id") is None:
                continue
            key = str(item["id"])
            if key in seen:
                continue
            seen.add(key)
            yield item, source


def _quantity(item: dict[str, Any]) -> int | None:
    try:
        number = Decimal(str(item.get("quantity")))
    except (InvalidOperation, ValueError):
        return None
    if number != number.to_integral_value() or number < 1:
        return None
    return int(number)


def _value(item: dict[str, Any], source: dict[str, Any], items: int) -> tuple[str, str]:
    unit_value = _dict(_dict(item.get("unit")).get("value"))
    quantity = _quantity(item)
    try:
        if unit_value.get("amount") is not None and quantity:
            amount = Decimal(str(unit_value["amount"])) * quantity
            return f"{amount:.2f}", str(unit_value.get("currency") or "")
        total = _dict(source.get("value"))
        if items == 1 and total.get("amount") is not None:
            return f"{Decimal(str(total['amount'])):.2f}", str(
                total.get("currency") or ""
            )
    except (InvalidOperation, ValueError, AttributeError):
        pass
    return "", ""


def _date(source: dict[str, Any], release: dict[str, Any]) -> str:
    period = _dict(source.get("period"))
    for value in (
        source.get("dateSigned"),
        source.get("date"),
        period.get("startDate"),
        release.get("date"),
    ):
        if isinstance(value, str) and len(value) >= 10 and value[:4].isdigit():
            return value[:10]
    return ""


def propose(
    releases: Iterable[dict[str, Any]],
    *,
    organisation: Organisation,
    year: int | None,
) -> Proposal:
    """The lines the releases suggest for the organisation's report of `year`."""
    mapping = cpv_mapping()
    proposal = Proposal()
    candidates: list[ProposedLine] = []
    for release in releases:
        proposal.processes += 1
        if _is_framework(release):
            proposal.frameworks += 1
            continue
        ocid = str(release.get("ocid", ""))
        buyer = str(_dict(release.get("buyer")).get("name", ""))
        for item, source in _awarded_items(release):
            classification = _dict(item.get("classification"))
            cpv = (
                cpv_digits(classification.get("id"))
                if str(classification.get("scheme", "CPV")).upper() == "CPV"
                else ""
            )
            group = product_group_of(cpv, mapping) if cpv else None
            if group is None:
                proposal.unrelated += 1
                continue
            date = _date(source, release)
            if year is not None and date and int(date[:4]) != year:
                proposal.other_years += 1
                continue
            amount, currency = _value(item, source, len(_list(source.get("items"))))
            candidates.append(
                ProposedLine(
                    tender_reference=f"{ocid}/{item['id']}"[:200],
                    ocid=ocid,
                    item_id=str(item["id"]),
                    product_group=group.code,
                    product_group_name=str(group.name),
                    description=str(item.get("description") or "")[:300],
                    cpv=cpv,
                    quantity=_quantity(item),
                    amount=amount,
                    currency=currency,
                    date=date,
                    buyer=buyer,
                )
            )
    stored = set(
        PurchaseLine.objects.filter(
            report__organisation=organisation,
            tender_reference__in=[c.tender_reference for c in candidates],
        ).values_list("tender_reference", flat=True)
    )
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.tender_reference in stored:
            proposal.already_stored += 1
        elif candidate.tender_reference not in seen:
            seen.add(candidate.tender_reference)
            proposal.lines.append(candidate)
    return proposal


def propose_from_file(
    data: bytes, *, organisation: Organisation, year: int | None
) -> Proposal:
    """Read a package and propose its lines; PackageRefused if it cannot be read."""
    return propose(
        compiled_releases(load_package(data)), organisation=organisation, year=year
    )


def as_row(line: ProposedLine, **completed: Any) -> dict[str, Any]:
    """A proposed line as a row of the file import, with what the procurer added."""
    return {
        "product_group": line.product_group,
        "quantity": line.quantity,
        "spend_eur": line.spend_eur,
        "tender_reference": line.tender_reference,
    } | completed
