#!/usr/bin/env bash
# Seeding one environment from another with `labelport copy`: two sandboxes named as
# profiles in a config file; a dry run shows the differences, the copy writes and verifies,
# a second copy writes nothing.
#   bash scripts/seeding-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build >&2
bin=$(swift build --show-bin-path)/labelport
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

start() { # NAME ARGS…: start a sandbox (in this shell, so the trap stops it); its URL goes to $work/NAME.url
  local name=$1 log="$work/$1.log"; shift
  "$bin" sandbox --port 0 --token demo-token=sandbox "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q 'listening on' "$log" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$log" | head -n 1 > "$work/$name.url"
}
start source --seed examples/sandbox-seed.json
start target --create-runs
source_url=$(cat "$work/source.url")
target_url=$(cat "$work/target.url")
old=3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f
new=5d5e5f60-0000-4000-8000-000000000001

# The profiles: URLs and where the token comes from, never the token itself.
cat > "$work/config.toml" <<TOML
[profiles.prod]
base_url = "$source_url"
token_env = "DEMO_TOKEN"

[profiles.staging]
base_url = "$target_url"
token_env = "DEMO_TOKEN"
TOML
export LABELPORT_CONFIG="$work/config.toml" DEMO_TOKEN=demo-token XDG_STATE_HOME="$work/state"
unset REFACTOR_API_TOKEN REFACTOR_BASE_URL LABELPORT_PROFILE

# Prints the command and its output, with the sandboxes' ports and the work folder written the same every run.
show() {
  printf '\n$ labelport'; printf ' %s' "${@:2}"; printf '\n'
  local s=0; "$@" > "$work/out" 2>&1 || s=$?
  perl -pe 's{(http://127\.0\.0\.1:)(\d+)}{$1 . "PORT" . (" " x (length($2) - 4))}ge' "$work/out" | sed -e "s#$work#/tmp/demo#g"
  [ "$s" -eq 0 ] || echo "(exit status $s)"
}

cd "$work"
show "$bin" profiles
show "$bin" copy --from prod --to staging --run "$old=$new" --dry-run
show "$bin" copy --from prod --to staging --run "$old=$new"
show "$bin" copy --from prod --to staging --run "$old=$new"
