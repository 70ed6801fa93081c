"""How an import writes its lines: every line and link stored, in few statements."""

import io

import pytest
from django.db import connection

from cfit.monitoring import services
from cfit.monitoring.models import PurchaseLine

from .factories import PurchaseReportFactory, ecolabel

LINES = 1200


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL takes the rows by COPY"
)
def test_an_import_writes_many_lines_and_links_per_insert_on_sqlite(
    organisation_a, procurer_a
):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    label = ecolabel()
    rows = "".join(
        f"laptop,{n % 7 + 1},{label.code if n % 3 == 0 else ''},NL,T-{n}\n"
        for n in range(LINES)
    )
    file = io.BytesIO(
        (
            "Product group,Quantity,Ecolabels,Country of use,Tender reference\n" + rows
        ).encode()
    )
    inserted: dict[str, int] = {}

    def count(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO"):
            table = sql.split('"')[1]
            inserted[table] = inserted.get(table, 0) + (len(params) if many else 1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        check = services.purchases_import(report=report, file=file, by=procurer_a)

    assert check.ok, check.problems
    lines = PurchaseLine.objects.filter(report=report)
    assert lines.count() == LINES
    labelled = lines.filter(ecolabels=label)
    assert labelled.count() == LINES // 3
    assert set(labelled.values_list("tender_reference", flat=True)) == {
        f"T-{n}" for n in range(0, LINES, 3)
    }
    # 500 rows per statement: three for the lines, one for their ecolabels.
    assert inserted[PurchaseLine._meta.db_table] <= 3
    assert inserted[PurchaseLine.ecolabels.through._meta.db_table] == 1
