#!/usr/bin/env bash
# Import throughput at 20 ms latency and concurrency 64 (Little's law: 64 / 0.020 s =
# 3,200 req/s), over HTTP/1.1 straight to the sandbox, over HTTP/2 through nginx (TLS
# from a throwaway CA, upstream keep-alive) and over HTTP/1.1 through the same nginx (what
# HTTP/2 itself costs, apart from TLS and the proxy), with the CPU each process spent per
# request, so that a shortfall can be told apart: client, proxy or server, or cores that
# all three share. Uses the release build; installs nginx and openssl when missing.
#   bash scripts/bench-http2.sh [ROWS] [LATENCY_MS]
# With BASELINE=/path/to/another/labelport, each path is measured ROUNDS times (default 4),
# the baseline and this build alternately on the same rig, so that a change is judged
# paired rather than against figures taken at another time.
set -uo pipefail
cd "$(dirname "$0")/.."
rows=${1:-20000}
latency=${2:-20}

source scripts/lib/loopback.sh
need_tools bench-http2 nginx openssl

swift build -c release --scratch-path .build-release --product labelport >&2 || exit 1
bin=.build-release/release/labelport
ticks() { local sum=0; for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$sum"; }
hz=$(getconf CLK_TCK)

make_certificates

TOKEN=bench-token
SANDBOX_PORT=$(free_port)
"$bin" sandbox --port "$SANDBOX_PORT" --create-runs --token "$TOKEN=bench" --faults "latency=${latency}ms" > "$work/sandbox.log" 2>&1 &
sandbox=$!
pids+=($sandbox)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/sandbox.log" 2>/dev/null && break; sleep 0.1; done

NGINX_PORT=$(free_port)
NGINX_H1_PORT=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  upstream sandbox { server 127.0.0.1:$SANDBOX_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT ssl http2;
    listen 127.0.0.1:$NGINX_H1_PORT ssl;  # the same server, offering HTTP/1.1 only
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server.key;
    http2_max_concurrent_streams 128;
    keepalive_requests 100000;
    location /api/ { proxy_pass http://sandbox/; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" || exit 1

python3 - "$work/rows.jsonl" "$rows" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"output_resource_name": f"doc-{i}.pdf", "object_value": {"answer": "yes", "score": i}}) + "\n")
EOF

little=$((64000 / latency))
echo "== $rows creates at ${latency} ms latency, concurrency 64: Little's law gives $little req/s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
measure() {  # NAME BASE_URL EXTRA...
  local name=$1 url=$2; shift 2
  local run; run=$(python3 -c 'import uuid; print(uuid.uuid4())')
  local nginx_pids; nginx_pids=$(pgrep -f "nginx: worker" | tr '\n' ' ')
  local s0 n0 c0 c1; s0=$(ticks "$sandbox"); n0=$(ticks $nginx_pids)
  c0=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
  /usr/bin/time -f "%U %S" -o "$work/time" env REFACTOR_API_TOKEN=$TOKEN "${client:-$bin}" import "$work/rows.jsonl" --run-id "$run" \
    --base-url "$url" --concurrency 64 --json "$@" > "$work/summary.json" 2>/dev/null
  c1=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
  local s1 n1; s1=$(ticks "$sandbox"); n1=$(ticks $nginx_pids)
  python3 - "$work/summary.json" "$work/time" "$name" "$little" "$((s1 - s0))" "$((n1 - n0))" "$hz" "$((c1 - c0))" "$(nproc)" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1])); user, system = map(float, open(sys.argv[2]).read().split()[:2])
name, little, sandbox, nginx, hz, machine = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
cores = int(sys.argv[9])
n, s = summary["requests"], summary["elapsed_seconds"]
per = lambda seconds: f"{seconds / n * 1e6:.0f} µs"
print(f"{name:46} {n / s:6.0f} req/s = {100 * n / s / little:5.1f}% of Little's law ({n} requests in {s:.2f} s)")
print(f"{'':46} CPU per request: labelport {per(user + system)}, sandbox {per(sandbox / hz)}"
      + (f", nginx {per(nginx / hz)}" if nginx else "") + f"; the machine busy {100 * machine / hz / s / cores:.0f}% of its {cores} cores")
EOF
}
paths() {  # PREFIX: the three paths, once
  measure "$1HTTP/1.1, straight to the sandbox" "http://127.0.0.1:$SANDBOX_PORT"
  measure "$1HTTP/2 through nginx (TLS)" "https://localhost:$NGINX_PORT/api" --ca-file "$work/ca.pem"
  measure "$1HTTP/1.1 through nginx (TLS)" "https://localhost:$NGINX_H1_PORT/api" --ca-file "$work/ca.pem"
}
if [[ -n "${BASELINE:-}" ]]; then
  for _ in $(seq 1 "${ROUNDS:-4}"); do
    client=$BASELINE paths "baseline: "
    client=$bin paths "this build: "
  done
else
  paths ""
fi

# The same creates from h2load (nghttp2's load generator, written in C, almost no CPU a
# request) over the same two paths: what this machine and rig allow a client at all, so
# that labelport's shortfall is told apart from the rig's. Skipped when it cannot be had.
if command -v h2load >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nghttp2-client >/dev/null 2>&1; then
  echo '{"output_resource_name": "h2load.pdf", "object_value": {"answer": "yes"}}' > "$work/body.json"
  reference() {  # NAME BASE_URL H2LOAD_ARGS...
    local name=$1 url=$2; shift 2
    local run; run=$(python3 -c 'import uuid; print(uuid.uuid4())')
    h2load -n "$rows" -d "$work/body.json" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
      "$@" "$url/v1/run/$run/gold-labels" > "$work/h2load.txt" 2>&1
    python3 - "$work/h2load.txt" "$name" "$little" <<'PY'
import re, sys
text = open(sys.argv[1]).read(); name, little = sys.argv[2], int(sys.argv[3])
done = re.search(r"finished in ([\d.]+)s, ([\d.]+) req/s", text)
ok = re.search(r"(\d+) succeeded", text)
if not done: print(f"{name:46} h2load failed: {text[-300:]}"); sys.exit()
print(f"{name:46} {float(done.group(2)):6.0f} req/s = {100 * float(done.group(2)) / little:5.1f}% of Little's law ({ok.group(1) if ok else '?'} created in {float(done.group(1)):.2f} s)")
PY
  }
  reference "h2load, HTTP/1.1" "http://127.0.0.1:$SANDBOX_PORT" --h1 -c 64
  reference "h2load, HTTP/2 (64 streams)" "https://localhost:$NGINX_PORT/api" -c 1 -m 64
  reference "h2load, HTTP/1.1 through nginx (TLS)" "https://localhost:$NGINX_H1_PORT/api" --h1 -c 64
else
  echo "(h2load not available: no reference figure for the rig)"
fi
