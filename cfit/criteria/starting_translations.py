"""The starting translations shipped in cfit/criteria/translations/<lang>.json."""

import json
from pathlib import Path
from typing import Any

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
STARTING_LANGUAGES = ("nl", "fr", "de", "es")


def starting_file(language: str) -> dict[str, Any]:
    """The parsed file of a language, or {} when it is not there."""
    path = TRANSLATIONS_DIR / f"{language}.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
