#!/usr/bin/env python3
"""Regenerates Tests/LabelPortTests/Fixtures/xlsx/ with real spreadsheet programs.

openpyxl writes the workbooks; LibreOffice (soffice, when installed) re-saves some of
them, as a reviewer's Calc would. labelport itself (the built binary: $LABELPORT, or
.build/debug/labelport) exports export-seed.json from a sandbox as labelport-export.xlsx
(plain and --flatten), the goldens SpreadsheetRoundTripTests compares with, and
LibreOffice re-saves those as libreoffice-resaved-export*.xlsx. Not run by CI: the
results are committed.

    python3 -m venv .venv && .venv/bin/pip install openpyxl
    swift build
    .venv/bin/python scripts/make-xlsx-fixtures.py            # all of them
    python3 scripts/make-xlsx-fixtures.py exports             # labelport's exports only
    python3 scripts/make-xlsx-fixtures.py inputs              # everything but labelport's exports
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


def offset():
    """A table that starts at B2, an empty column between two, values in columns without a header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "offset"
    ws["B2"], ws["C2"], ws["E2"] = "output_resource_name", "text_value", "run_id"
    ws["B3"], ws["C3"], ws["E3"] = "doc-1", "first", RUN
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "doc-2", "second", "stray", RUN  # D has no header
    ws["A5"], ws["B5"], ws["C5"], ws["E5"] = "left", "doc-3", "third", RUN  # A has no header
    ws["B6"], ws["C6"], ws["E6"], ws["G6"] = "doc-4", "fourth", RUN, "right"  # G: right of the header
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-offset.xlsx")
    wb.save(path)
    return path


def times(epoch, name):
    """Times of day and durations beside dates, in one date system."""
    wb = openpyxl.Workbook()
    wb.epoch = epoch
    ws = wb.active
    ws.title = "times"
    ws.append(["run_id", "output_resource_name", "object_value.at", "object_value.precise", "object_value.pm",
               "object_value.took", "object_value.short", "object_value.day", "object_value.when"])
    ws.append([RUN, "doc-1", datetime.time(13, 45), datetime.time(13, 45, 30, 250000), datetime.time(13, 45),
               datetime.timedelta(hours=30), datetime.timedelta(minutes=90, seconds=15), datetime.date(2024, 3, 1),
               datetime.datetime(2024, 3, 1, 13, 45)])
    formats = ["h:mm", "hh:mm:ss.000", "h:mm AM/PM", "[h]:mm:ss", "[mm]:ss", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    for column, code in zip("CDEFGHI", formats):
        ws[column + "2"].number_format = code
    fixed_times(wb)
    path = os.path.join(OUT, name)
    wb.save(path)
    return path


def midnight():
    """Date-times at midnight (shown with their time, as their format does) beside a date."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["run_id", "output_resource_name", "object_value.start", "object_value.last", "object_value.day"])
    ws.append([RUN, "doc-1", datetime.datetime(2024, 3, 1), datetime.datetime(2024, 3, 1, 23, 59, 59, 999900),
               datetime.date(2024, 3, 1)])
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-midnight.xlsx")
    wb.save(path)
    return path


def windows_names(source):
    """LibreOffice's workbook as some Windows tools zip it: part names with backslashes and
    another letter case (xl\\SharedStrings.xml for a relationship to sharedStrings.xml),
    which Excel reads (a package's part names compare without case)."""
    import zipfile
    path = os.path.join(OUT, "windows-names.xlsx")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            name = info.filename.replace("sharedStrings", "SharedStrings").replace("[Content_Types]", "[content_types]")
            renamed = zipfile.ZipInfo(name.replace("/", "\\"), date_time=info.date_time)
            renamed.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(renamed, old.read(info.filename))
    return path


def chartsheet():
    """A sheet of labels and a chart sheet beside it (a sheet with no cells)."""
    from openpyxl.chart import BarChart, Reference
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "labels"
    ws.append(["run_id", "output_resource_name", "object_value.score:number"])
    ws.append([RUN, "doc-1", 3])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("Chart1").add_chart(chart)
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-chartsheet.xlsx")
    wb.save(path)
    return path


def hidden():
    """A hidden first sheet before the visible one (a template's lookup sheet)."""
    wb = openpyxl.Workbook()
    lookup = wb.active
    lookup.title = "Hidden"
    lookup.append(["run_id", "output_resource_name", "text_value"])
    lookup.append([RUN, "from-hidden", "hidden"])
    lookup.sheet_state = "hidden"
    data = wb.create_sheet("データ")
    data.append(["run_id", "output_resource_name", "text_value"])
    data.append([RUN, "from-visible", "visible"])
    wb.active = 1
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-hidden.xlsx")
    wb.save(path)
    return path


def title():
    """A title row and a blank row above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "labels"
    ws["A1"] = "Gold labels, March"
    ws.append([])
    ws.append(["run_id", "output_resource_name", "text_value"])
    ws.append([RUN, "doc-1", "a"])
    fixed_times(wb)
    path = os.path.join(OUT, "openpyxl-title.xlsx")
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
    shifted = offset()
    timed = times(openpyxl.utils.datetime.CALENDAR_WINDOWS_1900, "openpyxl-times.xlsx")
    times(openpyxl.utils.datetime.CALENDAR_MAC_1904, "openpyxl-times-1904.xlsx")
    midnight()
    chartsheet()
    hidden()
    title()
    libreoffice(first)
    libreoffice(bad)  # LibreOffice computes =1/0: an error cell
    libreoffice(shifted)  # <dimension ref="A2:G6"/>: LibreOffice's own sheet XML
    libreoffice(timed)  # LibreOffice's own time and duration format codes
    windows_names(os.path.join(OUT, "libreoffice-typed.xlsx"))
    if sys.argv[1:] != ["inputs"]:
        labelport_exports()
