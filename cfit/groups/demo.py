"""Demo buyer groups, memberships, posts, complex issues and working groups.

Made up and marked as demo; builds on the demo organisations (slugs demo-01 ... demo-41).
Running it again changes nothing: every row is found by its natural key first.
"""

import io
import random
from datetime import timedelta
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone

from cfit.accounts.models import User
from cfit.criteria.models import ProductGroup
from cfit.organisations.models import Membership, MembershipStatus, Organisation

from .models import (
    BuyerGroup,
    BuyerGroupKind,
    BuyerGroupMembership,
    ComplexIssue,
    ComplexIssueReply,
    GroupMembershipStatus,
    GroupPost,
    GroupPostKind,
    WorkingGroup,
    WorkingGroupDocument,
    WorkingGroupMembership,
    WorkingGroupStatus,
    WorkingGroupTopic,
)

K = BuyerGroupKind
S = GroupMembershipStatus
A, R, D, L, F = S.ACTIVE, S.REQUESTED, S.DECLINED, S.LEFT, "founder"

# slug, name, kind, country, region, languages, coordinator (demo number or None),
# members: (demo number, state)
GROUPS: list[
    tuple[str, str, str, str, str, list[str], int | None, list[tuple[int, str]]]
] = [
    (
        "demo-dutch-national-buyer-group",
        "Dutch national buyer group (demo)",
        K.NATIONAL,
        "NL",
        "",
        ["nl", "en"],
        1,
        [(2, A), (3, A), (4, A), (5, A), (32, A), (35, A), (34, R)],
    ),
    (
        "demo-belgian-buyer-group",
        "Belgian buyer group (demo)",
        K.NATIONAL,
        "BE",
        "",
        ["nl", "fr", "de"],
        6,
        [(7, A), (8, A), (34, D)],
    ),
    (
        "demo-german-federal-buyer-group",
        "German federal buyer group (demo)",
        K.NATIONAL,
        "DE",
        "",
        ["de"],
        9,
        [(11, A), (33, A)],
    ),
    (
        "demo-french-state-buyer-group",
        "French state buyer group (demo)",
        K.NATIONAL,
        "FR",
        "",
        ["fr"],
        12,
        [(13, A)],
    ),
    (
        "demo-catalan-regional-buyer-group",
        "Catalan regional buyer group (demo)",
        K.REGIONAL,
        "ES",
        "Catalonia",
        ["ca", "es"],
        15,
        [(16, A), (40, R)],
    ),
    (
        "demo-norrland-regional-buyer-group",
        "Norrland regional buyer group (demo)",
        K.REGIONAL,
        "SE",
        "Norrland",
        ["sv", "en"],
        19,
        [(20, A), (21, A)],
    ),
    (
        "demo-canadian-procurers-self-organised",
        "Canadian procurers (self-organised, demo)",
        K.NATIONAL,
        "CA",
        "",
        ["en", "fr"],
        None,
        [(36, F), (37, A)],
    ),
    (
        "demo-smartphones-for-field-work",
        "Smartphones for field work (thematic, demo)",
        K.THEMATIC,
        "",
        "",
        ["en"],
        17,
        [(2, A), (7, A), (24, A), (38, A), (25, R), (31, D), (23, L)],
    ),
]

DESCRIPTIONS: dict[str, str] = {
    K.NATIONAL: "Public buyers of one country who tender laptops and smartphones together, share criteria and report their purchases once a year.",
    K.REGIONAL: "Regional and local public buyers who pool their demand for circular and fair ICT and learn from each other's tenders.",
    K.THEMATIC: "Buyers across countries who share one question: rugged, repairable smartphones that last for outdoor and field work.",
}
HOW_TO_JOIN = "Procuring signatories of the Pact ask to join on this page. The coordinator answers within two weeks. Members report their purchases each year."

NEWS = [
    (
        "Joint tender for refurbished laptops",
        "The joint tender for refurbished laptops opens next month. Tell us your expected quantities before the end of this month.",
    ),
    (
        "Market consultation results",
        "Eleven suppliers answered the market consultation on battery replacement. The summary is in the shared folder.",
    ),
]
DISCUSSION = [
    "Has anyone asked suppliers for a guaranteed supply of spare batteries for five years?",
    "We did, in our last tender: three of five bidders offered it. Happy to share the clause.",
    "Thank you! We will use it in our smartphone tender this spring.",
]

