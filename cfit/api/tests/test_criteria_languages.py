"""The criteria endpoints answer in the language asked for with `lang`."""

from cfit.criteria.models import CriterionVersion, VersionStatus


def _dutch_title(code: str) -> str:
    version = CriterionVersion.objects.get(
        criterion__code=code, status=VersionStatus.APPROVED
    )
    return version.translations.get(language_code="nl").translated_title


def test_a_criterion_comes_in_dutch_when_asked_for(client, db):
    body = client.get("/api/v1/criteria/LIFE-01?lang=nl").json()
    assert body["title"] == _dutch_title("LIFE-01")
    assert body["current_version"]["language"] == "nl"
    assert body["current_version"]["original_language"] == "en"


def test_without_lang_the_criteria_come_as_written(client, db):
    body = client.get("/api/v1/criteria/LIFE-01").json()
    assert body["current_version"]["language"] == "en"
    assert body["title"] != _dutch_title("LIFE-01")


def test_an_unknown_language_is_a_problem_that_names_the_languages(client, db):
    response = client.get("/api/v1/criteria?lang=xx")
    assert response.status_code == 400
    assert "nl" in response.json()["detail"]


def test_the_list_and_the_ecolabels_follow_lang(client, db):
    page = client.get("/api/v1/criteria?lang=de&limit=100").json()
    assert {item["current_version"]["language"] for item in page["items"]} == {"de"}
    labels = client.get("/api/v1/ecolabels?lang=fr").json()
    assert labels and all(label["name"] for label in labels)
