#!/usr/bin/env bash
# labelport through real network parts on loopback: nginx terminating TLS (a certificate
# from a throwaway CA, HTTP/2, gzip, the API under the path prefix /api) in front of the
# sandbox, and squid as a forward proxy that alone can resolve the API's host name.
# Installs nginx, squid and openssl from the OS packages when they are missing.
#   bash scripts/network-check.sh
set -uo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/loopback.sh
need_tools network-check nginx squid openssl curl

swift build >&2 || exit 1
bin=$(swift build --show-bin-path)/labelport

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

TOKEN="net-check-token-$RANDOM$RANDOM"
PROXY_PASSWORD="proxy:secret@$RANDOM"  # ":" and "@" are percent-encoded in the proxy URL
RUN=3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f
BIG=4b1d0000-0000-4000-8000-000000005000
HOST=api.labelport.test   # resolvable only by the proxy

# 1. A throwaway CA and a certificate for localhost and $HOST.
make_certificates "$HOST"

# 2. The sandbox, seeded with the examples and a run of 5,000 labels.
python3 - "$work/seed.json" "$RUN" "$BIG" <<'EOF'
import json, sys
seed = json.load(open("examples/sandbox-seed.json"))
seed["runs"].append({"id": sys.argv[3], "account_id": "sandbox"})
for i in range(5000):
    seed["gold_labels"].append({"run_id": sys.argv[3], "output_resource_name": f"doc-{i:05d}.pdf",
        "object_value": {"vendor": "ACME Corporation GmbH", "total": 100 + i / 100, "currency": "EUR",
                         "approved": i % 3 == 0, "lines": [{"sku": f"SKU-{i % 97}", "qty": i % 7}]},
        "object_value_is_partial": False})
json.dump(seed, open(sys.argv[1], "w"))
EOF
"$bin" sandbox --port 0 --seed "$work/seed.json" --token "$TOKEN=sandbox" > "$work/sandbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done
SANDBOX=$(grep -o 'http://[0-9.:]*' "$work/sandbox.log" | head -n 1)
[[ -n "$SANDBOX" ]] || { cat "$work/sandbox.log" >&2; exit 1; }

