"""Compile a translation catalogue: `python scripts/compile_messages.py x.po x.mo`.

Babel, not GNU gettext's msgfmt: it comes from the lock file with everything else, so a
fresh machine needs nothing more for `make run`. Like msgfmt, it leaves out messages
that are untranslated or fuzzy (Django then shows the English text), and also those
whose placeholders do not match the English (named on stderr).
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogue(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalogue = read_po(po_file, abort_invalid=True)
    # A translation whose placeholders differ from the English would break the page
    # that shows it: it is left out (the English shows) and named here; the catalogue
    # tests fail on it, so it is fixed before a release.
    for message, errors in catalogue.check():
        if "no-python-format" in message.flags:
            continue  # Babel guesses "python-format" from a "%" that is only a word
        for error in errors:
            print(f"{po_path}:{message.lineno}: left out: {error}", file=sys.stderr)
        message.string = ("",) * len(message.string) if message.pluralizable else ""
    tmp = mo_path.with_suffix(".mo.tmp")
    with tmp.open("wb") as mo_file:
        write_mo(mo_file, catalogue, use_fuzzy=False)
    tmp.replace(mo_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    compile_catalogue(Path(sys.argv[1]), Path(sys.argv[2]))
