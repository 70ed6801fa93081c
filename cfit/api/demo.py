"""Demo data of the API app: some demo organisations publish their planned tenders, so
that the open-data page and the OCDS release package show something. Idempotent."""

from typing import TextIO

from cfit.monitoring.models import DemandForecast
from cfit.organisations.models import Membership, MembershipRole, MembershipStatus

from . import services


# Every other demo organisation with planned tenders opts in: both cases show.
def load(out: TextIO) -> None:
    organisation_ids = sorted(
        set(
            DemandForecast.objects.filter(organisation__is_demo=True).values_list(
                "organisation_id", flat=True
            )
        )
    )
    published = 0
    for position, organisation_id in enumerate(organisation_ids):
        if position % 2:
            continue
        admin = (
            Membership.objects.filter(
                organisation_id=organisation_id,
                role=MembershipRole.ADMIN,
                status=MembershipStatus.ACTIVE,
            )
            .select_related("user", "organisation")
            .first()
        )
        if admin is None:
            continue
        services.consent_set(
            organisation=admin.organisation,
            by=admin.user,
            publish_planned_tenders=True,
        )
        published += 1
    out.write(f"{published} demo organisations publish their planned tenders\n")
