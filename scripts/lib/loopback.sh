# Shared by scripts/network-check.sh and scripts/bench-http2.sh: OS packages installed
# when missing, a work directory removed (with every process started) on exit, free
# loopback ports, and a throwaway CA with a server certificate. Source it; `need_tools`
# takes the calling script's name and the packages to check.

# need_tools NAME PACKAGE...: installs the packages whose command is missing (nginx and
# squid may live in /usr/sbin).
need_tools() {
  local name=$1; shift
  local need=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || need+=("$tool")
  done
  if ((${#need[@]})); then
    echo "installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; } \
      || { echo "$name: cannot install ${need[*]}" >&2; exit 1; }
  fi
  export PATH="$PATH:/usr/sbin"
}

# The work directory; processes whose pids are added to `pids` (and nginx, by its pid
# file) are stopped on exit, then the directory is removed.
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# make_certificates [NAME...]: $work/ca.pem, and $work/server.pem / server.key for
# localhost and the NAMEs, signed by it.
make_certificates() {
  local names="DNS:localhost" name
  for name in "$@"; do names+=",DNS:$name"; done
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=labelport throwaway CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$names" > "$work/ext.cnf"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/ext.cnf" -out "$work/server.pem" >/dev/null 2>&1 || { echo "cannot make certificates" >&2; exit 1; }
}
