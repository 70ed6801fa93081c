from cfit.accounts.tests.factories import UserFactory
from cfit.criteria import services
from cfit.criteria.models import Criterion, CriterionVersion, ProductGroup


def content(**overrides):  # type: ignore[no-untyped-def]
    """Version content for a laptop warranty criterion, with one parameter."""
    fields = {
        "title": "Warranty for test laptops",
        "level": "base",
        "category": "lifetime",
        "kind": "technical_specification",
        "tender_text": "A warranty of at least {years} years.",
        "source": "eu_gpp_2021",
        "product_groups": [ProductGroup.objects.get(code="laptop")],
        "parameters": [
            services.ParameterSpec(
                name="years",
                label="Warranty period",
                unit="years",
                default="3",
                minimum=2,
                maximum=7,
            )
        ],
    }
    fields.update(overrides)
    return services.VersionContent(**fields)


def approved_version(secretariat, *, code="TEST-01", **overrides) -> CriterionVersion:  # type: ignore[no-untyped-def]
    """A criterion drafted, sent for review and approved by the secretariat."""
    criterion = Criterion.objects.filter(code=code).first()
    if criterion is None:
        version = services.criterion_draft(
            by=secretariat, code=code, content=content(**overrides)
        )
    else:
        version = services.version_draft(
            criterion=criterion, by=secretariat, content=content(**overrides)
        )
    services.version_submit(version=version, by=secretariat)
    return services.version_approve(version=version, by=secretariat)


__all__ = ["UserFactory", "approved_version", "content"]
