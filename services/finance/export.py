"""A report as JSON, CSV or XLSX: the same rows and the same totals row in each.

Money stays in integer cents in every format (column names end in `_cents`), so a download
adds up to exactly what the API says; a spreadsheet user divides by 100 where euros are
wanted.
"""

import csv
import io
from typing import Any

from openpyxl import Workbook

from services.finance.reports import Cell, Report

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOTAL_LABEL = "Totaal"


def as_json(report: Report) -> dict[str, Any]:
    return {"title": report.title, "columns": list(report.columns), "rows": report.rows,
            "totals": report.totals, "warnings": report.warnings}


# A text cell starting with one of these is a formula to a spreadsheet (and to openpyxl).
FORMULA_STARTS = ("=", "+", "-", "@")


def _inert(cell: Cell) -> Cell:
    """Text as text: names that arrive from other services (a company's) never run as a
    formula in the finance office's spreadsheet."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _table(report: Report) -> list[list[Cell]]:
    """Header, rows and a totals row (labelled in the first column)."""
    totals = report.totals
    last = [totals.get(c, "") for c in report.columns]
    last[0] = TOTAL_LABEL
    rows = ([_inert(row[c]) for c in report.columns] for row in report.rows)
    return [list(report.columns), *rows, last]


def as_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_table(report))
    return out.getvalue().encode()


def as_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rapport"
    sheet.append([report.title])
    for row in _table(report):
        sheet.append(row)
    if report.warnings:
        notes = workbook.create_sheet("Waarschuwingen")
        for warning in report.warnings:
            notes.append([warning])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
