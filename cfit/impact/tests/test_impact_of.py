"""manage.py impact_of FILE: totals and per-line figures of a file, storing nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cfit.monitoring.models import PurchaseLine

pytestmark = pytest.mark.django_db

GOOD = (
    "Product group;Quantity;Condition;Expected lifetime (years);Country of use;"
    "Devices retired;Retired to\n"
    "laptop;1000;new;6;NL;800;reuse\n"
    "smartphone;500;refurbished;2,5;NL;;\n"
    "laptop;10;new;;RW;;\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "purchases.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("impact_of", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_the_json_gives_the_totals_and_each_lines_figures_and_flags(tmp_path):
    code, out, _err = run(tmp_path, GOOD)
    assert code == 0
    document = json.loads(out)
    assert document["factorset"] == "2025-1"
    assert document["totals"]["devices"] == 1510
    assert document["totals"]["saving"]["gwp_kg"] == pytest.approx(90_500 + 36_540)
    assert document["totals"]["enabled"]["gwp_kg"] == pytest.approx(
        800 * 181 * (2 / 4 - 0.13)
    )
    first, second, third = document["lines"]
    assert (first["row"], second["row"], third["row"]) == (2, 3, 4)
    assert set(first) >= {"footprint", "baseline", "saving", "enabled", "flags"}
    assert third["flags"] == ["lifetime_assumed", "country_factor_fallback"]
    assert not PurchaseLine.objects.exists()


def test_the_table_format_prints_lines_and_totals(tmp_path):
    code, out, _err = run(tmp_path, GOOD, "--format", "table")
    assert code == 0
    assert "90,500.0" in out
    assert "lifetime_assumed" in out


def test_a_missing_country_of_use_is_an_error_with_its_row(tmp_path):
    code, out, err = run(tmp_path, GOOD + "laptop;5;new;4;;;\n")
    assert code == 1
    assert "row 5" in err and "country" in err
    assert out == ""


def test_an_unknown_factorset_version_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No FactorSet 1999-1"):
        run(tmp_path, GOOD, "--factorset", "1999-1")


def test_a_product_group_without_factors_is_a_row_error(tmp_path):
    code, _out, err = run(tmp_path, GOOD + "tablet;5;new;4;NL;;\n")
    assert code == 1
    assert "row 5" in err and "tablet" in err
