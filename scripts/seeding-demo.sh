#!/usr/bin/env bash
# Seeding one environment from another: export a run from sandbox A, import it into a new
# run on sandbox B with --remap-run, then show that a dry run plans zero changes.
#   bash scripts/seeding-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product labelport >&2
bin=$(swift build --show-bin-path)/labelport
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

start() { # NAME ARGS…: start a sandbox, print its URL
  local log="$work/$1.log"; shift
  "$bin" sandbox --port 0 --token demo-token=sandbox "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q 'listening on' "$log" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$log" | head -n 1
}
source_url=$(start source --seed examples/sandbox-seed.json)
target_url=$(start target --create-runs)
export REFACTOR_API_TOKEN=demo-token
old=3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f
new=5d5e5f60-0000-4000-8000-000000000001

show() { printf '\n$ labelport'; printf ' %s' "${@:2}"; printf '\n'; local s=0; "$@" 2>&1 || s=$?; [ "$s" -eq 0 ] || echo "(exit status $s)"; }

cd "$work"
show "$bin" export labels --base-url "$source_url" --run "$old" --out backup.jsonl
show "$bin" import backup.jsonl --base-url "$target_url" --remap-run "$old=$new"
show "$bin" import backup.jsonl --base-url "$target_url" --remap-run "$old=$new" --dry-run
show "$bin" export labels --base-url "$source_url" --run "$old" --out backup.jsonl --dry-run
