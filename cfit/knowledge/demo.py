"""Demo good examples (with generated PDF and Word documents), comments, news and events.

Made up and marked as demo; built through the services like any other write. Running it
again changes nothing: an example, news item or event whose address exists is skipped.
"""

from datetime import datetime, time, timedelta
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from cfit.accounts.models import User
from cfit.criteria.models import CriterionVersion, ProductGroup
from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import groups_of
from cfit.organisations.models import Membership, MembershipStatus, Organisation

from . import event_services, services
from .models import Event, GoodExample, NewsItem
from .samples import docx_with_text, pdf_with_text
from .selectors import linkable_lines

# (organisation number, title, kind, condition, product groups, language, year,
#  procedure, criteria, visibility, summary, results, lesson, document)
# document: "pdf", "docx" or "" — generated with searchable text.
EXAMPLES: list[tuple] = [
    (
        2,
        "Refurbished laptops for 3,000 civil servants",
        "tender",
        "refurbished",
        ["laptop"],
        "en",
        2025,
        "open",
        ["LIFE-01", "REFU-01", "EOL-01"],
        "public",
        "A city bought refurbished laptops with a five-year warranty and certified data erasure.",
        "Devices in use for six years on average; **40 %** less spend than new.",
        "Ask for the battery health report of every device.",
        "pdf",
    ),
    (
        3,
        "Smartphones with replaceable batteries",
        "tender",
        "new",
        ["smartphone"],
        "nl",
        2024,
        "open",
        ["BATT-01", "LIFE-02"],
        "public",
        "Een provincie kocht smartphones met vervangbare accu's en vijf jaar updates.",
        "De accu's gaan langer mee en toestellen worden hergebruikt.",
        "Vraag om beveiligingsupdates voor minstens vijf jaar.",
        "docx",
    ),
    (
        4,
        "Take-back clause in a framework agreement",
        "case",
        "new",
        ["laptop", "smartphone"],
        "en",
        2023,
        "mini_competition",
        ["EOL-02", "EOL-03"],
        "public",
        "A contract performance clause that makes the supplier take back and reuse old devices.",
        "1,200 devices went to reuse instead of storage.",
        "Agree the reporting format for take-back in the contract.",
        "",
    ),
    (
        5,
        "Remanufactured laptops for field staff",
        "case",
        "remanufactured",
        ["laptop"],
        "en",
        2025,
        "restricted",
        ["REFU-02"],
        "public",
        "Remanufactured rugged laptops for water inspectors.",
        "No difference in failure rate against new devices.",
        "Test a few devices in the field before the award.",
        "",
    ),
    (
        7,
        "Tablets? No: laptops used longer",
        "lesson",
        "reused",
        ["laptop"],
        "fr",
        2024,
        "other",
        ["LIFE-03"],
        "public",
        "Une ville a prolongé l'usage de ses ordinateurs portables au lieu d'en acheter.",
        "Deux ans de plus par appareil grâce à un service de réparation interne.",
        "Former le service informatique à la réparation.",
        "",
    ),
    (
        8,
        "Fair labour clause with supply chain mapping",
        "tender",
        "new",
        ["laptop"],
        "en",
        2025,
        "competitive_dialogue",
        ["FAIR-01", "FAIR-02"],
        "public",
        "An agency asked bidders to map their final assembly factories and remedy issues.",
        "Two factories audited; one remediation plan agreed.",
        "Work with an independent monitoring organisation.",
        "pdf",
    ),
    (
        11,
        "Energieeffiziente Notebooks mit TCO-Zertifikat",
        "tender",
        "new",
        ["laptop"],
        "de",
        2024,
        "open",
        ["ENER-01", "LIFE-01"],
        "public",
        "Eine Stadt kaufte Notebooks mit TCO Certified und langer Garantie.",
        "Weniger Ausfälle und geringerer Stromverbrauch.",
        "Umweltzeichen als Nachweis akzeptieren spart Prüfaufwand.",
        "",
    ),
    (
        12,
        "Joint purchase of refurbished smartphones",
        "tender",
        "refurbished",
        ["smartphone"],
        "fr",
        2025,
        "joint",
        ["REFU-03"],
        "public",
        "Achat groupé de smartphones reconditionnés pour plusieurs ministères.",
        "5 000 smartphones reconditionnés avec garantie de deux ans.",
        "Fixer des lots par grade esthétique.",
        "",
    ),
    (
        15,
        "Portátiles reacondicionados con garantía",
        "tender",
        "refurbished",
        ["laptop"],
        "es",
        2024,
        "open",
        ["REFU-01", "EOL-04"],
        "public",
        "Un servicio regional compró portátiles reacondicionados con borrado certificado.",
        "Ahorro de carbono y de costes frente a equipos nuevos.",
        "Pedir informes de borrado por número de serie.",
        "",
    ),
    (
        17,
        "Market consultation before a laptop tender",
        "lesson",
        "new",
        ["laptop"],
        "it",
        2023,
        "open",
        ["LIFE-04"],
        "public",
        "What a market consultation taught about spare parts availability.",
        "Suppliers could promise seven years of spare parts.",
        "Publish the questions two months before the tender.",
        "",
    ),
    (
        19,
        "Longer lifetime through a device-as-a-service contract",
        "case",
        "new",
        ["laptop", "smartphone"],
        "sv",
        2024,
        "restricted",
        ["LIFE-05"],
        "members",
        "A service contract where the supplier keeps devices in use for six years.",
        "Devices are refurbished and passed on after the first user.",
        "Agree who owns the device at the end of the contract.",
        "",
    ),
    (
        22,
        "Reused smartphones for schools",
        "case",
        "reused",
        ["smartphone"],
        "da",
        2025,
        "other",
        ["REFU-04"],
        "public",
        "Smartphones from the ministry were reset and given to schools.",
        "800 devices reused internally.",
        "Erase data with a certified tool before passing devices on.",
        "",
    ),
    (
        24,
        "Award weights for repairability",
        "tender",
        "new",
        ["laptop"],
        "fi",
        2024,
        "open",
        ["LIFE-06", "LIFE-07"],
        "public",
        "Repairability scores weighed 20 % in the award.",
        "Winning bid scored 8.5 on the repairability index.",
        "A repairability index is easy to verify.",
        "docx",
    ),
    (
        27,
        "Central framework with circular lots",
        "tender",
        "refurbished",
        ["laptop", "smartphone"],
        "en",
        2025,
        "mini_competition",
        ["REFU-01", "LIFE-01"],
        "public",
        "A national framework with a lot for refurbished devices.",
        "Refurbished devices are now 15 % of all call-offs.",
        "Keep lots small enough for refurbishers to bid.",
        "",
    ),
    (
        30,
        "Data erasure standard for municipalities",
        "lesson",
        "reused",
        ["laptop"],
        "pl",
        2024,
        "other",
        ["EOL-01"],
        "public",
        "How a city agreed on one data erasure standard before passing devices on.",
        "All devices leave with an erasure certificate.",
        "Choose the standard before the first device leaves.",
        "",
    ),
]