ISSUES = [
    (
        "Data erasure certificates across borders",
        "Refurbishers in one country cannot always show erasure certificates that another country's rules accept. Can the groups agree on one accepted standard?",
        [
            "In our group we accept certificates that follow NIST 800-88 or an equivalent; that has worked so far.",
            "We would welcome a Pact-wide list. The criteria working group could take it up.",
        ],
    ),
    (
        "Reporting devices bought through framework contracts",
        "When a central purchasing body buys for many members, who reports the devices: the body or each member?",
        ["Each member reports what it called off; the body reports nothing twice."],
    ),
]

# name, topic, purpose, product groups, status, proposer demo number
WORKING_GROUPS: list[tuple[str, str, str, list[str], str, int]] = [
    (
        "Battery replacement criteria (demo)",
        WorkingGroupTopic.CRITERIA,
        "Draft an ambitious criterion on user-replaceable batteries and spare batteries for laptops and smartphones.",
        ["laptop", "smartphone"],
        WorkingGroupStatus.ACTIVE,
        1,
    ),
    (
        "Monitoring refurbished devices (demo)",
        WorkingGroupTopic.MONITORING_GUIDANCE,
        "Write guidance on how to report refurbished and internally reused devices in the yearly report.",
        ["laptop", "smartphone"],
        WorkingGroupStatus.ACTIVE,
        2,
    ),
    (
        "Tablets as a product group (demo)",
        WorkingGroupTopic.NEW_PRODUCT_GROUP,
        "Prepare tablets as the Pact's third product group: baseline lifetime, criteria and impact data.",
        ["tablet"],
        WorkingGroupStatus.PROPOSED,
        7,
    ),
    (
        "Device-as-a-service contracts (demo)",
        WorkingGroupTopic.PROCUREMENT_GUIDANCE,
        "Collect lessons on leasing and device-as-a-service contracts and how they extend lifetimes.",
        ["laptop"],
        WorkingGroupStatus.CLOSED,
        9,
    ),
]

# A very small, valid one-page PDF, so a demo document can be downloaded and opened.
DEMO_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 62 >> stream
BT /F1 18 Tf 72 770 Td (Demo document of a working group) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def _organisation(number: int) -> Organisation:
    return Organisation.objects.get(slug=f"demo-{number:02d}")


def _person_of(organisation: Organisation) -> User:
    membership = (
        Membership.objects.filter(
            organisation=organisation, status=MembershipStatus.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert membership is not None, f"{organisation} has no demo person"
    return membership.user


def _load_groups(rng: random.Random) -> tuple[int, int]:
    now = timezone.now()
    created = 0
    for slug, name, kind, country, region, languages, coordinator, members in GROUPS:
        group, was_created = BuyerGroup.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "country": country,
                "region": region,
                "languages": languages,
                "description": DESCRIPTIONS[kind],
                "how_to_join": HOW_TO_JOIN
                if coordinator
                else HOW_TO_JOIN.replace(
                    "The coordinator answers", "The founding members answer"
                ),
                "coordinator": _organisation(coordinator) if coordinator else None,
                "is_demo": True,
                "created_at": now - timedelta(days=rng.randint(400, 900)),
            },
        )
        created += was_created
        for number, state in members:
            organisation = _organisation(number)
            requested = now - timedelta(days=rng.randint(20, 380))
            status = A if state == F else state
            decided = requested + timedelta(days=5)
            BuyerGroupMembership.objects.get_or_create(
                group=group,
                organisation=organisation,
                defaults={
                    "status": status,
                    "is_founding_member": state == F,
                    "requested_at": requested,
                    "decided_at": None if status == R else decided,
                    "requested_by": _person_of(organisation),
                    "message": "We buy about 2,000 laptops a year and would like to join."
                    if status == R
                    else "",
                    "decision_message": "The group's members only buy together in the public sector for now; ask again when the group opens to private organisations."
                    if status == D
                    else "",
                    "left_at": decided + timedelta(days=90) if status == L else None,
                },
            )
        if was_created:
            _load_posts(group, rng)
    return BuyerGroup.objects.filter(is_demo=True).count(), created


