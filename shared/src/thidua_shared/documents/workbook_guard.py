"""Limits an uploaded XLSX workbook must keep before any of it is decompressed or parsed.

A workbook is a zip archive of XML parts. A few hundred kilobytes can declare parts that expand
to gigabytes (a "zip bomb"), and openpyxl reads the shared strings whole into memory. Every
limit here is read from the archive's end record and central directory only, so a refused file
costs neither time nor memory. Python's zipfile never inflates a part past the size its central
directory declares, so the declared sizes are the sizes that will be read.
"""

import struct
import zipfile
from dataclasses import dataclass
from io import BytesIO

from thidua_shared.platform.errors import PayloadTooLarge, Unprocessable

# The end of central directory record: signature, disk numbers, entries on this disk, entries
# in all, directory size, directory offset, comment length (APPNOTE 4.3.16).
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_MAX_COMMENT = 0xFFFF
_ZIP64_MARKER = 0xFFFF


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may declare. A real one of thidua's lists has about a dozen parts, none
    compressed more than about 20 times; the bounds leave room for workbooks saved by any office
    suite."""

    parts: int = 200
    uncompressed_bytes: int = 256 * 1024 * 1024
    # XML compresses well; the ratio is only checked for parts big enough to matter.
    compression_ratio: int = 100
    ratio_checked_from_bytes: int = 1024 * 1024


DEFAULT_LIMITS = WorkbookLimits()


def check_workbook(body: bytes, limits: WorkbookLimits = DEFAULT_LIMITS) -> int:
    """Refuse a workbook whose archive breaks a limit: 413 for its size, 422 for its shape.

    Answers the size of its largest part once inflated."""
    parts = _declared_parts(body)
    if parts > limits.parts:
        raise Unprocessable(
            f"The XLSX workbook has {parts} parts; a workbook has at most {limits.parts}.",
            field="body",
        )
    try:
        entries = zipfile.ZipFile(BytesIO(body)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unprocessable(f"The XLSX workbook cannot be read: {exc}.", field="body") from exc
    total = largest = 0
    for entry in entries:
        total += entry.file_size
        largest = max(largest, entry.file_size)
        if (
            entry.file_size >= limits.ratio_checked_from_bytes
            and entry.file_size > limits.compression_ratio * max(entry.compress_size, 1)
        ):
            raise PayloadTooLarge(
                f"The XLSX workbook's part {entry.filename} expands "
                f"{entry.file_size // max(entry.compress_size, 1)} times; at most "
                f"{limits.compression_ratio} times is accepted.",
                field="body",
            )
    if total > limits.uncompressed_bytes:
        raise PayloadTooLarge(
            f"The XLSX workbook expands to {total // (1024 * 1024)} MB; at most "
            f"{limits.uncompressed_bytes // (1024 * 1024)} MB is accepted.",
            field="body",
        )
    return largest


def _declared_parts(body: bytes) -> int:
    """The number of parts the end record declares, read before zipfile lists them all (a
    directory of a million entries would cost more to list than to refuse)."""
    tail_start = max(0, len(body) - _MAX_COMMENT - _END_RECORD.size)
    at = body.rfind(_END_SIGNATURE, tail_start)
    if at < 0 or at + _END_RECORD.size > len(body):
        raise Unprocessable("The XLSX workbook cannot be read: no zip directory.", field="body")
    fields = _END_RECORD.unpack_from(body, at)
    declared: int = fields[4]
    # A zip64 archive keeps its count elsewhere; no workbook of a few parts needs one.
    if declared == _ZIP64_MARKER:
        raise Unprocessable("The XLSX workbook has too many parts.", field="body")
    return declared
