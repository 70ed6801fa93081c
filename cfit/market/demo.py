"""Demo market parties, consultations, statements of demand, tender calendar and roadmap.

Made up and marked as demo; builds on the demo organisations, groups and forecasts.
Everything is written through the services; running it again changes nothing (each
item is looked up by its name first).
"""

from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from cfit.accounts.models import User
from cfit.criteria.models import Criterion, CriterionVersion, ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.monitoring.models import DemandForecast
from cfit.organisations.demo import _user
from cfit.organisations.models import Membership, MembershipRole, MembershipStatus

from . import consultations, services
from .consultations import AnswerValue, ConsultationDetails
from .models import (
    CalendarEntry,
    MarketConsultation,
    MarketParty,
    Milestone,
    QuestionKind,
    StatementOfDemand,
)

MARKET_DEMO_PASSWORDS = {"market@demo.cfit.example": "Market-demo-2026"}

# name, kind, country, verified
PARTIES = [
    ("Renewed Devices", "refurbisher", "NL", True),
    ("Northwind Computers", "brand", "DE", True),
    ("Fairphone-like Mobile", "brand", "NL", True),
    ("Citadel IT Resellers", "reseller", "BE", True),
    ("Second Cycle Remanufacturing", "remanufacturer", "FR", True),
    ("Green Loop Recycling", "recycler", "BE", True),
    ("Device-as-a-Service Co", "service_provider", "SE", True),
    ("Open Repair Network", "ngo", "DE", True),
    ("Electronics Watch Europe", "ngo", "NL", True),
    ("Institute for Circular ICT", "research", "AT", True),
    ("Refurb Europe", "refurbisher", "ES", True),
    ("Fresh Start Recycling", "recycler", "IT", False),
]


def _name(name: str) -> str:
    return f"{name} (demo)"


def _parties(secretariat: User) -> list[MarketParty]:
    for index, (name, kind, country, verified) in enumerate(PARTIES):
        party = MarketParty.objects.filter(name=_name(name)).first()
        if party is None:
            email = (
                "market@demo.cfit.example"
                if index == 0
                else f"party{index + 1:02d}@demo.cfit.example"
            )
            person = _user(
                email, "Mara", f"Market {index + 1}", MARKET_DEMO_PASSWORDS.get(email)
            )
            party = services.market_party_register(
                by=person,
                name=_name(name),
                country=country,
                kind=kind,
                website="https://example.com/",
                product_groups=ProductGroup.objects.in_scope(),
                is_demo=True,
            )
            if verified:
                services.market_party_decide(party=party, by=secretariat, verify=True)
    return list(MarketParty.objects.filter(is_demo=True).verified().order_by("pk"))


def _consultation(
    *,
    by: User,
    title: str,
    group: BuyerGroup | None,
    criterion: Criterion,
    attributed: bool,
    days_open: int,
) -> MarketConsultation:
    now = timezone.now()
    consultation = consultations.consultation_save(
        by=by,
        details=ConsultationDetails(
            title=title,
            context=(
                "The buyer groups plan to ask for this in their next tenders. "
                "Tell us **what you can offer today** and what you need to get there."
            ),
            opens_at=now - timedelta(days=20),
            closes_at=now + timedelta(days=days_open),
            audience_kinds=[],
            answers_attributed=attributed,
            organiser_group=group,
            product_groups=tuple(ProductGroup.objects.in_scope()),
        ),
        is_demo=True,
    )
    for text, kind, choices, about in [
        (
            f"Can you meet {criterion.code} today?",
            QuestionKind.CRITERION,
            "",
            criterion,
        ),
        ("What stops you, or what would help you?", QuestionKind.TEXT, "", None),
        (
            "How long do you offer spare parts after the last sale?",
            QuestionKind.SINGLE,
            "Less than 3 years\n3 to 5 years\nMore than 5 years",
            None,
        ),
    ]:
        consultations.question_add(
            consultation=consultation,
            by=by,
            text=text,
            kind=kind,
            choices=choices,
            criterion=about,
        )
    return consultations.consultation_publish(consultation=consultation, by=by)


