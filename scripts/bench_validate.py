#!/usr/bin/env python3
"""The validate benchmark's baseline: the same parse and row checks as `labelport validate`,
with Python's csv and json modules. Prints `rows=N errors=N seconds=S cpu=S hwm_kb=K`.

    python3 scripts/bench_validate.py FILE.csv|FILE.jsonl
"""
import csv
import json
import re
import sys
import time

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
IGNORED = {"account_id", "created_by", "created_at", "updated_by", "updated_at"}
KNOWN = {"run_id", "output_resource_name", "id", "text_value", "object_value", "object_value_is_partial"}


def check(run_id, name, label_id, text, obj, partial):
    """Returns the number of problems in one row, as labelport's checks count them."""
    problems = 0
    if run_id is None or not UUID.match(run_id):
        problems += 1
    if label_id is not None and not UUID.match(label_id):
        problems += 1
    if not name:
        problems += 1
    # A row with neither value is valid (import never clears a field).
    if text is not None and obj is not None:
        problems += 1
    if partial is not None and obj is None:
        problems += 1
    return problems


def validate_csv(path):
    rows = errors = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, strict=True)
        header = next(reader)
        index = {name: i for i, name in enumerate(header) if name in KNOWN}
        width = len(header)
        get = lambda cells, key: (cells[index[key]] or None) if key in index else None
        for cells in reader:
            if not cells:
                continue
            rows += 1
            if len(cells) != width:
                errors += 1
                continue
            obj = get(cells, "object_value")
            if obj is not None:
                try:
                    obj = json.loads(obj)
                    if not isinstance(obj, dict):
                        errors += 1
                        obj = None
                except ValueError:
                    errors += 1
                    obj = None
            partial = get(cells, "object_value_is_partial")
            if partial is not None and partial.lower() not in ("true", "false"):
                errors += 1
            errors += check(get(cells, "run_id"), get(cells, "output_resource_name"), get(cells, "id"),
                            get(cells, "text_value"), obj, partial)
    return rows, errors


def validate_jsonl(path):
    rows = errors = 0
    warned = set()
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if not line.strip():
                continue
            rows += 1
            try:
                row = json.loads(line)
            except ValueError:
                errors += 1
                continue
            if not isinstance(row, dict):
                errors += 1
                continue
            for key in row:
                if key not in KNOWN and key not in IGNORED and key not in warned:
                    warned.add(key)
            run_id, name, label_id = row.get("run_id"), row.get("output_resource_name"), row.get("id")
            text, obj, partial = row.get("text_value"), row.get("object_value"), row.get("object_value_is_partial")
            if run_id is not None and not isinstance(run_id, str):
                errors += 1
                run_id = None
            if label_id is not None and not isinstance(label_id, str):
                errors += 1
                label_id = None
            if name is not None and not isinstance(name, str):
                errors += 1
            if text is not None and not isinstance(text, str):
                errors += 1
            if obj is not None and not isinstance(obj, dict):
                errors += 1
            if partial is not None and not isinstance(partial, bool):
                errors += 1
            errors += check(run_id, name, label_id, text, obj, partial)
    return rows, errors


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    path = sys.argv[1]
    start, cpu_start = time.perf_counter(), time.process_time()
    rows, errors = validate_csv(path) if path.endswith((".csv", ".tsv")) else validate_jsonl(path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"rows={rows} errors={errors} seconds={seconds} cpu={cpu} hwm_kb={peak_rss_kb()}")


if __name__ == "__main__":
    main()
