"""The versioned JSON API: /api/v1/, its OpenAPI document and its problem details."""

from typing import Any

from ninja import NinjaAPI

from . import private, problems, public


class ProblemDocumentingAPI(NinjaAPI):
    """Says in the OpenAPI document what the API does: errors are problem details
    (`application/problem+json`), and any operation with input may answer 400."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        problem = {"$ref": "#/components/schemas/ProblemOut"}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(400, {"description": "Bad Request"})
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = {
                            problems.PROBLEM_CONTENT_TYPE: {"schema": problem}
                        }
        return schema


api = ProblemDocumentingAPI(
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
