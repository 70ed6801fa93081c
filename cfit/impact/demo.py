"""Demo data of the impact app: a saved scenario plan and the stored figures.

Running it again changes nothing: the plan is found by its organisation and title, and
figures are recomputed only when none are stored under the current FactorSet.
"""

from decimal import Decimal
from typing import TextIO

from cfit.accounts.models import User
from cfit.criteria.models import ProductGroup
from cfit.organisations.models import Organisation

from .models import FactorSet, Recompute, Scenario, ScenarioOption
from .tasks import recompute_figures

PLAN_TITLE = "Laptops 2027 (demo)"
OPTIONS = [
    # label, quantity, share refurbished, lifetime
    ("All new, kept 4 years", 1200, 0, "4"),
    ("All new, kept 6 years", 1200, 0, "6"),
    ("Half refurbished, kept 5 years", 1200, 50, "5"),
]


def load(out: TextIO) -> None:
    factorset = FactorSet.objects.current()
    if factorset is None:
        out.write("impact: no current FactorSet, nothing to do\n")
        return
    organisation = Organisation.objects.filter(slug="demo-02").first()
    laptop = ProductGroup.objects.filter(code="laptop").first()
    made_plan = False
    if organisation and laptop:
        procurer = User.objects.filter(email="procurer@demo.cfit.example").first()
        scenario, made_plan = Scenario.objects.get_or_create(
            organisation=organisation,
            title=PLAN_TITLE,
            defaults={"created_by": procurer},
        )
        if made_plan:
            for position, (label, quantity, share, lifetime) in enumerate(OPTIONS, 1):
                ScenarioOption.objects.create(
                    scenario=scenario,
                    position=position,
                    label=label,
                    product_group=laptop,
                    quantity=quantity,
                    share_refurbished_percent=share,
                    lifetime_years=Decimal(lifetime),
                    country=organisation.country,
                )
    recomputed = False
    if not factorset.stored_figures.exists():
        recompute = Recompute.objects.create(factorset=factorset)
        recompute_figures.call(recompute_id=recompute.pk)
        recomputed = True
    out.write(
        f"impact: scenario plan {'added' if made_plan else 'kept'}, figures under "
        f"FactorSet {factorset.version} {'stored' if recomputed else 'kept'}\n"
    )
