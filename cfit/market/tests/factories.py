"""What exists in market tests: market parties with their people, consultations."""

from datetime import timedelta

from django.utils import timezone

from cfit.accounts.models import User
from cfit.accounts.tests.factories import UserFactory
from cfit.criteria.models import Criterion
from cfit.market import consultations, services
from cfit.market.models import MarketConsultation, MarketParty, QuestionKind


def party_with_person(
    secretariat: User,
    *,
    name: str,
    kind: str = "refurbisher",
    country: str = "NL",
    verified: bool = True,
    email: str | None = None,
) -> tuple[MarketParty, User]:
    """A market party registered through the service by its first person (admin)."""
    person = UserFactory(**({"email": email} if email else {}))
    party = services.market_party_register(
        by=person, name=name, country=country, kind=kind
    )
    if verified:
        services.market_party_decide(party=party, by=secretariat, verify=True)
        party.refresh_from_db()
    return party, person


def open_consultation(
    by: User,
    *,
    criterion: Criterion | None = None,
    attributed: bool = False,
    audience_kinds: list[str] | None = None,
    group=None,  # type: ignore[no-untyped-def]
) -> MarketConsultation:
    """A consultation sent to the market, open for a week, with a text question and,
    when a criterion is given, a question about it."""
    now = timezone.now()
    consultation = consultations.consultation_save(
        by=by,
        details=consultations.ConsultationDetails(
            title="Battery replacement",
            context="We plan to ask for **user-replaceable** batteries.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            audience_kinds=audience_kinds or [],
            answers_attributed=attributed,
            organiser_group=group,
        ),
    )
    consultations.question_add(
        consultation=consultation,
        by=by,
        text="What stops you today?",
        kind=QuestionKind.TEXT,
    )
    if criterion is not None:
        consultations.question_add(
            consultation=consultation,
            by=by,
            text=f"Can you meet {criterion.code}?",
            kind=QuestionKind.CRITERION,
            criterion=criterion,
        )
    return consultations.consultation_publish(consultation=consultation, by=by)


def close(consultation: MarketConsultation) -> None:
    """Move the consultation's dates into the past, as if time had passed."""
    now = timezone.now()
    MarketConsultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=10), closes_at=now - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
