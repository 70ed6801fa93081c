"""Uploaded files read as local files, wherever the storage keeps them.

The readers of purchase files seek, wrap the file in text readers and run in a forked
child (cfit.lib.ceiling). A file on this server's disk allows all of that. A file in
an S3-compatible store (MEDIA_STORAGE=s3) is copied to a temporary local file first:
the child then reads a plain file and never talks to the store over a connection it
inherited from its parent.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db.models.fields.files import FieldFile

_CHUNK = 1 << 20


def is_local(field_file: FieldFile) -> bool:
    """True when the storage keeps the file on this server's disk."""
    try:
        field_file.storage.path(field_file.name or "")
    except NotImplementedError:
        return False
    return True


@contextmanager
def opened_locally(field_file: FieldFile) -> Iterator[IO[bytes]]:
    """The stored file, open for reading in binary, as a file on this server's disk."""
    if is_local(field_file):
        with field_file.open("rb") as local:
            yield local
        return
    with tempfile.TemporaryFile(prefix="cfit-upload-") as copy:
        with field_file.storage.open(field_file.name or "", "rb") as stored:
            shutil.copyfileobj(stored, copy, _CHUNK)
        copy.seek(0)
        yield copy
