#!/usr/bin/env bash
# The main job on the built-in sandbox with the shipped examples: start a sandbox seeded
# with examples/sandbox-seed.json, check the spreadsheet export, show the plan, import it,
# show that a second run changes nothing, and back the run up.
#   bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build >&2
bin=$(swift build --show-bin-path)/labelport
work=$(mktemp -d)
trap 'kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" sandbox --port 0 --seed examples/sandbox-seed.json --token demo-token=sandbox > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/sandbox.log" 2>/dev/null && break
  sleep 0.1
done
export REFACTOR_BASE_URL=$(grep -o 'http://[0-9.:]*' "$work/sandbox.log" | head -n 1)
export REFACTOR_API_TOKEN=demo-token

run=3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f
maps=(--run-id "$run"
  --map "Document=output_resource_name" --map "Vendor=object_value.vendor"
  --map "Total=object_value.total:number" --map "Currency=object_value.currency"
  --map "Line items=object_value.lines:number" --map "Partial?=object_value_is_partial")

# Prints a command as a reader would type it, then runs it (its exit status is shown when not 0).
show() {
  local line="labelport"
  for arg in "${@:2}"; do
    case "$arg" in
      *[[:space:]?\"\'\$]*) line+=" \"$arg\"" ;;
      *) line+=" $arg" ;;
    esac
  done
  printf '\n$ %s\n' "$line"
  local status=0
  "$@" 2>&1 || status=$?
  [ "$status" -eq 0 ] || echo "(exit status $status)"
}

show "$bin" validate examples/labels.csv "${maps[@]}"
show "$bin" import examples/labels.csv "${maps[@]}" --dry-run
show "$bin" import examples/labels.csv "${maps[@]}" --report "$work/report.jsonl"
show "$bin" import examples/labels.csv "${maps[@]}" --dry-run
show "$bin" import examples/labels.jsonl
show "$bin" export labels --run "$run" --format csv
