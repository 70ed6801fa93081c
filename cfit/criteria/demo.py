"""Demo tender selections and criteria usage. The criteria themselves are real starting
content, loaded by migration 0004; only what organisations did with them is made up.

Running it again changes nothing: selections are found by organisation and title, and
usage is only added with a selection that is new.
"""

import random
from decimal import Decimal
from typing import TextIO

from cfit.accounts.models import User
from cfit.organisations.models import Organisation

from . import selectors, services
from .models import Criterion, CriterionUse, ProductGroup, TenderSelection, UsageEvent

# (organisation slug, title, product group, level, refurbished lot)
SELECTIONS = [
    (
        "demo-02",
        "Laptops for the city offices 2027 (demo)",
        "laptop",
        "ambitious",
        False,
    ),
    ("demo-02", "Smartphones for field staff (demo)", "smartphone", "base", False),
    ("demo-01", "Refurbished laptops framework (demo)", "laptop", "base", True),
    ("demo-03", "Laptops for schools (demo)", "laptop", "frontrunner", False),
]


def load(out: TextIO) -> None:
    rng = random.Random(2021)  # the year of the EU GPP criteria: same data everywhere
    made = 0
    for slug, title, group_code, level, refurbished in SELECTIONS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        if TenderSelection.objects.filter(
            organisation=organisation, title=title
        ).exists():
            continue
        product_group = ProductGroup.objects.get(code=group_code)
        versions = selectors.builder_candidates(group_code)
        chosen = selectors.preselected_codes(
            versions, level=level, refurbished_lot=refurbished
        )
        picks = []
        for version in versions:
            if version.criterion.code not in chosen:
                continue
            values = {}
            for parameter in version.parameters.all():
                if parameter.minimum is not None and parameter.maximum is not None:
                    low, high = int(parameter.minimum), int(parameter.maximum)
                    values[parameter.name] = str(rng.randint(low, high))
                else:
                    values[parameter.name] = parameter.default
            picks.append(services.Pick(version=version, values=values))
        member = User.objects.filter(
            memberships__organisation=organisation, memberships__status="active"
        ).first()
        services.tender_selection_save(
            by=member,  # type: ignore[arg-type]
            organisation=organisation,
            title=title,
            product_group=product_group,
            level=level,
            refurbished_lot=refurbished,
            picks=picks,
        )
        # Each saved tender was downloaded a few times as it was written.
        for _ in range(rng.randint(1, 3)):
            services.tender_export_record(
                picks=picks,
                organisation=organisation,
                export_format=rng.choice(["docx", "pdf", "md"]),
            )
        made += 1
    _draft_in_review(out)
    uses = CriterionUse.objects.filter(event=UsageEvent.EXPORTED).count()
    out.write(
        f"Criteria: {made} demo tender selections saved, {uses} exports counted.\n"
    )


def _draft_in_review(out: TextIO) -> None:
    """A made-up new criterion waiting for review, so the review flow can be tried."""
    secretariat = User.objects.filter(email="secretariat@demo.cfit.example").first()
    if secretariat is None or Criterion.objects.filter(code="DEMO-01").exists():
        return
    version = services.criterion_draft(
        by=secretariat,
        code="DEMO-01",
        content=services.VersionContent(
            title="Packaging made of recycled or reusable material (demo)",
            level="ambitious",
            category="packaging",
            kind="technical_specification",
            tender_text=(
                "At least {percent} % of the packaging by weight is made of recycled "
                "material, or the packaging is taken back and reused."
            ),
            source="pact_working_group",
            source_reference="Demo: criteria working group",
            product_groups=list(ProductGroup.objects.filter(in_pact_scope=True)),
            rationale="Packaging adds waste to every device delivered.",
            verification="A declaration of the supplier.",
            change_note="Demo draft.",
            parameters=[
                services.ParameterSpec(
                    name="percent",
                    label="Recycled packaging",
                    unit="%",
                    default="80",
                    minimum=Decimal("50"),
                    maximum=Decimal("100"),
                )
            ],
        ),
    )
    services.version_submit(version=version, by=secretariat)
    out.write("Criteria: one demo draft (DEMO-01) waits for review.\n")
