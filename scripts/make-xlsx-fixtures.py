#!/usr/bin/env python3
"""Regenerates Tests/LabelPortTests/Fixtures/xlsx/ with real spreadsheet programs.

openpyxl writes the workbooks; LibreOffice (soffice, when installed) re-saves one of
them, as a reviewer's Calc would. Not run by CI: the results are committed.

    python3 -m venv .venv && .venv/bin/pip install openpyxl
    .venv/bin/python scripts/make-xlsx-fixtures.py
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "LabelPortTests", "Fixtures", "xlsx")
RUN = "123e4567-e89b-12d3-a456-426614174000"


def fixed_times(wb):
    # openpyxl stamps the document properties with "now"; fix them so re-runs give the same bytes.
    stamp = datetime.datetime(2024, 1, 2, 3, 4, 5)
    wb.properties.created = stamp
    wb.properties.modified = stamp


def typed():
    """Typed cells, dates, a formula, unicode, an empty row, a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "labels"
    ws.append(["run_id", "output_resource_name", "object_value.score:number", "object_value.ok:boolean",
               "object_value.when", "object_value.note", "object_value.total:number"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append([RUN, "doc-1", 0.75, True, datetime.date(2024, 3, 1), "héllo — 日本語 😀", "=C2*4"])
    ws.append([RUN, "doc-2", 42, False, datetime.datetime(2024, 3, 1, 13, 45, 30, 250000), "line1\nline2", "12345678901234567890"])
    ws.append([])  # an empty row, listed in the sheet because it has a height
    ws.row_dimensions[4].height = 30
    ws.append([RUN, 17, "1.50", "TRUE", "2024-03-01", "_x0041_ reads as A", 1e20])
    other = wb.create_sheet("second")
    other.append(["run_id", "output_resource_name", "text_value"])
    other.append([RUN, "from-second", "second sheet"])
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-typed.xlsx")
    wb.save(path)
    return path


def problems():
    """Cells the reader must refuse, located by cell name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "bad"
    ws.append(["run_id", "output_resource_name", "object_value.n:number", "object_value_is_partial"])
    ws.append([RUN, "doc-1", "twelve", "maybe"])
    ws.append([RUN, "doc-2", "=1/0", None])
    ws["C3"].value = "=1/0"
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-problems.xlsx")
    wb.save(path)
    return path


def date1904():
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["run_id", "output_resource_name", "text_value"])
    ws.append([RUN, "doc-1904", datetime.date(2024, 3, 1)])
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-1904.xlsx")
    wb.save(path)
    return path


def libreoffice(source):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found: LibreOffice fixtures not regenerated", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, source],
                       check=True, stdout=subprocess.DEVNULL)
        produced = os.path.join(tmp, os.path.basename(source))
        shutil.copy(produced, os.path.join(OUT, "libreoffice-" + os.path.basename(source).replace("openpyxl-", "")))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    first = typed()
    bad = problems()
    date1904()
    libreoffice(first)
    libreoffice(bad)  # LibreOffice computes =1/0: an error cell
