"""Tables as CSV or XLSX downloads: finance's reports and the programme's KPIs write them.

XLSX with openpyxl: a maintained, pure-Python library that writes and reads .xlsx, so a test
reads back exactly what a download holds."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Response
from openpyxl import Workbook

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | None
Rows = Sequence[Sequence[Cell]]

# A text cell starting with one of these is a formula to a spreadsheet (and to openpyxl).
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Sheet:
    title: str  # at most 31 characters: a spreadsheet's limit
    rows: Rows


def inert(cell: Cell) -> Cell:
    """Text as text: names that arrive from elsewhere (a company's, a school's) never run as
    a formula in the reader's spreadsheet."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def as_csv(rows: Rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([inert(c) for c in row] for row in rows)
    return out.getvalue().encode()


def as_xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        page = workbook.create_sheet(sheet.title)
        for row in sheet.rows:
            page.append([inert(c) for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
