"""Reading an import file: the encoding, then the CSV records with their spreadsheet row numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from softtissue.interop.importing.problems import FileProblem

# Field size guard: one cell larger than this is a broken file, not a client.
csv.field_size_limit(1_000_000)
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The file's text and the encoding it was read with."""

    text: str
    encoding: str


def decode(raw: bytes, name: str) -> Decoded:
    """UTF-8 (with or without a byte order mark), else Windows-1252, else a clear refusal."""
    if not raw.strip():
        raise FileProblem(f"{name} is empty: export the clients again and check the file size.")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4096]:
        raise FileProblem(
            f"{name} is UTF-16 text (Excel's 'Unicode text'): save it as 'CSV UTF-8' and try again."
        )
    if raw.startswith(codecs.BOM_UTF8):
        return Decoded(decode_strict(raw[len(codecs.BOM_UTF8) :], "utf-8", name, 3), "utf-8-sig")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves plain 'CSV' in Windows-1252; UTF-8 failing usually means that.
        return Decoded(decode_strict(raw, "cp1252", name, 0), "cp1252")


def decode_strict(raw: bytes, encoding: str, name: str, skipped: int) -> str:
    """The text, or a problem naming the first byte that cannot be read and its line."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        line = raw[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"{name} is not UTF-8 or Windows-1252 text: byte {offset} (value "
            f"0x{raw[error.start]:02x}, line {line}) cannot be read. Save the file as "
            "'CSV UTF-8' and try again."
        ) from None


def unescape(cell: str) -> str:
    """A cell without surrounding spaces or spreadsheet text escaping (=\"123\")."""
    cell = cell.strip()
    match = _EXCEL_TEXT.match(cell)
    return match.group(1).strip() if match else cell


@dataclass(frozen=True, slots=True)
class Table:
    """The header and an iterator of (spreadsheet row number, cells) for the records."""

    header: list[str]
    records: list[tuple[int, list[str]]]
    encoding: str


def read_table(path: Path) -> Table:
    """Read and decode the whole file; the header is row 1, the first client row 2."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileProblem(f"{path} cannot be read: {error.strerror}.", usage=True) from None
    decoded = decode(raw, path.name)
    rows = iter_rows(decoded.text, path.name)
    try:
        header = next(rows)[1]
    except StopIteration:
        raise FileProblem(f"{path.name} is empty.") from None
    header = [unescape(cell) for cell in header]
    if not any(header):
        raise FileProblem(f"{path.name} has an empty first row: it must name the columns.")
    records = [
        (number, [unescape(cell) for cell in cells])
        for number, cells in rows
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        raise FileProblem(f"{path.name} has the column names but no clients.")
    return Table(header, records, decoded.encoding)


def iter_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records numbered as a spreadsheet shows them (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except csv.Error as error:
        raise FileProblem(f"{name} is not valid CSV at row {number + 1}: {error}.") from None
