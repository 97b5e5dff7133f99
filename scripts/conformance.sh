#!/usr/bin/env bash
# API conformance: runs schemathesis (pinned) with openapi.yaml against a freshly built
# `labelport sandbox`, all operations, a fixed number of examples and a fixed seed.
# Exits non-zero on any non-conformance. Needs python3 (venv) and PyPI the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
MAX_EXAMPLES="${CONFORMANCE_MAX_EXAMPLES:-40}"
SEED="${CONFORMANCE_SEED:-20250115}"
VENV=".venv"

if [[ ! -x "$VENV/bin/schemathesis" ]] || [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

swift build

# A random token for this run only; it is passed on the sandbox's command line and in
# schemathesis's header, never printed (schemathesis masks Authorization in its output).
TOKEN="conformance-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
WORK="$(mktemp -d)"
SANDBOX_PID=""
cleanup() {
    if [[ -n "$SANDBOX_PID" ]] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
        kill -TERM "$SANDBOX_PID" 2>/dev/null || true
        wait "$SANDBOX_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

swift run --skip-build labelport sandbox --port 0 --create-runs --seed examples/sandbox-seed.json \
    --token "$TOKEN=sandbox" >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
SANDBOX_PID=$!

URL=""
for _ in $(seq 1 600); do  # up to 60 s: `swift run` plans the build first
    URL="$(sed -n 's/^labelport sandbox listening on //p' "$WORK/sandbox.out")"
    [[ -n "$URL" ]] && break
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
        echo "conformance: the sandbox exited before listening:" >&2
        cat "$WORK/sandbox.err" >&2
        exit 1
    fi
    sleep 0.1
done
[[ -n "$URL" ]] || { echo "conformance: the sandbox did not report its port" >&2; exit 1; }
echo "conformance: sandbox at $URL, schemathesis $SCHEMATHESIS_VERSION, $MAX_EXAMPLES examples per operation, seed $SEED"

"$VENV/bin/schemathesis" --config-file scripts/conformance.toml run openapi.yaml \
    --url "$URL" \
    --header "Authorization: Bearer $TOKEN" \
    --checks all \
    --mode all \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --generation-database none \
    --no-color
