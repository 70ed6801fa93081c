"""The one door for uploaded files: size, the kind read from the content, and archives
checked before any member is read.

Working groups, good examples and market consultations share PDF, DOCX, XLSX and ODT
files. A file is accepted only when its name's extension and its content agree: a
renamed program or a spreadsheet called report.pdf is refused. Every view or service
that stores an uploaded document calls `check_uploaded_document`.

DOCX, XLSX and ODT are ZIP archives, and a ZIP of a few kilobytes can inflate to
gigabytes. `check_archive` (used here and by the purchase import) reads the archive's
directory first and refuses too many members, a member or a total that inflates past a
limit, a compression ratio no office file has, unknown compression methods, encryption,
archives inside the archive and XML with a DTD or entities; then it inflates each
member in small chunks, counting, so that a member that lies about its size is caught
after at most its limit, with memory flat whatever the file holds.
"""

import struct
import zipfile
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Extension → the label shown to people.
StrOrPromise = str | Promise
DOCUMENT_TYPES: dict[str, StrOrPromise] = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "odt": gettext_lazy("OpenDocument text (ODT)"),
}
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What a ZIP-based upload may hold. Inflated sizes are in bytes."""

    max_members: int = 2000
    max_member_bytes: int = 64 * MB
    # Bigger limits for some members, by name prefix ("xl/worksheets/", ...).
    member_bytes: tuple[tuple[str, int], ...] = ()
    max_total_bytes: int = 256 * MB
    # Office files compress XML about 5-20 times; whitespace or one repeated
    # character compresses about 1000 times. Small members may compress as they like.
    max_ratio: int = 100
    ratio_from_bytes: int = MB
    # Directory entries of one member are about 100 bytes; more is not an office file.
    max_directory_bytes: int = 4 * MB

    def member_limit(self, name: str) -> int:
        for prefix, limit in self.member_bytes:
            if name.startswith(prefix):
                return limit
        return self.max_member_bytes


DOCUMENT_ARCHIVE_LIMITS = ArchiveLimits()

# Members whose content is XML: no DTD, no entity may appear in them.
XML_SUFFIXES = (".xml", ".rels", ".rdf", ".vml")
# An archive inside the archive: refused by name and by content.
NESTED_ARCHIVE_SUFFIXES = (
    ".zip",
    ".jar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".cab",
    ".docx",
    ".docm",
    ".xlsx",
    ".xlsm",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
)
NESTED_ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")
# "<!DOCTYPE" and "<!ENTITY" can only start a DTD: escaped text reads "&lt;!".
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


class ArchiveRefused(Exception):
    """The archive is unsafe or damaged; the message says why, in plain words."""


class ArchiveDamaged(ArchiveRefused):
    """Not a readable ZIP archive, or one whose parts do not match their directory."""


class NotAnArchive(ArchiveDamaged):
    """Not a ZIP archive at all, whatever its first bytes say."""


# Called with a member's directory entry and each chunk of its inflated content.
MemberScanner = Callable[[zipfile.ZipInfo, bytes], None]


def _refuse_damaged() -> ArchiveDamaged:
    return ArchiveDamaged(_("The file is damaged and cannot be read."))


def _declared_entries(stream: IO[bytes]) -> tuple[int, int]:
    """(members, directory bytes) from the archive's end record, before parsing it.

    zipfile builds one object per member of the directory: a directory of ten million
    members would fill the memory before any limit could be applied.
    """
    stream.seek(0, 2)
    size = stream.tell()
    tail_start = max(0, size - (_END_OF_DIRECTORY.size + 65535))
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_OF_DIRECTORY.size:
        raise NotAnArchive(_("The file is damaged and cannot be read."))
    record = _END_OF_DIRECTORY.unpack_from(tail, at)
    entries, directory_bytes = record[4], record[5]
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at : locator_at + 4] == b"PK\x06\x07":
        offset = _ZIP64_LOCATOR.unpack_from(tail, locator_at)[2]
        stream.seek(offset)
        raw = stream.read(_ZIP64_END.size)
        if len(raw) < _ZIP64_END.size or not raw.startswith(b"PK\x06\x06"):
            raise _refuse_damaged()
        zip64 = _ZIP64_END.unpack(raw)
        entries, directory_bytes = zip64[6], zip64[7]
    return entries, directory_bytes


def _inflate(
    stream: IO[bytes],
    info: zipfile.ZipInfo,
    *,
    allowed: int,
    scan: MemberScanner | None,
) -> int:
    """Inflate one member in chunks and return its real size; refuse past `allowed`."""
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise _refuse_damaged()
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    stream.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflater = (
        zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    )
    is_xml = info.filename.lower().endswith(XML_SUFFIXES)
    left = info.compress_size
    produced = 0
    tail = b""
    while left > 0:
        data = stream.read(min(_CHUNK, left))
        if not data:
            raise _refuse_damaged()
        left -= len(data)
        while data:
            if inflater is None:
                out, data = data, b""
            else:
                try:
                    # At most one chunk out per call: a bomb never inflates at once.
                    out = inflater.decompress(data, _CHUNK)
                except zlib.error as error:
                    raise _refuse_damaged() from error
                data = inflater.unconsumed_tail
            if not out:
                continue
            if produced == 0 and out.startswith(NESTED_ARCHIVE_MAGIC):
                raise ArchiveRefused(_nested_message())
            produced += len(out)
            if produced > allowed:
                raise ArchiveRefused(_too_big_message())
            window = tail + out
            if (
                is_xml
                and b"<!" in window
                and any(marker in window for marker in _DTD_MARKERS)
            ):
                raise ArchiveRefused(
                    _(
                        "The file contains XML with a document type declaration (DTD), which office programs do not write. Open it and save it again as a new file."
                    )
                )
            if scan is not None:
                scan(info, out)
            tail = out[-16:]
    if produced != info.file_size:
        raise _refuse_damaged()
    return produced


def _too_big_message() -> str:
    return _(
        "The file unpacks to far more data than a document of its size can hold (a compressed bomb), so it is refused. Open it and save it again, or split it."
    )


def _nested_message() -> str:
    return _(
        "The file contains another archive or packed file inside it. Save it without embedded files, or as PDF, and upload it again."
    )


def check_archive(
    stream: IO[bytes],
    *,
    limits: ArchiveLimits = DOCUMENT_ARCHIVE_LIMITS,
    scan: MemberScanner | None = None,
) -> list[str]:
    """The member names of a safe ZIP archive, or ArchiveRefused saying what is wrong.

    Reads only the directory until every declared size, ratio and method is within
    `limits`; then inflates each member in chunks (passing them to `scan`, which may
    raise ArchiveRefused too) to check the real sizes and the XML.
    """
    entries, directory_bytes = _declared_entries(stream)
    if entries > limits.max_members or directory_bytes > limits.max_directory_bytes:
        raise ArchiveRefused(
            _(
                "The file holds more than %(limit)s packed parts; a document has far fewer. Save it again as a new file."
            )
            % {"limit": limits.max_members}
        )
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise NotAnArchive(_("The file is damaged and cannot be read.")) from None
    names = [info.filename for info in infos]
    if len(infos) > limits.max_members or len(set(names)) != len(names):
        raise _refuse_damaged()
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveRefused(
                _(
                    "The file is protected by a password. Remove the password and upload it again."
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused(
                _(
                    "The file is compressed in a way office programs do not use. Open it and save it again as a new file."
                )
            )
        if info.filename.lower().endswith(NESTED_ARCHIVE_SUFFIXES):
            raise ArchiveRefused(_nested_message())
        total += info.file_size
        too_dense = (
            info.file_size > limits.ratio_from_bytes
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        )
        if (
            info.file_size > limits.member_limit(info.filename)
            or total > limits.max_total_bytes
            or too_dense
        ):
            raise ArchiveRefused(_too_big_message())
    real_total = 0
    for info in infos:
        real_total += _inflate(
            stream,
            info,
            allowed=min(info.file_size, limits.member_limit(info.filename)),
            scan=scan,
        )
        if real_total > limits.max_total_bytes:
            raise ArchiveRefused(_too_big_message())
    stream.seek(0)
    return names


def _zip_members(stream: IO[bytes]) -> tuple[set[str], bytes] | None:
    """The names inside a ZIP file and its 'mimetype' entry, or None if not a ZIP."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                # Read 100 bytes, never the whole member: it could be a bomb.
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).strip()
            return names, mimetype
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None