def _answer_and_close(
    consultation: MarketConsultation, parties: list[MarketParty], summary: str
) -> None:
    questions = {q.kind: q for q in consultation.questions.all()}
    for index, party in enumerate(parties):
        person = services.party_people(party, admins_only=True)[0]
        consultations.answers_save(
            consultation=consultation,
            by=person,
            submit=True,
            values={
                questions[QuestionKind.CRITERION].pk: AnswerValue(
                    meets_today=index % 3 == 0,
                    expected_year=None if index % 3 == 0 else 2027 + index % 2,
                ),
                questions[QuestionKind.TEXT].pk: AnswerValue(
                    text="Volumes: with a clear signal for three years we can plan."
                ),
                questions[QuestionKind.SINGLE].pk: AnswerValue(
                    selected=(questions[QuestionKind.SINGLE].choice_list[index % 3],)
                ),
            },
        )
    now = timezone.now()
    MarketConsultation.objects.filter(pk=consultation.pk).update(
        closes_at=now - timedelta(days=5)
    )
    consultation.refresh_from_db()
    consultations.summary_publish(
        consultation=consultation, by=consultation.created_by, summary=summary
    )


def _admins() -> list[Membership]:
    """The administrators of the demo signatories, one per organisation."""
    return list(
        Membership.objects.filter(
            organisation__is_demo=True,
            status=MembershipStatus.ACTIVE,
            role=MembershipRole.ADMIN,
            organisation__signatures__status="approved",
        )
        .select_related("user", "organisation")
        .distinct()
        .order_by("organisation__slug")
    )


def _statements(secretariat: User, admins: list[Membership]) -> list[StatementOfDemand]:
    laptop = ProductGroup.objects.get(code="laptop")
    smartphone = ProductGroup.objects.get(code="smartphone")
    specs = [
        (
            "Smartphones with a five-year warranty",
            "From **2027** we buy smartphones with a warranty of at least five years, "
            "battery included.",
            2027,
            ["LIFE-01"],
            [smartphone],
            admins[:6],
        ),
        (
            "Laptops with spare parts for seven years",
            "From **2026** we ask for spare parts for at least seven years after the "
            "last sale, and a warranty that covers the battery.",
            2026,
            ["LIFE-01", "LIFE-04"],
            [laptop],
            admins[2:10],
        ),
    ]
    statements = []
    for title, text, year, codes, groups, endorsers in specs:
        statement = StatementOfDemand.objects.filter(title=_name(title)).first()
        if statement is None:
            statement = services.statement_save(
                by=secretariat,
                title=_name(title),
                text=text,
                from_year=year,
                level="ambitious",
                criteria=Criterion.objects.filter(code__in=codes),
                product_groups=groups,
                is_demo=True,
            )
            services.statement_publish(statement=statement, by=secretariat)
            # Published in early 2024, so that the reports since then can be compared.
            StatementOfDemand.objects.filter(pk=statement.pk).update(
                published_on=date(2024, 3, 1)
            )
            for index, membership in enumerate(endorsers):
                services.statement_endorse(
                    statement=statement,
                    by=membership.user,
                    pledges={groups[0]: 100 * (index + 1) if index % 2 == 0 else None},
                )
        statements.append(statement)
    return statements


def _calendar(admins: list[Membership]) -> None:
    owners = {m.organisation_id: m.user for m in admins}
    forecasts = list(
        DemandForecast.objects.filter(organisation_id__in=owners).order_by("pk")[:12]
    )
    for index, forecast in enumerate(forecasts[::2]):
        if CalendarEntry.objects.filter(forecast=forecast).exists():
            continue
        services.calendar_entry_save(
            forecast=forecast,
            by=owners[forecast.organisation_id],
            open_to_joint_procurement=index % 2 == 0,
            aligned_criteria=True,
            show_name=index % 3 == 0,
            note="Looking for partners with the same delivery window.",
        )
        others = [p for org, p in owners.items() if org != forecast.organisation_id][
            index : index + 2
        ]
        for person in others:
            services.tender_interest_express(
                forecast=forecast, by=person, message="We plan the same quarter."
            )


