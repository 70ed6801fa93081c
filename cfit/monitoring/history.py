"""A report's history in words: who did what, and the values as people read them.

"Anna Smit added 120 × Laptop (portable computer), refurbished", not "Line added
(line 666)"; "Retired devices went to: Reuse (resold or donated)", not "retired to reuse".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from cfit.criteria.models import Ecolabel, ProductGroup
from cfit.lib.countries import country_name
from cfit.lib.formatting import format_money, format_number

from .models import (
    ChangeAction,
    Condition,
    PurchaseLine,
    ReportChange,
    ReportStatus,
    RetiredTo,
)


@dataclass(frozen=True)
class Value:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Entry:
    change: ReportChange
    sentence: str
    values: list[Value]


def _field_label(name: str) -> str:
    labels = {
        "ecolabels": _("Ecolabels"),
        "criteria": _("Criteria applied"),
        "status": _("Status"),
        "question": _("Question"),
        "answer": _("Answer"),
        "reason": _("Reason"),
        "file": _("File"),
        "lines": _("Lines"),
        "devices": _("Devices"),
    }
    if name in labels:
        return labels[name]
    try:
        label = str(getattr(PurchaseLine._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # a key that older history kept; show it plainly
        label = name.replace("_", " ")
    return label[:1].upper() + label[1:]


class _Names:
    """Names for the codes a snapshot keeps, looked up once per page."""

    def __init__(self) -> None:
        self.groups = dict(ProductGroup.objects.values_list("code", "name"))
        self.labels = dict(Ecolabel.objects.values_list("code", "name"))

    def value(self, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if key == "product_group":
            return self.groups.get(value, value)
        if key == "condition":
            return str(dict(Condition.choices).get(value, value))
        if key == "retired_to":
            return str(dict(RetiredTo.choices).get(value, value))
        if key == "status":
            return str(dict(ReportStatus.choices).get(value, value))
        if key == "country_of_use":
            return country_name(str(value))
        if key == "spend_eur":
            return format_money(value)
        if key == "ecolabels":
            return ", ".join(self.labels.get(code, code) for code in value)
        if key == "criteria":
            return ", ".join(value)
        if key in ("expected_lifetime_years", "warranty_years"):
            return format_number(value, 1, trim=True)
        if key in ("quantity", "devices_retired", "lines", "devices"):
            return format_number(value)
        return str(value)

    def line(self, snapshot: dict[str, Any] | None) -> str:
        if not snapshot:
            return _("a line")
        return _("%(quantity)s × %(product)s, %(condition)s") % {
            "quantity": format_number(snapshot.get("quantity")),
            "product": self.value("product_group", snapshot.get("product_group")),
            "condition": self.value("condition", snapshot.get("condition")).lower(),
        }


def _sentence(change: ReportChange, names: _Names) -> str:
    who = change.by.display_name if change.by else _("A command-line import")
    before, after = change.before or {}, change.after or {}
    texts: dict[str, str] = {
        ChangeAction.LINE_ADDED: _("%(who)s added %(line)s"),
        ChangeAction.LINE_CHANGED: _("%(who)s changed %(line)s"),
        ChangeAction.LINE_DELETED: _("%(who)s removed %(line)s"),
        ChangeAction.IMPORTED: _(
            "%(who)s imported %(lines)s lines with %(devices)s devices"
        ),
        ChangeAction.REPLACED: _(
            "%(who)s replaced the lines by an import: %(lines)s lines with "
            "%(devices)s devices"
        ),
        ChangeAction.SUBMITTED: _("%(who)s submitted the report"),
        ChangeAction.QUERIED: _("%(who)s asked a question about %(line)s"),
        ChangeAction.ANSWERED: _("%(who)s answered the question"),
        ChangeAction.ACCEPTED: _("%(who)s accepted the report"),
        ChangeAction.REOPENED: _("%(who)s reopened the report"),
    }
    line = after if change.action == ChangeAction.LINE_ADDED else before or after
    return texts.get(change.action, "%(who)s: " + change.get_action_display()) % {
        "who": who,
        "line": names.line(line if "quantity" in line else None),
        "lines": format_number(after.get("lines")),
        "devices": format_number(after.get("devices")),
    }


# Kept in snapshots for the software, not for the reader.
_HIDDEN = {"version"}


def history_in_words(changes: Iterable[ReportChange]) -> list[Entry]:
    """Each change as a sentence and the values it touched, in the reader's words."""
    changes = list(changes)
    names = _Names()
    entries = []
    for change in changes:
        before, after = change.before or {}, change.after or {}
        keys = [k for k in {**before, **after} if k not in _HIDDEN]
        values = [
            Value(
                label=_field_label(key),
                before=names.value(key, before.get(key)) if key in before else "–",
                after=names.value(key, after.get(key)) if key in after else "–",
            )
            for key in keys
        ]
        if change.action == ChangeAction.LINE_CHANGED:
            values = [v for v in values if v.changed]
        entries.append(
            Entry(change=change, sentence=_sentence(change, names), values=values)
        )
    return entries
