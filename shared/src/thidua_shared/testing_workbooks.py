"""Workbooks that tests of hostile uploads send: a decompression bomb, a part replaced."""

import io
import struct
import zipfile

import openpyxl


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(body: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced, or added."""
    source = zipfile.ZipFile(io.BytesIO(body))
    parts = {entry.filename: source.read(entry.filename) for entry in source.infolist()}
    parts[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data, compresslevel=9)
    return out.getvalue()


def with_understated_size(body: bytes, name: str, content: bytes, declared: int) -> bytes:
    """The workbook with a part whose archive records say it inflates to `declared` bytes,
    fewer than its content: a bomb that lies to the guard's size checks."""
    replaced = with_part(body, name, content)
    actual = struct.pack("<L", len(content))
    assert replaced.count(actual) == 2, "the size in the local header and in the directory"
    return replaced.replace(actual, struct.pack("<L", declared))


def with_shared_strings(strings: bytes) -> bytes:
    """A workbook whose sheet's second row refers to the first shared string, as Excel writes
    it, with the given shared strings part."""
    body = workbook([["Mã", "Tên"]])
    book = zipfile.ZipFile(io.BytesIO(body))
    types = book.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relations = book.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    sheet = (
        book.read("xl/worksheets/sheet1.xml")
        .replace(b'ref="A1:B1"', b'ref="A1:B2"')
        .replace(b"</sheetData>", b'<row r="2"><c r="B2" t="s"><v>0</v></c></row></sheetData>')
    )
    for name, content in (
        ("[Content_Types].xml", types),
        ("xl/_rels/workbook.xml.rels", relations),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", strings),
    ):
        body = with_part(body, name, content)
    return body


def bomb_workbook(expanded_mb: int = 300) -> bytes:
    """A workbook whose shared strings expand to `expanded_mb` MB: a few hundred KB on the wire."""
    filler = b"A" * (1024 * 1024)
    strings = b"".join(
        [
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            b'uniqueCount="1"><si><t>',
            *(filler for _ in range(expanded_mb)),
            b"</t></si></sst>",
        ]
    )
    return with_shared_strings(strings)