NEWS = [
    (
        "The Pact passes forty signatories",
        "public",
        20,
        "Forty organisations in twelve countries have signed the Circular & Fair ICT Pact.",
        "Forty organisations have now signed. Read the **good examples** they share.",
    ),
    (
        "New criteria for battery health",
        "public",
        12,
        "The working group on criteria published a new criterion on battery health reports.",
        "The new criterion asks for a battery health report per device.",
    ),
    (
        "Reporting season opens",
        "public",
        5,
        "Report what your organisation bought last year before 31 March.",
        "Reports are due by **31 March**. Use the upload template to save time.",
    ),
    (
        "Notes of the members' meeting",
        "members",
        3,
        "What the members agreed on take-back clauses.",
        "The members agreed to share their take-back clauses as good examples.",
    ),
]

# (title, kind, days from today, hour, time zone, audience, capacity, place, online)
EVENTS = [
    (
        "Webinar: buying refurbished laptops",
        "webinar",
        14,
        10,
        "Europe/Brussels",
        "public",
        100,
        "",
        "https://meet.example.org/refurbished",
    ),
    (
        "Market dialogue day on smartphones",
        "market_dialogue",
        30,
        9,
        "Europe/Paris",
        "public",
        2,
        "Conference centre, Lyon",
        "",
    ),
    (
        "Training: circular criteria in your tender",
        "training",
        45,
        13,
        "Europe/Madrid",
        "members",
        30,
        "",
        "https://meet.example.org/training",
    ),
    (
        "Dutch buyer group meeting",
        "group_meeting",
        21,
        14,
        "Europe/Amsterdam",
        "group",
        None,
        "The Hague",
        "",
    ),
    (
        "Webinar: take-back and data erasure",
        "webinar",
        -20,
        10,
        "Europe/Brussels",
        "public",
        None,
        "",
        "https://meet.example.org/take-back",
    ),
    (
        "Kick-off of the Nordic buyer group",
        "group_meeting",
        -60,
        11,
        "Europe/Stockholm",
        "public",
        None,
        "Stockholm",
        "",
    ),
]


def _member(organisation: Organisation) -> User | None:
    membership = Membership.objects.filter(
        organisation=organisation, status=MembershipStatus.ACTIVE
    ).first()
    return membership.user if membership else None


def _document(kind: str, example: GoodExample) -> SimpleUploadedFile:
    words = [
        example.summary,
        "Award: price 60 %, lifetime and repairability 40 %.",
        "Every device comes with a battery health report and an erasure certificate "
        "from a certified erasure tool (Blancco or equivalent).",
    ]
    name = slugify(example.title)[:60]
    if kind == "pdf":
        return SimpleUploadedFile(f"{name}.pdf", pdf_with_text(example.title, words))
    return SimpleUploadedFile(
        f"{name}-evaluation-grid.docx", docx_with_text(example.title, words)
    )


