"""The versioned JSON API: /api/v1/, its OpenAPI document and its problem details."""

from ninja import NinjaAPI

from . import private, problems, public

api = NinjaAPI(
    title="Circular & Fair ICT Pact API",
    version="1",
    description=(
        "Public data of the Pact (criteria, product groups, ecolabels, signatories, "
        "buyer groups, the Pact's figures, the methodology and FactorSets) and, with a "
        "personal access token made on your profile page, your organisation's "
        "reports, lines, planned tenders and effects. Errors are RFC 9457 problem "
        "details. Send a token as `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-1",
    docs_url=None,  # served by cfit.api.views.docs, from the site's own files
)
problems.install(api)
api.add_router("/", public.router)
api.add_router("/", private.router)
