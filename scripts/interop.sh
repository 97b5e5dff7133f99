#!/usr/bin/env bash
# Interop: drives the real `labelport` binary against scripts/independent_server.py (a server
# written from the seeds and CONTRACT.md, not our sandbox), once per HTTP framing mode:
# import of examples/ → re-import plans nothing → export → re-import into fresh runs → same
# values → update → export shows it → evaluations with a 404 → wrong token. Prints PASS/FAIL
# per check and exits 1 on any FAIL (the work directory with server logs is then kept).
#   bash scripts/interop.sh                      # all framings
#   INTEROP_FRAMINGS="chunked" LABELPORT_BIN=/path/to/labelport bash scripts/interop.sh
# Needs python3 (standard library only).
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${LABELPORT_BIN:-}" ]]; then
  bin="$LABELPORT_BIN"
else
  swift build >&2 || exit 1
  bin="$(swift build --show-bin-path)/labelport"
fi
read -r -a modes <<<"${INTEROP_FRAMINGS:-http10-close close chunked keepalive close-after-3}"

random_hex() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
TOKEN="interop-$(random_hex)"  # never printed; only passed to the server and labelport
WRONG="wrong-$(random_hex)"
ACCOUNT="acct-interop"
R1=3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f  # examples/labels.csv (--run-id)
R2=7b1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f  # examples/labels.jsonl
R3=c2a4e6f8-1b3d-4f5a-9c7e-2d4f6a8b0c1e  # examples/labels.jsonl
F1=11111111-1111-4111-8111-000000000001  # fresh runs for the round trip (same order as R1..R3)
F2=11111111-1111-4111-8111-000000000002
F3=11111111-1111-4111-8111-000000000003
BIG=11111111-1111-4111-8111-000000000004   # a large run (many labels)
BIG_ROWS="${INTEROP_BIG_ROWS:-1000}"
UNDECLARED=99999999-9999-4999-8999-999999999999
E1=2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6f
E1_VALUE=0.333333333333333333333333
E_UNKNOWN=0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e
MAPS=(--run-id "$R1" --map "Document=output_resource_name" --map "Vendor=object_value.vendor"
  --map "Total=object_value.total:number" --map "Currency=object_value.currency"
  --map "Line items=object_value.lines:number" --map "Partial?=object_value_is_partial")

work="$(mktemp -d)"
server_pid=""
failures=0
stop_server() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  server_pid=""
}
cleanup() {
  stop_server
  if (( failures == 0 )); then rm -rf "$work"; else echo "interop: logs kept in $work" >&2; fi
}
trap cleanup EXIT

pass() { echo "PASS [$mode] $1"; }
fail() { echo "FAIL [$mode] $1: $2"; failures=$((failures + 1)); mode_failures=$((mode_failures + 1)); }

# lp NAME ARGS...: runs labelport (30 s limit) with stdout/stderr in $dir/NAME.out/.err; sets $rc.
lp() {
  local name="$1"; shift
  timeout 30 "$bin" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
  rc=$?
}
tail_err() { tr '\n' ' ' <"$dir/$1.err" | cut -c1-400; }

# counts FILE: "create=N update=N unchanged=N conflict=N invalid=N ok=N failed=N" from a --json summary.
counts() {
  python3 - "$1" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"unreadable summary ({e})"); sys.exit()
s = d.get("summary", d)
a, st = s.get("actions", {}), s.get("statuses", {})
print(" ".join(f"{k}={a.get(k)}" for k in ("create", "update", "unchanged", "conflict", "invalid"))
      + " " + " ".join(f"{k}={st.get(k)}" for k in ("ok", "failed")))
EOF
}

# values FILE: each exported label without run_id/id/account/timestamps, number literals and
# key order as written, sorted; the value columns of an export.
values() {
  python3 - "$1" <<'EOF'
import json, sys
class Num(str): pass
def dump(v):
    if isinstance(v, Num): return str(v)
    if isinstance(v, dict): return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + dump(x) for k, x in v.items()) + "}"
    if isinstance(v, list): return "[" + ",".join(dump(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)
drop = {"run_id", "id", "account_id", "created_by", "created_at", "updated_by", "updated_at"}
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        o = json.loads(line, parse_int=Num, parse_float=Num, object_pairs_hook=dict)
        rows.append(dump({k: v for k, v in o.items() if k not in drop}))
print("\n".join(sorted(rows)))
EOF
}
writes() { grep -c '"method": "\(POST\|PUT\)"' "$dir/server.log" 2>/dev/null || true; }