def _load_posts(group: BuyerGroup, rng: random.Random) -> None:
    manager_org = group.coordinator or _organisation(36)
    author = _person_of(manager_org)
    start = timezone.now() - timedelta(days=60)
    for index, (title, body) in enumerate(NEWS):
        GroupPost.objects.create(
            group=group,
            kind=GroupPostKind.NEWS,
            title=title,
            body=body,
            author=author,
            organisation=manager_org,
            created_at=start + timedelta(days=20 * index),
        )
    members = list(
        group.memberships.filter(status=A).select_related("organisation")[:3]
    )
    for index, body in enumerate(DISCUSSION):
        organisation = (
            members[index % len(members)].organisation if members else manager_org
        )
        GroupPost.objects.create(
            group=group,
            kind=GroupPostKind.DISCUSSION,
            body=body,
            author=_person_of(organisation),
            organisation=organisation,
            created_at=start + timedelta(days=30 + index, hours=rng.randint(0, 8)),
        )


def _load_issues() -> None:
    authors = [_organisation(1), _organisation(6), _organisation(9)]
    for index, (title, body, replies) in enumerate(ISSUES):
        if ComplexIssue.objects.filter(title=title, is_demo=True).exists():
            continue
        created = timezone.now() - timedelta(days=40 - 10 * index)
        organisation = authors[index]
        issue = ComplexIssue.objects.create(
            title=title,
            body=body,
            author=_person_of(organisation),
            organisation=organisation,
            created_at=created,
            is_demo=True,
        )
        for number, text in enumerate(replies, start=1):
            replier = authors[(index + number) % len(authors)]
            ComplexIssueReply.objects.create(
                issue=issue,
                body=text,
                author=_person_of(replier),
                organisation=replier,
                created_at=created + timedelta(days=number),
            )


def _load_working_groups() -> int:
    from django.utils.text import slugify

    secretariat = User.objects.get(email="secretariat@demo.cfit.example")
    people = [_person_of(_organisation(n)) for n in (1, 2, 6, 12, 19)]
    for name, topic, purpose, product_groups, status, proposer_number in WORKING_GROUPS:
        proposer_org = _organisation(proposer_number)
        proposer = _person_of(proposer_org)
        decided = status != WorkingGroupStatus.PROPOSED
        working_group, was_created = WorkingGroup.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "topic": topic,
                "purpose": purpose,
                "status": status,
                "proposed_by": proposer,
                "proposed_by_organisation": proposer_org,
                "decided_by": secretariat if decided else None,
                "decided_at": timezone.now() - timedelta(days=200) if decided else None,
                "closed_at": timezone.now() - timedelta(days=20)
                if status == WorkingGroupStatus.CLOSED
                else None,
                "is_demo": True,
            },
        )
        if not was_created:
            continue
        working_group.product_groups.set(
            ProductGroup.objects.filter(code__in=product_groups)
        )
        if not decided:
            continue
        for person in {proposer, *people}:
            membership = person.memberships.filter(
                status=MembershipStatus.ACTIVE
            ).first()
            WorkingGroupMembership.objects.get_or_create(
                working_group=working_group,
                user=person,
                defaults={
                    "organisation": membership.organisation if membership else None
                },
            )
        document = WorkingGroupDocument(
            working_group=working_group,
            title=f"Draft of {name.removesuffix(' (demo)')}",
            original_name="draft.pdf",
            file_type="pdf",
            size=len(DEMO_PDF),
            uploaded_by=proposer,
        )
        document.file.save(
            "draft.pdf", ContentFile(io.BytesIO(DEMO_PDF).read()), save=False
        )
        document.save()
    return WorkingGroup.objects.filter(is_demo=True).count()


def load(out: TextIO) -> None:
    rng = random.Random(2023)
    groups, created = _load_groups(rng)
    _load_issues()
    working_groups = _load_working_groups()
    out.write(
        f"Buyer groups: {groups} demo ({created} new); working groups: {working_groups} demo\n"
    )