def sniff_document_type(stream: IO[bytes]) -> str | None:
    """The extension that the content matches ('pdf', 'docx', 'xlsx', 'odt') or None."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    found = _zip_members(stream)
    stream.seek(0)
    if found is None:
        return None
    names, mimetype = found
    if mimetype == ODT_MIMETYPE and "content.xml" in names:
        return "odt"
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def check_uploaded_document(
    upload: "UploadedFile[bytes]",
    *,
    max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    allowed: Collection[str] = tuple(DOCUMENT_TYPES),
    field: str = "file",
) -> str:
    """The document's type (an extension of `allowed`), or a ValidationError saying why not.

    The error is keyed by `field` so that a form shows it beside the file input.
    """
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _(
                    "The file is %(size)s; files can be at most %(limit)s. Make it smaller, for example by saving it as PDF."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(max_bytes),
                }
            }
        )
    extension = extension_of(upload.name or "")
    labels = ", ".join(
        str(DOCUMENT_TYPES[ext]) for ext in allowed if ext in DOCUMENT_TYPES
    )
    if extension not in allowed or extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                field: _(
                    "This kind of file cannot be shared. Upload one of: %(allowed)s."
                )
                % {"allowed": labels}
            }
        )
    upload.seek(0)
    if upload.read(4) == b"PK\x03\x04":
        try:
            check_archive(upload)
        except ArchiveDamaged:
            pass  # not a document of its kind: said below
        except ArchiveRefused as refused:
            raise ValidationError({field: str(refused)}) from None
    found = sniff_document_type(upload)
    if found != extension:
        raise ValidationError(
            {
                field: _(
                    "The file is called .%(extension)s but its content is not a %(label)s document. Upload one of: %(allowed)s."
                )
                % {
                    "extension": extension,
                    "label": DOCUMENT_TYPES[extension],
                    "allowed": labels,
                }
            }
        )
    return extension


# Text files exchanged with other tools (CSV, XLIFF): the extension → the label shown.
TEXT_TYPES: dict[str, str] = {"csv": "CSV", "xlf": "XLIFF", "xliff": "XLIFF"}
DEFAULT_MAX_TEXT_BYTES = 5 * MB


def read_uploaded_text(
    upload: "UploadedFile[bytes]",
    *,
    allowed: Collection[str] = tuple(TEXT_TYPES),
    max_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    field: str = "file",
) -> tuple[str, str]:
    """The extension and the UTF-8 text of an uploaded text file, or a ValidationError.

    Refuses an empty or too big file, another kind of file, and content that is not
    text (a renamed spreadsheet, PDF or program).
    """
    if upload.size is None or upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {
                field: _("The file is %(size)s; files can be at most %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(max_bytes),
                }
            }
        )
    extension = extension_of(upload.name or "")
    labels = ", ".join(
        sorted({TEXT_TYPES[ext] for ext in allowed if ext in TEXT_TYPES})
    )
    if extension not in allowed or extension not in TEXT_TYPES:
        raise ValidationError(
            {
                field: _(
                    "This kind of file cannot be read here. Upload one of: %(allowed)s."
                )
                % {"allowed": labels}
            }
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {field: _("The file is not UTF-8 text. Save it as UTF-8 and try again.")}
        ) from None
    if "\x00" in text:
        raise ValidationError(
            {
                field: _("The file is not a text file. Upload one of: %(allowed)s.")
                % {"allowed": labels}
            }
        )
    return extension, text
