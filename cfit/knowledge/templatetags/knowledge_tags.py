from django import template

from cfit.knowledge import selectors
from cfit.knowledge.models import GoodExample
from cfit.organisations.selectors import AnyUser, organisation_for_user

register = template.Library()


@register.simple_tag
def examples_to_review(user: AnyUser) -> list[GoodExample]:
    """Examples waiting for this person's review (for the "My page")."""
    if not user.is_authenticated:
        return []
    return list(selectors.examples_to_review(user).select_related("organisation"))


@register.simple_tag
def own_draft_examples(user: AnyUser) -> list[GoodExample]:
    """The drafts of the person's organisation, sent back ones first."""
    examples = selectors.examples_of_organisation(organisation_for_user(user))
    return list(examples.filter(status="draft").order_by("-updated_at")[:5])