def _roadmap(
    secretariat: User,
    summaries: list[MarketConsultation],
    statements: list[StatementOfDemand],
) -> None:
    versions = CriterionVersion.objects.approved()
    milestones = [
        (
            "lifetime",
            "Five-year warranty is the base in every Pact tender",
            2027,
            "in_progress",
            "LIFE-01",
        ),
        (
            "repair",
            "Spare parts for seven years for laptops and smartphones",
            2028,
            "planned",
            "LIFE-04",
        ),
        (
            "refurbished",
            "A quarter of the devices bought are refurbished",
            2030,
            "in_progress",
            "REFU-01",
        ),
        (
            "recycled",
            "Recycled content declared for every device bought",
            2029,
            "planned",
            "MATR-01",
        ),
        (
            "social",
            "Independent monitoring of working conditions in every contract",
            2028,
            "delayed",
            "",
        ),
        (
            "take_back",
            "Every retired device goes to reuse or certified recycling",
            2026,
            "reached",
            "EOL-01",
        ),
    ]
    for index, (theme, title, year, status, code) in enumerate(milestones):
        if Milestone.objects.filter(title=title).exists():
            continue
        milestone = services.milestone_save(
            milestone=Milestone(
                theme=theme,
                title=title,
                target_year=year,
                status=status,
                description="Agreed in the high-level dialogue between buyers and the market.",
                is_demo=True,
            ),
            by=secretariat,
        )
        if code:
            milestone.criterion_versions.set(versions.filter(criterion__code=code))
        if index < 2:
            milestone.consultations.set(summaries[index : index + 1])
            milestone.statements.set(statements[index : index + 1])


def load(out: TextIO) -> None:
    secretariat = User.objects.get(email="secretariat@demo.cfit.example")
    coordinator = User.objects.get(email="coordinator@demo.cfit.example")
    parties = _parties(secretariat)
    group = BuyerGroup.objects.filter(slug="demo-dutch-national-buyer-group").first()
    specs = [
        ("Battery replacement and warranty", coordinator, group, "LIFE-01", False),
        ("Spare parts for seven years", secretariat, None, "LIFE-04", True),
    ]
    summaries = []
    for title, by, organiser, code, attributed in specs:
        consultation = MarketConsultation.objects.filter(title=_name(title)).first()
        if consultation is None:
            consultation = _consultation(
                by=by,
                title=_name(title),
                group=organiser,
                criterion=Criterion.objects.get(code=code),
                attributed=attributed,
                days_open=10,
            )
            _answer_and_close(
                consultation,
                parties[: 5 if attributed else 7],
                "Most parties can meet the criterion by 2028. The buyer groups will "
                "ask for it at the **ambitious** level from next year, and at the base "
                "level two years later.",
            )
        summaries.append(consultation)
    if not MarketConsultation.objects.filter(title=_name("Take-back and data erasure")):
        _consultation(
            by=coordinator,
            title=_name("Take-back and data erasure"),
            group=group,
            criterion=Criterion.objects.get(code="EOL-01"),
            attributed=False,
            days_open=30,
        )
    admins = _admins()
    statements = _statements(secretariat, admins)
    _calendar(admins)
    _roadmap(secretariat, summaries, statements)
    out.write(
        f"Market: {MarketParty.objects.filter(is_demo=True).count()} market parties, "
        f"{MarketConsultation.objects.filter(is_demo=True).count()} consultations, "
        f"{StatementOfDemand.objects.filter(is_demo=True).count()} statements of demand, "
        f"{CalendarEntry.objects.count()} open tenders, "
        f"{Milestone.objects.filter(is_demo=True).count()} milestones\n"
    )
