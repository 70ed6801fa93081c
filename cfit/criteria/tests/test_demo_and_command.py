import io

import pytest
from django.core.management import CommandError, call_command

from cfit.criteria import demo
from cfit.criteria.models import CriterionUse, CriterionVersion, TenderSelection
from cfit.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_saves_tenders_with_usage_and_running_it_again_changes_nothing():
    organisations_demo.load(io.StringIO())
    demo.load(io.StringIO())
    selections, uses = TenderSelection.objects.count(), CriterionUse.objects.count()
    assert selections == 4 and uses > 0
    havenstad = TenderSelection.objects.get(title__startswith="Laptops for the city")
    assert havenstad.organisation.slug == "demo-02"
    assert havenstad.items.filter(version__criterion__code="LIFE-02").exists()
    assert CriterionVersion.objects.get(criterion__code="DEMO-01").status == "in_review"
    demo.load(io.StringIO())
    assert (TenderSelection.objects.count(), CriterionUse.objects.count()) == (
        selections,
        uses,
    )


def test_the_import_command_makes_drafts_or_says_why_not(tmp_path, secretariat):
    good = tmp_path / "good.csv"
    good.write_text(
        "code,title,product_groups,category,kind,level,tender_text,source\n"
        "NEW-01,Packaging free of plastics,laptop,packaging,technical_specification,"
        "base,The packaging contains no plastics.,pact_working_group\n"
    )
    out = io.StringIO()
    call_command("import_criteria", str(good), by=secretariat.email, stdout=out)
    assert "1 drafts made" in out.getvalue()
    assert CriterionVersion.objects.get(criterion__code="NEW-01").status == "draft"

    bad = tmp_path / "bad.csv"
    bad.write_text("code,title\nNEW-02,Missing columns\n")
    with pytest.raises(CommandError, match="misses the columns"):
        call_command("import_criteria", str(bad), by=secretariat.email)
