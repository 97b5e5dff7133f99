#!/usr/bin/env python3
"""Regenerates Tests/LabelPortTests/Fixtures/xlsx/ with real spreadsheet programs.

openpyxl writes the workbooks; LibreOffice (soffice, when installed) re-saves one of
them, as a reviewer's Calc would. labelport itself (the built binary: $LABELPORT, or
.build/debug/labelport) exports export-seed.json from a sandbox as labelport-export.xlsx
(plain and --flatten), the goldens SpreadsheetRoundTripTests compares with, and
LibreOffice re-saves those as libreoffice-resaved-export*.xlsx. Not run by CI: the
results are committed.

    python3 -m venv .venv && .venv/bin/pip install openpyxl
    swift build
    .venv/bin/python scripts/make-xlsx-fixtures.py            # all of them
    python3 scripts/make-xlsx-fixtures.py exports             # labelport's exports only
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "LabelPortTests", "Fixtures", "xlsx")
RUN = "123e4567-e89b-12d3-a456-426614174000"
EXPORT_RUN = "11111111-1111-4111-8111-111111111111"  # TestSandbox.runA, as in export-seed.json
EXPORT_TOKEN = "fixture-token"


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


def soffice():
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        print("soffice not found: LibreOffice fixtures not regenerated", file=sys.stderr)
    return found


def resave(source, destination):
    """`source` opened and saved again as xlsx by LibreOffice Calc, written to `destination`."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice(), "--headless", "-env:UserInstallation=file://" + os.path.join(tmp, "profile"),
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, source],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tmp, os.path.basename(source)), destination)


def libreoffice(source):
    if soffice():
        resave(source, os.path.join(OUT, "libreoffice-" + os.path.basename(source).replace("openpyxl-", "")))


def labelport_exports():
    """labelport's exports of export-seed.json (the goldens), and LibreOffice's re-saves of them."""
    labelport = os.environ.get("LABELPORT") or os.path.join(HERE, "..", ".build", "debug", "labelport")
    if not os.access(labelport, os.X_OK):
        print(f"{labelport} not found (swift build): labelport exports not regenerated", file=sys.stderr)
        return
    sandbox = subprocess.Popen([labelport, "sandbox", "--port", "0", "--seed", os.path.join(OUT, "export-seed.json"),
                                "--token", EXPORT_TOKEN + "=account-a"], stdout=subprocess.PIPE, text=True)
    try:
        url = None
        for line in sandbox.stdout:
            match = re.search(r"http://[0-9.:]+", line)
            if match:
                url = match.group(0)
                break
        if not url:
            raise SystemExit("the sandbox did not start")
        env = dict(os.environ, REFACTOR_API_TOKEN=EXPORT_TOKEN)
        for name, extra in [("labelport-export.xlsx", []), ("labelport-export-flat.xlsx", ["--flatten"])]:
            path = os.path.join(OUT, name)
            subprocess.run([labelport, "export", "labels", "--run", EXPORT_RUN, "--out", path, "--base-url", url] + extra,
                           check=True, env=env)
            if soffice():
                resave(path, os.path.join(OUT, name.replace("labelport-", "libreoffice-resaved-")))
    finally:
        sandbox.terminate()
        sandbox.wait()


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if sys.argv[1:] == ["exports"]:  # only labelport's exports and their re-saves
        labelport_exports()
        sys.exit(0)
    first = typed()
    bad = problems()
    date1904()
    libreoffice(first)
    libreoffice(bad)  # LibreOffice computes =1/0: an error cell
    labelport_exports()
