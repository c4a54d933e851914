"""A report as JSON, CSV or XLSX: the same rows and the same totals row in each.

Money stays in integer cents in every format (column names end in `_cents`), so a download
adds up to exactly what the API says; a spreadsheet user divides by 100 where euros are
wanted.
"""

from typing import Any

from services.finance.reports import Cell, Report
from shared import spreadsheet
from shared.spreadsheet import CSV, XLSX, Sheet

__all__ = ["CSV", "XLSX", "as_csv", "as_json", "as_xlsx"]
TOTAL_LABEL = "Totaal"


def as_json(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "columns": list(report.columns),
        "rows": report.rows,
        "totals": report.totals,
        "warnings": report.warnings,
    }


def _table(report: Report) -> list[list[Cell]]:
    """Header, rows and a totals row (labelled in the first column)."""
    totals = report.totals
    last = [totals.get(c, "") for c in report.columns]
    last[0] = TOTAL_LABEL
    rows = ([row[c] for c in report.columns] for row in report.rows)
    return [list(report.columns), *rows, last]


def as_csv(report: Report) -> bytes:
    return spreadsheet.as_csv(_table(report))


def as_xlsx(report: Report) -> bytes:
    sheets = [Sheet("Rapport", [[report.title], *_table(report)])]
    if report.warnings:
        sheets.append(Sheet("Waarschuwingen", [[w] for w in report.warnings]))
    return spreadsheet.as_xlsx(sheets)
