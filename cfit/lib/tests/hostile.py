"""Hostile files, generated in memory: small to send, huge or ruinous to read.

Each reproduces a file of the security review (issue 11). The bombs are real: their
members inflate to the stated size. Deflate compresses at most about 1000 to 1, so a
member of N MB costs about N KB; repeated full-flush blocks make them in milliseconds.
"""

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Purchases" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Product group</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Quantity</t></is></c></row>'
)
LINE_ROW = b'<row r="2"><c r="A2" t="inlineStr"><is><t>laptop</t></is></c><c r="B2"><v>3</v></c></row>'
SHEET_END = b"</sheetData></worksheet>"


class Member:
    """A member of a hand-made ZIP: its deflated bytes and what it declares."""

    def __init__(
        self,
        name: str,
        raw: bytes,
        *,
        size: int,
        crc: int,
        method: int = zipfile.ZIP_DEFLATED,
    ) -> None:
        self.name, self.raw, self.size, self.crc, self.method = (
            name,
            raw,
            size,
            crc,
            method,
        )


def deflated(name: str, data: bytes) -> Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(data) + packer.flush()
    return Member(name, raw, size=len(data), crc=zlib.crc32(data))


def deflated_repeat(
    name: str, head: bytes, block: bytes, times: int, tail: bytes
) -> Member:
    """head + block * times + tail, deflated without ever holding it inflated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    # After a full flush a block refers to nothing before it: it can be repeated.
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * times + len(tail)
    return Member(name, start + repeated * times + end, size=size, crc=crc)


def zip_of(members: list[Member]) -> bytes:
    """A ZIP archive written by hand, so that a member may declare what it likes."""
    out = io.BytesIO()
    directory = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.raw),
                member.size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(member.raw)
        directory.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.raw),
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            len(directory),
            len(directory),
            out.tell() - start,
            start,
            0,
        )
    )
    return out.getvalue()


def xlsx_with(*replaced: Member, sheet: bytes | None = None) -> bytes:
    """A minimal workbook (a header and one line) with some members replaced."""
    body = sheet or SHEET_START + HEADER_ROW + LINE_ROW + SHEET_END
    members = {
        m.name: m
        for m in (
            deflated("[Content_Types].xml", CONTENT_TYPES),
            deflated("_rels/.rels", ROOT_RELS),
            deflated("xl/workbook.xml", WORKBOOK),
            deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            deflated("xl/worksheets/sheet1.xml", body),
        )
    }
    for member in replaced:
        members[member.name] = member
    return zip_of(list(members.values()))


def plain_xlsx() -> bytes:
    return xlsx_with()


def sparse_cell_xlsx() -> bytes:
    """One cell at XFD1048576: calamine would build a grid of 549 GB."""
    sheet = (
        SHEET_START
        + HEADER_ROW
        + LINE_ROW
        + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        + SHEET_END
    )
    return xlsx_with(sheet=sheet)


def workbook_bomb_xlsx(inflated_mb: int = 400) -> bytes:
    """xl/workbook.xml inflates to 400 MB (whitespace inside the element)."""
    head, tail = WORKBOOK[:-11], WORKBOOK[-11:]
    return xlsx_with(
        deflated_repeat("xl/workbook.xml", head, b" " * MB, inflated_mb, tail)
    )


def shared_strings_bomb_xlsx(inflated_mb: int = 400) -> bytes:
    """xl/sharedStrings.xml of 400 MB: one shared string of 400 MB."""
    return xlsx_with(
        deflated_repeat(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
            b"A" * MB,
            inflated_mb,
            b"</t></si></sst>",
        )
    )


def sheet_whitespace_bomb_xlsx(inflated_mb: int = 1024) -> bytes:
    """A sheet of 1 GB of whitespace between two rows."""
    return xlsx_with(
        deflated_repeat(
            "xl/worksheets/sheet1.xml",
            SHEET_START + HEADER_ROW,
            b" " * MB,
            inflated_mb,
            LINE_ROW + SHEET_END,
        )
    )


def lying_sheet_xlsx(inflated_mb: int = 200) -> bytes:
    """The sheet declares a few KB but inflates to 200 MB."""
    member = deflated_repeat(
        "xl/worksheets/sheet1.xml",
        SHEET_START + HEADER_ROW,
        b" " * MB,
        inflated_mb,
        LINE_ROW + SHEET_END,
    )
    member.size = 2048
    return xlsx_with(member)


def entity_xlsx() -> bytes:
    """A billion laughs in the workbook: entities that expand exponentially."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">'
            % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b"]>"
    )
    return xlsx_with(deflated("xl/workbook.xml", laughs + WORKBOOK.split(b"?>", 1)[1]))


def bzip2_xlsx() -> bytes:
    """A member compressed with bzip2, which reaches ratios of a million to one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK, compress_type=zipfile.ZIP_BZIP2)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr(
            "xl/worksheets/sheet1.xml", SHEET_START + HEADER_ROW + LINE_ROW + SHEET_END
        )
    return buffer.getvalue()


DOCX_TYPES = (
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
DOCUMENT = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'


def plain_docx() -> bytes:
    return zip_of(
        [
            deflated("[Content_Types].xml", DOCX_TYPES),
            deflated("word/document.xml", DOCUMENT),
        ]
    )


def docx_bomb(inflated_mb: int = 400) -> bytes:
    """A Word document whose 'mimetype' member inflates to 400 MB."""
    return zip_of(
        [
            deflated_repeat("mimetype", b"application/", b"x" * MB, inflated_mb, b""),
            deflated("[Content_Types].xml", DOCX_TYPES),
            deflated("word/document.xml", DOCUMENT),
        ]
    )


def nested_docx() -> bytes:
    """A Word document with a ZIP packed inside it under an innocent name."""
    inner = zip_of([deflated("a.txt", b"hello")])
    return zip_of(
        [
            deflated("[Content_Types].xml", DOCX_TYPES),
            deflated("word/document.xml", DOCUMENT),
            deflated("word/media/image1.png", inner),
        ]
    )


def repeated_header_csv(times: int = 2_300_000) -> bytes:
    """A CSV whose header repeats one column 2.3 million times."""
    return b"Product group,Quantity" + b",Quantity" * times + b"\r\nlaptop,3\r\n"
