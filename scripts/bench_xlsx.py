#!/usr/bin/env python3
"""Anchors for `labelport-bench xlsx`: python-calamine loading a sheet, XlsxWriter
(constant memory) writing one. Prints one line: rows=N seconds=S hwm_kb=K.

    .venv/bin/python scripts/bench_xlsx.py calamine FILE.xlsx
    .venv/bin/python scripts/bench_xlsx.py xlsxwriter ROWS FILE.xlsx
    .venv/bin/python scripts/bench_xlsx.py same A.xlsx B.xlsx   # the same cells, in any row order?
"""
import sys
import time


def peak_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def calamine(path):
    from python_calamine import CalamineWorkbook
    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    print(f"rows={len(rows) - 1} seconds={time.perf_counter() - start} hwm_kb={peak_kb()}")


def xlsxwriter(count, path):
    import xlsxwriter as xw
    start = time.perf_counter()
    book = xw.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("labels")
    header = ["run_id", "output_resource_name", "id", "text_value", "object_value", "object_value_is_partial",
              "account_id", "created_by", "created_at", "updated_by", "updated_at"]
    for c, name in enumerate(header):
        sheet.write_string(0, c, name)
    for i in range(count):
        r = i + 1
        sheet.write_string(r, 0, "123e4567-e89b-12d3-a456-426614174000")
        sheet.write_string(r, 1, f"doc-{i}.pdf")
        sheet.write_string(r, 2, f"00000000-0000-4000-8000-{i:012d}")
        sheet.write_string(r, 4, '{"label":"value %d","score":0.%d1,"tags":["a","b",%d]}' % (i, i % 97, i))
        sheet.write_boolean(r, 5, False)
        sheet.write_string(r, 6, "acc-1")
        sheet.write_string(r, 7, "user-1")
        sheet.write_string(r, 8, "2024-01-01T00:00:00Z")
        sheet.write_string(r, 9, "user-1")
        sheet.write_string(r, 10, "2024-01-02T00:00:00Z")
    book.close()
    print(f"rows={count} seconds={time.perf_counter() - start} hwm_kb={peak_kb()}")


def same(a, b):
    from python_calamine import CalamineWorkbook

    def rows(path):
        table = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        return table[0], sorted(tuple(str(cell) for cell in row) for row in table[1:])

    (header_a, rows_a), (header_b, rows_b) = rows(a), rows(b)
    if header_a == header_b and rows_a == rows_b:
        print(f"same {len(rows_a)} rows")
    else:
        diff = next((x, y) for x, y in zip(rows_a + [None], rows_b + [None]) if x != y) if header_a == header_b else (header_a, header_b)
        print(f"differ: {diff}")


if __name__ == "__main__":
    if sys.argv[1] == "calamine":
        calamine(sys.argv[2])
    elif sys.argv[1] == "same":
        same(sys.argv[2], sys.argv[3])
    else:
        xlsxwriter(int(sys.argv[2]), sys.argv[3])