def _load_examples(secretariat: User) -> int:
    created = 0
    for (number, title, kind, condition, groups, language, year, procedure, codes,
         visibility, summary, results, lesson, document) in EXAMPLES:  # fmt: skip
        if GoodExample.objects.filter(slug=slugify(title)).exists():
            continue
        organisation = Organisation.objects.filter(slug=f"demo-{number:02d}").first()
        author = _member(organisation) if organisation else None
        if organisation is None or author is None:
            continue
        published_effects = ["devices", "gwp_kg"] if number == 2 else []
        example = services.example_save(
            by=author,
            organisation=organisation,
            fields={
                "title": title,
                "kind": kind,
                "summary": summary,
                "language": language,
                "tags": "demo, " + condition,
                "visibility": visibility,
                "condition": condition,
                "year": year,
                "procedure": procedure,
                "devices": 3000 if number == 2 else None,
                "contract_value": "1m_10m" if number == 2 else "",
                "duration_months": 48,
                "contract_type": "framework" if number % 2 else "single",
                "buyer_group": groups_of(organisation).first(),
                "show_contact": number == 2,
                "results": results,
                "what_worked": lesson,
                "do_differently": "Start the market consultation earlier.",
                "published_effects": published_effects,
            },
            product_groups=ProductGroup.objects.filter(code__in=groups),
            criterion_versions=CriterionVersion.objects.approved().filter(
                criterion__code__in=codes
            ),
            purchase_lines=list(linkable_lines(organisation)[:3])
            if number == 2
            else [],
            is_demo=True,
        )
        if document:
            services.example_document_add(
                example=example,
                by=author,
                title="Tender document" if document == "pdf" else "Evaluation grid",
                upload=_document(document, example),
            )
        created += 1
        if number == 30:
            continue  # stays a draft
        services.example_submit(example=example, by=author)
        if number == 27:
            continue  # waits for review
        example = services.example_publish(example=example, by=secretariat)
        if number == 2:
            commenter = User.objects.filter(
                email="coordinator@demo.cfit.example"
            ).first()
            if commenter:
                services.example_comment(
                    example=example,
                    by=commenter,
                    body="Which erasure standard did you ask for?",
                    is_question=True,
                )
        if number == 3:
            commenter = User.objects.filter(email="procurer@demo.cfit.example").first()
            if commenter:
                services.example_comment(
                    example=example,
                    by=commenter,
                    body="We will reuse your battery clause in our next tender.",
                )
    return created


def _load_news(secretariat: User) -> None:
    for title, audience, days_ago, summary, body in NEWS:
        if NewsItem.objects.filter(slug=slugify(title)).exists():
            continue
        event_services.news_post(
            by=secretariat,
            title=title,
            summary=summary,
            body=body,
            audience=audience,
            published_at=timezone.now() - timedelta(days=days_ago),
            is_demo=True,
        )


def _load_events(secretariat: User) -> None:
    group = BuyerGroup.objects.filter(slug="demo-dutch-national-buyer-group").first()
    coordinator = User.objects.filter(email="coordinator@demo.cfit.example").first()
    today = timezone.localdate()
    for title, kind, days, hour, zone, audience, capacity, place, online in EVENTS:
        if Event.objects.filter(slug=slugify(title)).exists():
            continue
        if audience == "group" and (group is None or coordinator is None):
            continue
        start = datetime.combine(today + timedelta(days=days), time(hour))
        event = event_services.event_save(
            by=coordinator if audience == "group" and coordinator else secretariat,
            fields={
                "title": title,
                "kind": kind,
                "description": f"{title}. Procurers of the Pact share what works.",
                "starts_at": start,
                "ends_at": start + timedelta(hours=2 if kind == "webinar" else 6),
                "time_zone": zone,
                "place": place,
                "online_url": online,
                "audience": audience,
                "group": group if audience == "group" else None,
                "registration_open": days > 0,
                "capacity": capacity,
            },
            is_demo=True,
        )
        if capacity == 2:
            # Full, with one person waiting: shows the waiting list.
            people = User.objects.filter(email__startswith="admin").order_by("email")
            for person in people[:3]:
                event_services.event_register(event=event, by=person)


def load(out: TextIO) -> None:
    secretariat = User.objects.filter(email="secretariat@demo.cfit.example").first()
    if secretariat is None:
        return
    created = _load_examples(secretariat)
    _load_news(secretariat)
    _load_events(secretariat)
    out.write(
        f"Good examples: {GoodExample.objects.filter(is_demo=True).count()} demo "
        f"({created} new); news: {NewsItem.objects.filter(is_demo=True).count()}; "
        f"events: {Event.objects.filter(is_demo=True).count()}\n"
    )