# 3. nginx: TLS + HTTP/2 + gzip, the API under /api/.
NGINX_PORT=$(free_port)
KEEP_PORT=$(free_port)  # the same, with connections kept open (keepalive_requests 1000)
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  log_format api '\$request \$status \$server_protocol sent=\$body_bytes_sent gzip=\$gzip_ratio';
  log_format conn '\$request_method \$server_protocol connection=\$connection';
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2;
    server_name localhost $HOST;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    access_log $work/nginx-access.log api;
    keepalive_requests 3;
    gzip on; gzip_types application/json; gzip_proxied any; gzip_min_length 256;
    location /api/ {
      proxy_pass $SANDBOX/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$KEEP_PORT ssl http2;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    access_log $work/nginx-keep.log conn;
    location /api/ { proxy_pass $SANDBOX/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx-start.log" || { cat "$work/nginx-start.log" >&2; exit 1; }
API="https://localhost:$NGINX_PORT/api"

# 4. squid: a forward proxy whose hosts file alone knows $HOST, asking for a user name and
#    password (Basic) when its helper is installed.
SQUID_PORT=$(free_port)
mkdir -p "$work/squid"
chmod 777 "$work/squid"
echo "127.0.0.1 $HOST" > "$work/hosts"
ncsa=$(ls /usr/lib/squid/basic_ncsa_auth /usr/lib64/squid/basic_ncsa_auth /usr/libexec/squid/basic_ncsa_auth 2>/dev/null | head -n 1)
if [[ -n "$ncsa" ]]; then
  printf 'labelport:%s\n' "$(openssl passwd -apr1 "$PROXY_PASSWORD")" > "$work/squid-passwd"
  chmod 644 "$work/squid-passwd"
  squid_access="auth_param basic program $ncsa $work/squid-passwd
auth_param basic realm labelport-check
acl authed proxy_auth REQUIRED
http_access allow authed
http_access deny all"
else
  echo "network-check: squid's basic_ncsa_auth helper not found: the proxy asks for no credentials" >&2
  squid_access="http_access allow all"
fi
cat > "$work/squid.conf" <<EOF
http_port 127.0.0.1:$SQUID_PORT
$squid_access
hosts_file $work/hosts
cache deny all
access_log $work/squid/access.log
cache_log $work/squid/cache.log
pid_filename $work/squid/squid.pid
coredump_dir $work/squid
shutdown_lifetime 0 seconds
EOF
squid -N -f "$work/squid.conf" > "$work/squid/stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$SQUID_PORT" && break; sleep 0.1; done

export REFACTOR_API_TOKEN=$TOKEN
unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy SSL_CERT_FILE
lp() { "$bin" "$@"; }
nginx_requests() { wc -l < "$work/nginx-access.log" 2>/dev/null || echo 0; }

# Untrusted certificate: refused at once, not retried, nothing sent, advice given.
before=$(nginx_requests)
start=$(date +%s%N)
lp export labels --base-url "$API" --run "$RUN" > "$work/untrusted.out" 2> "$work/untrusted.err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [[ $rc -ne 0 && $(nginx_requests) -eq $before && $ms -lt 3000 ]] && grep -q "is not trusted" "$work/untrusted.err" \
   && grep -q -- "--ca-file" "$work/untrusted.err" && ! grep -qiE "boringssl|\.cc|errno|NIO" "$work/untrusted.err"; then
  pass "untrusted certificate: refused in $ms ms, not retried, in words"
else fail "untrusted certificate" "exit $rc, $ms ms, requests $(nginx_requests) vs $before: $(cat "$work/untrusted.err")"; fi

# Trusted by --ca-file and by SSL_CERT_FILE; the export through the prefix equals the direct one.
lp export labels --base-url "$SANDBOX" --run "$RUN" --out "$work/direct.jsonl" 2>/dev/null
if lp export labels --base-url "$API" --ca-file "$work/ca.pem" --run "$RUN" --out "$work/via-ca.jsonl" 2>"$work/ca.err" \
   && cmp -s "$work/direct.jsonl" "$work/via-ca.jsonl"; then pass "--ca-file: export through nginx's /api prefix equals the direct export"
else fail "--ca-file" "$(cat "$work/ca.err")"; fi
if SSL_CERT_FILE="$work/ca.pem" lp export labels --base-url "$API" --run "$RUN" --out "$work/via-env.jsonl" 2>"$work/env.err" \
   && cmp -s "$work/direct.jsonl" "$work/via-env.jsonl"; then pass "SSL_CERT_FILE: trusted as the bundle"
else fail "SSL_CERT_FILE" "$(cat "$work/env.err")"; fi

# Import through the prefix, then re-plan: nothing left to do; the export matches.
maps=(--run-id "$RUN" --map "Document=output_resource_name" --map "Vendor=object_value.vendor"
  --map "Total=object_value.total:number" --map "Currency=object_value.currency"
  --map "Line items=object_value.lines:number" --map "Partial?=object_value_is_partial")
if lp import examples/labels.csv "${maps[@]}" --base-url "$API" --ca-file "$work/ca.pem" > "$work/import.out" 2> "$work/import.err" \
   && lp import examples/labels.csv "${maps[@]}" --base-url "$API" --ca-file "$work/ca.pem" --dry-run --json > "$work/replan.json" 2>/dev/null \
   && python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(0 if p["summary"]["actions"]["unchanged"]==5 else 1)' "$work/replan.json"; then
  pass "import through nginx (TLS, HTTP/2, prefix, keep-alive closed every 3 requests): a re-plan finds nothing to do"
else fail "import through nginx" "$(cat "$work/import.err") $(head -c 400 "$work/replan.json")"; fi
lp export labels --base-url "$SANDBOX" --run "$RUN" --out "$work/direct2.jsonl" 2>/dev/null
lp export labels --base-url "$API" --ca-file "$work/ca.pem" --run "$RUN" --out "$work/via-ca2.jsonl" 2>/dev/null
cmp -s "$work/direct2.jsonl" "$work/via-ca2.jsonl" && pass "export after the import: identical through nginx and direct" \
  || fail "export after import" "files differ"
grep -q 'HTTP/2.0' "$work/nginx-access.log" && pass "HTTP/2 negotiated with nginx (ALPN)" \
  || fail "HTTP/2" "$(tail -n 3 "$work/nginx-access.log")"

# HTTP/2 streams nginx ends with its GOAWAY (keep-alive closed every 3 requests): every row
# lands once (a cancelled create is settled by re-reading the run, never resent blindly),
# and no row fails even with one retry (a cut-off the run shows was never stored spends none).
python3 -c '
import json
for i in range(300): print(json.dumps({"output_resource_name": "goaway-%04d" % i, "text_value": str(i)}))' > "$work/goaway.jsonl"
if lp import "$work/goaway.jsonl" --run-id "$BIG" --base-url "$API" --ca-file "$work/ca.pem" --concurrency 16 \
     --retries 1 > "$work/goaway.out" 2> "$work/goaway.err" && grep -q "(300 ok)" "$work/goaway.err" \
   && [[ $(curl -s -H "Authorization: Bearer $TOKEN" "$SANDBOX/v1/run/$BIG/gold-labels" | grep -o '"goaway-[0-9]*"' | sort | uniq | wc -l) -eq 300 ]] \
   && [[ $(curl -s -H "Authorization: Bearer $TOKEN" "$SANDBOX/v1/run/$BIG/gold-labels" | grep -o '"goaway-[0-9]*"' | wc -l) -eq 300 ]]; then
  pass "HTTP/2 GOAWAY: 300 creates at concurrency 16, --retries 1, through nginx's GOAWAYs, each stored once, none failed"
else fail "HTTP/2 GOAWAY" "$(tail -n 4 "$work/goaway.err")"; fi

# gzip: the 5,000-label list arrives compressed; bytes on the wire vs the whole answer.
raw=$(curl -s -H "Authorization: Bearer $TOKEN" "$SANDBOX/v1/run/$BIG/gold-labels" | wc -c)
lp export labels --base-url "$API" --ca-file "$work/ca.pem" --run "$BIG" --out "$work/big-via.jsonl" 2>/dev/null
lp export labels --base-url "$SANDBOX" --run "$BIG" --out "$work/big-direct.jsonl" 2>/dev/null
sent=$(grep "GET /api/v1/run/$BIG/gold-labels" "$work/nginx-access.log" | tail -n 1 | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
if [[ -n "$sent" && "$raw" -gt 0 ]] && cmp -s "$work/big-via.jsonl" "$work/big-direct.jsonl" && (( sent * 100 <= raw * 25 )); then
  pass "gzip: the 5,000-label answer crossed as $sent bytes of $raw ($((sent * 100 / raw))%), decoded exactly"
else fail "gzip" "sent=$sent raw=$raw; $(grep "$BIG" "$work/nginx-access.log" | tail -n 1)"; fi

# HTTP/2: once the server has answered over it, a create goes on a connection of its
# task's event loop, so that both of the client's threads carry streams (two loops where
# there are two cores; the first requests may use the connection that read the run).
python3 -c '
import json
for i in range(400): print(json.dumps({"output_resource_name": "loops-%04d" % i, "text_value": str(i)}))' > "$work/loops.jsonl"
loops=$(( $(nproc) >= 2 ? 2 : 1 ))
if lp import "$work/loops.jsonl" --run-id "$BIG" --base-url "https://localhost:$KEEP_PORT/api" --ca-file "$work/ca.pem" \
     --concurrency 16 > /dev/null 2> "$work/loops.err" && grep -q "(400 ok)" "$work/loops.err"; then
  connections=$(grep '^POST HTTP/2.0' "$work/nginx-keep.log" | sort -u | wc -l)
  if (( connections >= loops && connections <= loops + 1 )); then
    pass "HTTP/2: 400 creates over $connections connections (one per event loop: $loops)"
  else fail "HTTP/2 connections per loop" "$connections connections for $loops loops: $(sort "$work/nginx-keep.log" | uniq -c | head -5)"; fi
else fail "HTTP/2 connections per loop" "$(tail -n 4 "$work/loops.err")"; fi

# An HTTP/2 connection that goes silent and stays open (a NAT or balancer that dropped the
# flow): a relay in front of nginx stops passing a connection's bytes, both ways, once 20 kB
# went up it, for the first N connections it accepts. A request that times out there sends
# the other loop's requests elsewhere while labelport PINGs the silent connection, closes it
# unanswered and opens a new one: the import ends exact, with no row failed. With N = 2,
# both loops' connections go silent at once.
cat > "$work/relay.py" <<'PY'
import asyncio, sys
listen, target, silenced = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
accepted = 0
async def pipe(reader, writer, state, upstream):
    try:
        while data := await reader.read(65536):
            if state["silent"]:
                continue
            if upstream and state["doomed"]:
                state["sent"] += len(data)
                if state["sent"] > 20000:
                    state["silent"] = True
                    print("silent", flush=True)
                    continue
            writer.write(data)
            await writer.drain()
    except Exception:
        pass
async def handle(reader, writer):
    global accepted
    accepted += 1
    state = {"doomed": accepted <= silenced, "sent": 0, "silent": False}
    up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
    await asyncio.gather(pipe(reader, up_writer, state, True), pipe(up_reader, writer, state, False))
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    print("listening", flush=True)
    await server.serve_forever()
asyncio.run(main())
PY
silent_case() {  # SILENCED NAME
  local silenced=$1 name=$2 port; port=$(free_port)
  python3 "$work/relay.py" "$port" "$KEEP_PORT" "$silenced" > "$work/relay-$silenced.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do grep -q listening "$work/relay-$silenced.log" 2>/dev/null && break; sleep 0.1; done
  python3 -c '
import json, sys
for i in range(400): print(json.dumps({"output_resource_name": "%s-%04d" % (sys.argv[1], i), "text_value": str(i)}))' "silent$silenced" > "$work/silent$silenced.jsonl"
  local labels="$work/silent$silenced-labels.json"
  if lp import "$work/silent$silenced.jsonl" --run-id "$BIG" --base-url "https://localhost:$port/api" --ca-file "$work/ca.pem" \
       --concurrency 8 --timeout 2 > /dev/null 2> "$work/silent$silenced.err" && grep -q "(400 ok)" "$work/silent$silenced.err" \
     && (( $(grep -c silent "$work/relay-$silenced.log") == silenced )) \
     && curl -s -H "Authorization: Bearer $TOKEN" "$SANDBOX/v1/run/$BIG/gold-labels" > "$labels" \
     && [[ $(grep -o "\"silent$silenced-[0-9]*\"" "$labels" | wc -l) -eq 400 ]] \
     && [[ $(grep -o "\"silent$silenced-[0-9]*\"" "$labels" | sort -u | wc -l) -eq 400 ]]; then
    pass "HTTP/2: $name: 400 creates, each stored once, none failed"
  else fail "HTTP/2 $name" "$(grep -c silent "$work/relay-$silenced.log") silent; $(tail -n 4 "$work/silent$silenced.err")"; fi
}
silent_case 1 "a connection gone silent is probed and replaced"
silent_case 2 "both loops' connections gone silent at once are probed and replaced"

# Through the proxy by CONNECT, to a host name only the proxy can resolve.
ENCODED_PASSWORD=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PROXY_PASSWORD")
PROXY_URL="http://labelport:$ENCODED_PASSWORD@127.0.0.1:$SQUID_PORT"
if HTTPS_PROXY="$PROXY_URL" lp export labels --base-url "https://$HOST:$NGINX_PORT/api" --ca-file "$work/ca.pem" --run "$RUN" \
     --out "$work/via-proxy.jsonl" 2>"$work/proxy.err" \
   && cmp -s "$work/direct2.jsonl" "$work/via-proxy.jsonl" && grep -q "CONNECT $HOST:$NGINX_PORT" "$work/squid/access.log"; then
  pass "HTTPS_PROXY: export by CONNECT through squid to $HOST"
else fail "proxy export" "$(cat "$work/proxy.err") $(tail -n 2 "$work/squid/access.log" 2>/dev/null)"; fi
if https_proxy="$PROXY_URL" lp import examples/labels.jsonl --base-url "https://$HOST:$NGINX_PORT/api" --ca-file "$work/ca.pem" \
     > "$work/proxy-import.out" 2>"$work/proxy-import.err"; then
  pass "https_proxy: import through squid"
else fail "proxy import" "$(cat "$work/proxy-import.err")"; fi
connects=$(grep -c "CONNECT" "$work/squid/access.log")
if lp export labels --proxy "$PROXY_URL" --base-url "https://$HOST:$NGINX_PORT/api" --ca-file "$work/ca.pem" --run "$RUN" \
     --out "$work/via-flag.jsonl" 2>"$work/flag.err" && (( $(grep -c "CONNECT" "$work/squid/access.log") > connects )); then
  pass "--proxy overrides the environment"
else fail "--proxy" "$(cat "$work/flag.err")"; fi

# A proxy that wants credentials: none given, or a wrong password, is said in words (407), not retried.
if [[ -n "$ncsa" ]]; then
  HTTPS_PROXY="http://127.0.0.1:$SQUID_PORT" lp export labels --base-url "https://$HOST:$NGINX_PORT/api" --ca-file "$work/ca.pem" \
    --run "$RUN" > /dev/null 2>"$work/proxy-noauth.err"
  rc=$?
  if [[ $rc -eq 1 ]] && grep -q "proxy 127.0.0.1:$SQUID_PORT (from HTTPS_PROXY) asks for credentials: put them in the proxy URL" "$work/proxy-noauth.err"; then
    pass "a proxy asking for credentials (407) is said in words"
  else fail "proxy 407, no credentials" "exit $rc: $(cat "$work/proxy-noauth.err")"; fi
  HTTPS_PROXY="http://labelport:wrong-$ENCODED_PASSWORD@127.0.0.1:$SQUID_PORT" lp export labels --base-url "https://$HOST:$NGINX_PORT/api" \
    --ca-file "$work/ca.pem" --run "$RUN" > /dev/null 2>"$work/proxy-badauth.err"
  rc=$?
  if [[ $rc -eq 1 ]] && grep -q "proxy 127.0.0.1:$SQUID_PORT (from HTTPS_PROXY) rejected the credentials in the proxy URL (407)" "$work/proxy-badauth.err"; then
    pass "wrong proxy credentials (407) are said in words, not shown"
  else fail "proxy 407, wrong credentials" "exit $rc: $(cat "$work/proxy-badauth.err")"; fi
fi

# NO_PROXY bypasses it (and then the name is unknown); loopback never uses a proxy.
HTTPS_PROXY="$PROXY_URL" NO_PROXY="labelport.test" lp export labels --base-url "https://$HOST:$NGINX_PORT/api" \
  --ca-file "$work/ca.pem" --run "$RUN" > /dev/null 2>"$work/noproxy.err"
rc=$?
if [[ $rc -ne 0 ]] && grep -q "$HOST: name not found" "$work/noproxy.err"; then pass "NO_PROXY: the proxy is bypassed"
else fail "NO_PROXY" "exit $rc: $(cat "$work/noproxy.err")"; fi
if HTTPS_PROXY="http://127.0.0.1:1" lp export labels --base-url "$API" --ca-file "$work/ca.pem" --run "$RUN" > /dev/null 2>"$work/loop.err"; then
  pass "loopback is never proxied"
else fail "loopback bypass" "$(cat "$work/loop.err")"; fi

# A dead proxy: said in words, naming the proxy, not its credentials.
HTTPS_PROXY="http://user:$ENCODED_PASSWORD@127.0.0.1:1" lp export labels --base-url "https://$HOST:$NGINX_PORT/api" \
  --ca-file "$work/ca.pem" --run "$RUN" --retries 0 > /dev/null 2>"$work/deadproxy.err"
grep -q "could not connect to proxy 127.0.0.1:1 (from HTTPS_PROXY): connection refused" "$work/deadproxy.err" \
  && pass "a refused proxy is named in words" || fail "dead proxy" "$(cat "$work/deadproxy.err")"

# Secrets: neither the token nor the proxy password in anything written or printed.
if grep -rqF -e "$TOKEN" -e "$PROXY_PASSWORD" -e "$ENCODED_PASSWORD" "$work"/*.out "$work"/*.err "$work"/*.jsonl "$work"/*.json 2>/dev/null; then
  fail "secrets" "found in $(grep -rlF -e "$TOKEN" -e "$PROXY_PASSWORD" -e "$ENCODED_PASSWORD" "$work"/*.out "$work"/*.err "$work"/*.jsonl "$work"/*.json | tr '\n' ' ')"
else pass "the token and the proxy password appear in no output or file"; fi

echo "network-check: $failures failure(s)"
((failures == 0))