# expect_counts CHECK NAME WANT_RC WANT_COUNTS
expect_counts() {
  local got; got="$(counts "$dir/$2.out")"
  if [[ "$rc" -eq "$3" && "$got" == "$4" ]]; then pass "$1"
  else fail "$1" "exit $rc (want $3), counts '$got' (want '$4'); stderr: $(tail_err "$2")"; fi
}

run_mode() {
  dir="$work/$mode"; mkdir -p "$dir"
  python3 scripts/independent_server.py --port 0 --framing "$mode" --token "$TOKEN=$ACCOUNT" \
    --runs "$R1,$R2,$R3,$F1,$F2,$F3,$BIG" --log "$dir/server.log" \
    --evaluation "{\"id\": \"$E1\", \"run_id\": \"$R1\", \"output_name\": \"invoice-0001.pdf\", \"evaluation_label_id\": \"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\", \"value\": $E1_VALUE, \"created_at\": \"2025-01-18T08:00:00Z\"}" \
    >"$dir/server.out" 2>"$dir/server.err" &
  server_pid=$!
  local port=""
  for _ in $(seq 1 50); do
    port="$(head -n 1 "$dir/server.out" 2>/dev/null)"; [[ -n "$port" ]] && break; sleep 0.1
  done
  if [[ -z "$port" ]]; then fail "server start" "$(cat "$dir/server.err")"; stop_server; return; fi
  export REFACTOR_BASE_URL="http://127.0.0.1:$port" REFACTOR_API_TOKEN="$TOKEN"

  # 1. The README's main command, then the JSONL example: everything created.
  lp import-csv import examples/labels.csv "${MAPS[@]}" --json
  expect_counts "import examples/labels.csv (--run-id, --map)" import-csv 0 "create=5 update=0 unchanged=0 conflict=0 invalid=0 ok=5 failed=0"
  lp import-jsonl import examples/labels.jsonl --json
  expect_counts "import examples/labels.jsonl" import-jsonl 0 "create=4 update=0 unchanged=0 conflict=0 invalid=0 ok=4 failed=0"

  # 2. The same imports again: a plan of zero changes, and no write sent.
  lp replan-csv import examples/labels.csv "${MAPS[@]}" --dry-run --json
  expect_counts "re-import csv plans zero changes" replan-csv 0 "create=0 update=0 unchanged=5 conflict=0 invalid=0 ok=0 failed=0"
  lp replan-jsonl import examples/labels.jsonl --dry-run --json
  expect_counts "re-import jsonl plans zero changes" replan-jsonl 0 "create=0 update=0 unchanged=4 conflict=0 invalid=0 ok=0 failed=0"
  local before; before="$(writes)"
  lp reimport-csv import examples/labels.csv "${MAPS[@]}" --json
  if [[ "$rc" -eq 0 && "$(writes)" == "$before" ]]; then pass "re-import sends no write"
  else fail "re-import sends no write" "exit $rc, writes $before → $(writes)"; fi

  # 3. Export, byte-stable, exact values; re-import into fresh runs, export again, same values.
  lp export1 export labels --run "$R1" --run "$R2" --run "$R3" --out "$dir/x.jsonl"
  if [[ "$rc" -ne 0 || ! -s "$dir/x.jsonl" ]]; then fail "export labels" "exit $rc; $(tail_err export1)"
  elif [[ "$(wc -l <"$dir/x.jsonl")" -ne 9 ]]; then fail "export labels" "$(wc -l <"$dir/x.jsonl") lines, want 9"
  else pass "export labels (9 labels)"; fi
  local missing=""
  for want in '"total":1299.00' '"total":0.10' '"amount":12345678901234567890' '"penalty":null' \
      '"vendor":"株式会社テスト"' '"vendor":"Multi\nline GmbH"' '"text_value":"Bitte um Rückruf — مرحبا — 🙂"' \
      '"object_value_is_partial":true'; do
    grep -qF -- "$want" "$dir/x.jsonl" || missing+=" $want"
  done
  if [[ -z "$missing" ]]; then pass "export keeps values exactly (numbers, unicode from \\u escapes)"
  else fail "export keeps values exactly" "not found in x.jsonl:$missing"; fi
  lp export1b export labels --run "$R1" --run "$R2" --run "$R3" --out "$dir/x2.jsonl"
  if [[ "$rc" -eq 0 ]] && cmp -s "$dir/x.jsonl" "$dir/x2.jsonl"; then pass "export twice: identical bytes"
  else fail "export twice: identical bytes" "exit $rc; $(cmp "$dir/x.jsonl" "$dir/x2.jsonl" 2>&1)"; fi
  lp same-plan import "$dir/x.jsonl" --dry-run --json
  expect_counts "export re-imported into the same runs plans zero changes" same-plan 0 "create=0 update=0 unchanged=9 conflict=0 invalid=0 ok=0 failed=0"
  lp fresh import "$dir/x.jsonl" --remap-run "$R1=$F1" --remap-run "$R2=$F2" --remap-run "$R3=$F3" --json
  expect_counts "export imported into fresh runs" fresh 0 "create=9 update=0 unchanged=0 conflict=0 invalid=0 ok=9 failed=0"
  lp export2 export labels --run "$F1" --run "$F2" --run "$F3" --out "$dir/y.jsonl"
  values "$dir/x.jsonl" >"$dir/x.values"; values "$dir/y.jsonl" >"$dir/y.values"
  if [[ "$rc" -eq 0 ]] && cmp -s "$dir/x.values" "$dir/y.values"; then pass "round trip: same value columns"
  else fail "round trip: same value columns" "exit $rc; $(diff "$dir/x.values" "$dir/y.values" | head -n 6 | tr '\n' ' ')"; fi

  # 3b. A large run: the list response (~0.5 MB) spans many reads/chunks in every framing.
  python3 - "$BIG" "$BIG_ROWS" >"$dir/big.jsonl" <<'EOF'
import json, sys
for i in range(int(sys.argv[2])):
    print(json.dumps({"run_id": sys.argv[1], "output_resource_name": f"doc-{i:05d}.pdf", "object_value": {
        "amount": f"{i}.{i % 100:02d}", "big": int("9" * 25), "i": i, "note": "Grüße 🙂 " * 20}},
        ensure_ascii=False))  # keys sorted as export writes them
EOF
  lp big import "$dir/big.jsonl" --json
  expect_counts "import $BIG_ROWS rows into one run" big 0 "create=$BIG_ROWS update=0 unchanged=0 conflict=0 invalid=0 ok=$BIG_ROWS failed=0"
  lp big-export export labels --run "$BIG" --out "$dir/big-x.jsonl"
  values "$dir/big.jsonl" >"$dir/big.values"; values "$dir/big-x.jsonl" >"$dir/big-x.values"
  if [[ "$rc" -eq 0 ]] && cmp -s "$dir/big.values" "$dir/big-x.values"; then pass "export of the large run: same values as imported"
  else fail "export of the large run" "exit $rc; $(diff "$dir/big.values" "$dir/big-x.values" | head -n 4 | cut -c1-200 | tr '\n' ' ')"; fi
  lp big-plan import "$dir/big.jsonl" --dry-run --json
  expect_counts "large run re-plans zero changes" big-plan 0 "create=0 update=0 unchanged=$BIG_ROWS conflict=0 invalid=0 ok=0 failed=0"

  # 4. Update one text and one number (rows keep their ids): the export shows exactly that.
  grep -F '"output_resource_name":"contract-a.docx"' "$dir/x.jsonl" \
    | sed 's/"text_value":"Termination notice: 60 days."/"text_value":"Termination notice: 45 days."/' >"$dir/upd.jsonl"
  grep -F '"output_resource_name":"contract-c.docx"' "$dir/x.jsonl" | sed 's/"notice_days":14/"notice_days":15/' >>"$dir/upd.jsonl"
  lp update import "$dir/upd.jsonl" --json
  expect_counts "update (one text, one number)" update 0 "create=0 update=2 unchanged=0 conflict=0 invalid=0 ok=2 failed=0"
  lp export3 export labels --run "$R1" --run "$R2" --run "$R3" --out "$dir/z.jsonl"
  sed -e 's/"text_value":"Termination notice: 60 days."/"text_value":"Termination notice: 45 days."/' \
      -e 's/"notice_days":14/"notice_days":15/' "$dir/x.jsonl" >"$dir/x-updated.jsonl"
  values "$dir/x-updated.jsonl" >"$dir/want.values"; values "$dir/z.jsonl" >"$dir/z.values"
  if [[ "$rc" -eq 0 ]] && cmp -s "$dir/want.values" "$dir/z.values"; then pass "export shows the update, nothing else changed"
  else fail "export shows the update" "exit $rc; $(diff "$dir/want.values" "$dir/z.values" | head -n 6 | tr '\n' ' ')"; fi

  # 5. text → object on the same label: the server clears text_value; a re-plan is unchanged.
  printf '{"run_id":"%s","output_resource_name":"contract-a.docx","object_value":{"days":45,"clause":"termination"}}\n' "$R2" >"$dir/switch.jsonl"
  lp switch import "$dir/switch.jsonl" --json
  expect_counts "text_value → object_value update" switch 0 "create=0 update=1 unchanged=0 conflict=0 invalid=0 ok=1 failed=0"
  lp switch-plan import "$dir/switch.jsonl" --dry-run --json
  expect_counts "after the switch, re-plan is unchanged" switch-plan 0 "create=0 update=0 unchanged=1 conflict=0 invalid=0 ok=0 failed=0"
  lp export4 export labels --run "$R2" --out "$dir/w.jsonl"
  local line; line="$(grep -F '"output_resource_name":"contract-a.docx"' "$dir/w.jsonl")"
  if [[ "$line" == *'"object_value":{"clause":"termination","days":45}'* && "$line" != *'"text_value"'* ]]; then
    pass "export after the switch: object only, keys sorted"
  else fail "export after the switch" "exit $rc; line: ${line:0:300}"; fi

  # 6. Evaluations: one known id, one unknown → exit 1, the known one exported exactly.
  printf 'run_id,evaluation_id\n%s,%s\n%s,%s\n' "$R1" "$E1" "$R1" "$E_UNKNOWN" >"$dir/eval-ids.csv"
  lp evals export evaluations --ids "$dir/eval-ids.csv" --out "$dir/evals.jsonl"
  local evals=""; [[ -f "$dir/evals.jsonl" ]] && evals="$(cat "$dir/evals.jsonl")"
  if [[ "$rc" -eq 1 && "$(wc -l <<<"$evals")" -eq 1 && "$evals" == *"\"id\":\"$E1\""* \
        && "$evals" == *"\"value\":$E1_VALUE"* && "$(cat "$dir/evals.err")" == *"$E_UNKNOWN"* ]]; then
    pass "export evaluations: known exported, unknown reported, exit 1"
  else fail "export evaluations" "exit $rc (want 1); file: ${evals:0:300}; stderr: $(tail_err evals)"; fi

  # 7. A run the server does not hold (404): the rows fail, exit 1.
  printf '{"run_id":"%s","output_resource_name":"x.txt","text_value":"x"}\n' "$UNDECLARED" >"$dir/undeclared.jsonl"
  lp undeclared import "$dir/undeclared.jsonl" --json
  if [[ "$rc" -eq 1 ]]; then pass "import into an unknown run (404): exit 1"
  else fail "import into an unknown run (404)" "exit $rc (want 1); $(tail_err undeclared)"; fi

  # 8. Wrong token (401): exit 1 for import and export, the token never printed.
  local before401; before401="$(grep -c '"status": 401' "$dir/server.log")"
  REFACTOR_API_TOKEN="$WRONG" lp wrong-import import examples/labels.jsonl
  local rc_import=$rc
  printf '%s\n' "$WRONG" >"$dir/wrong-token"
  env -u REFACTOR_API_TOKEN timeout 30 "$bin" export labels --run "$R1" --token-file "$dir/wrong-token" \
    --out "$dir/wrong.jsonl" >"$dir/wrong-export.out" 2>"$dir/wrong-export.err"
  local rc_export=$?
  local seen401=$(( $(grep -c '"status": 401' "$dir/server.log") - before401 ))
  if [[ "$rc_import" -eq 1 && "$rc_export" -eq 1 && "$seen401" -ge 2 && ! -e "$dir/wrong.jsonl" ]]; then
    pass "wrong token: 401 → exit 1 (import and export), no file written"
  else fail "wrong token" "import exit $rc_import, export exit $rc_export (want 1, 1), 401s seen $seen401, file written: $([[ -e "$dir/wrong.jsonl" ]] && echo yes || echo no)"; fi
  if grep -rqF -e "$WRONG" -e "$TOKEN" "$dir"/*.out "$dir"/*.err "$dir"/*.jsonl "$dir/server.log"; then
    fail "token never printed" "$(grep -rlF -e "$WRONG" -e "$TOKEN" "$dir"/*.out "$dir"/*.err "$dir"/*.jsonl "$dir/server.log" | tr '\n' ' ')"
  else pass "token never printed (outputs, files written)"; fi

  python3 - "$dir/server.log" "$mode" <<'EOF'
import collections, json, sys
conns = collections.Counter(json.loads(l)["connection"] for l in open(sys.argv[1]))
print(f"INFO [{sys.argv[2]}] {sum(conns.values())} requests on {len(conns)} connections, "
      f"at most {max(conns.values())} on one")
EOF
  stop_server
}

started=$SECONDS
summary=""
for mode in "${modes[@]}"; do
  mode_failures=0
  run_mode
  summary+="$mode: $([[ $mode_failures -eq 0 ]] && echo ok || echo "$mode_failures FAIL")  "
done
echo "interop: $summary($((SECONDS - started)) s)"
(( failures == 0 ))
