#!/usr/bin/env python3
"""An independent reference server for the five re-factor endpoints, written from the
OpenAPI seeds and CONTRACT.md only (standard library only). For interop checks of the
labelport client against a server that is not our own sandbox.

  python3 scripts/independent_server.py --port 0 --token TOKEN=ACCOUNT \
      --runs RUN_UUID[=ACCOUNT],... [--create-runs] [--evaluation JSON] \
      [--framing keepalive|close|chunked|http10-close|close-after-3] [--log FILE]

The first stdout line is the port. Each framing mode also uses its own header-name casing:
  keepalive     HTTP/1.1, Content-Length, persistent connections, Canonical-Case headers
  close         HTTP/1.1, Content-Length, "connection: close" and close, lower-case headers
  chunked       HTTP/1.1, persistent, Transfer-Encoding: chunked in small uneven chunks,
                UPPER-CASE headers
  http10-close  HTTP/1.0 status line, no Content-Length, body ends when the server closes
  close-after-3 as keepalive, but each connection is closed after its third answer without
                a "connection: close" (a request sent on it meanwhile meets a closed socket)
Every label and evaluation returned carries an unknown "extra_field", optional fields are
sent as explicit null where the seed says nullable, and keys come in an unusual order.
Numbers in object_value and evaluation values are kept as the client wrote them.
"""
import argparse, datetime, itertools, json, re, sys, threading, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ROUTES = [
    ("labels", re.compile(rf"^/v1/run/({UUID})/gold-labels/?$"), ("GET", "POST")),
    ("label", re.compile(rf"^/v1/run/({UUID})/gold-label/({UUID})/?$"), ("GET", "PUT")),
    ("evaluation", re.compile(rf"^/v1/run/({UUID})/evaluation/({UUID})/?$"), ("GET",)),
]


class Num(str):
    """A JSON number kept as its literal text (big integers, 1299.00, 1e-7 stay exact)."""


def loads(text):
    return json.loads(text, parse_int=Num, parse_float=Num, parse_constant=lambda c: 1 / 0)


def dumps(v):
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, Num): return str(v)
    if isinstance(v, str): return json.dumps(v, ensure_ascii=True)  # \u escapes, surrogate pairs
    if isinstance(v, list): return "[" + ",".join(dumps(x) for x in v) + "]"
    if isinstance(v, dict): return "{" + ",".join(dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    raise TypeError(type(v))


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()  # e.g. ...123456+00:00


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message); self.status, self.message = status, message


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.tokens = dict(t.split("=", 1) if "=" in t else (t, "account-1") for t in args.token)
        default_account = next(iter(self.tokens.values()), "account-1")
        self.runs = {}  # run id -> account
        for item in ",".join(args.runs).split(","):
            if item.strip():
                rid, _, acct = item.strip().partition("=")
                self.runs[rid.lower()] = acct or default_account
        self.create_runs = args.create_runs
        self.labels = {}  # run id -> {label id -> label dict}
        self.evaluations = {}  # (run id, evaluation id) -> evaluation dict
        for text in args.evaluation:
            e = loads(text)
            rid = e["run_id"].lower()
            self.runs.setdefault(rid, default_account)
            out = {"extra_field": {"x": Num("1")}, "id": e.get("id") or str(uuid.uuid4()),
                   "run_id": rid, "account_id": self.runs[rid], "value": e.get("value", Num("0")),
                   "evaluation_label_id": e.get("evaluation_label_id") or str(uuid.uuid4())}
            for k in ("output_name", "field_path", "created_by", "created_by_evaluator_id", "updated_by"):
                out[k] = e.get(k)  # explicit null when not given: the seed says nullable
            out["created_at"] = e.get("created_at") or now()
            if e.get("updated_at"): out["updated_at"] = e["updated_at"]  # not nullable: omit
            self.evaluations[(rid, out["id"].lower())] = out

    def account(self, headers):
        scheme, _, token = (headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or token.strip() not in self.tokens:
            raise ApiError(401, "unauthorized: missing or invalid bearer token")
        return self.tokens[token.strip()]

    def run(self, rid, account):
        rid = rid.lower()
        if rid not in self.runs and self.create_runs:
            self.runs[rid] = account
        if self.runs.get(rid) != account:
            raise ApiError(404, f"run {rid} not found")
        return self.labels.setdefault(rid, {})

    def handle(self, method, path, headers, body):
        for name, pattern, methods in ROUTES:
            m = pattern.match(path)
            if m: break
        else:
            raise ApiError(404, f"no such endpoint: {path}")
        account = self.account(headers)
        if method not in methods:
            raise ApiError(405, f"method {method} not allowed")
        with self.lock:
            labels = self.run(m.group(1), account)
            if name == "evaluation":
                e = self.evaluations.get((m.group(1).lower(), m.group(2).lower()))
                if e is None: raise ApiError(404, "evaluation not found")
                return 200, e
            if name == "labels" and method == "GET":
                # newest first: the client must not rely on the server's order
                return 200, sorted(labels.values(), key=lambda l: l["created_at"], reverse=True)
            if name == "labels":
                req = self.request_object(body)
                orn = req.get("output_resource_name")
                if not isinstance(orn, str) or not orn:
                    raise ApiError(400, "output_resource_name is required")
                label = {"extra_field": {"x": Num("1")}, "object_value_is_partial": None,
                         "object_value": None, "text_value": None, "id": str(uuid.uuid4()),
                         "account_id": account, "run_id": m.group(1).lower(),
                         "output_resource_name": orn, "created_by": f"user-{account}",
                         "created_at": now(), "updated_by": None}
                self.apply(label, req)
                labels[label["id"]] = label
                return 201, label
            label = labels.get(m.group(2).lower())
            if label is None: raise ApiError(404, "gold label not found")
            if method == "PUT":
                req = self.request_object(body)
                if "output_resource_name" in req and req["output_resource_name"] != label["output_resource_name"]:
                    raise ApiError(400, "output_resource_name cannot be changed")
                self.apply(label, req)
                label["updated_by"], label["updated_at"] = f"user-{account}", now()
            return 200, label

    @staticmethod
    def request_object(body):
        try:
            req = loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, ZeroDivisionError) as e:
            raise ApiError(400, f"invalid JSON body: {e}")
        if not isinstance(req, dict): raise ApiError(400, "body must be a JSON object")
        return req

    @staticmethod
    def apply(label, req):
        """The seed's types (request fields are not nullable); text and object exclude each other."""
        text, obj, partial = req.get("text_value"), req.get("object_value"), req.get("object_value_is_partial")
        if "text_value" in req and not isinstance(text, str):
            raise ApiError(400, "text_value must be a string")
        if "object_value" in req and not isinstance(obj, dict):
            raise ApiError(400, "object_value must be an object")
        if "object_value_is_partial" in req and not isinstance(partial, bool):
            raise ApiError(400, "object_value_is_partial must be a boolean")
        if "text_value" in req and "object_value" in req:
            raise ApiError(400, "a gold label has a text_value or an object_value, not both")
        if "text_value" in req: label["text_value"], label["object_value"] = text, None
        if "object_value" in req: label["object_value"], label["text_value"] = obj, None
        if "object_value_is_partial" in req: label["object_value_is_partial"] = partial


def make_handler(state, framing, log):
    case = {"keepalive": str, "http10-close": str, "close": str.lower, "chunked": str.upper, "close-after-3": str}[framing]
    log_lock, connections = threading.Lock(), itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0" if framing == "http10-close" else "HTTP/1.1"

        def setup(self):
            super().setup()
            self.connection_number = next(connections)  # one handler per TCP connection
            self.answers = 0

        def log_message(self, *a):
            pass

        def read_body(self):
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass
                        return out
                    out += self.rfile.read(size); self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def serve(self):
            body = self.read_body()
            try:
                status, payload = state.handle(self.command, self.path.split("?")[0], self.headers, body)
            except ApiError as e:
                status, payload = e.status, {"error": e.message}
            data = dumps(payload).encode()
            self.send_response(status)
            self.send_header(case("Content-Type"), "application/json")
            if framing == "chunked":
                self.send_header(case("Transfer-Encoding"), "chunked")
            elif framing != "http10-close":
                self.send_header(case("Content-Length"), str(len(data)))
            if framing == "close":
                self.send_header(case("Connection"), "close")
            if framing in ("close", "http10-close"):
                self.close_connection = True
            self.answers += 1
            if framing == "close-after-3" and self.answers == 3:
                self.close_connection = True  # closed after the third answer, without a word
            self.end_headers()
            if framing == "chunked":
                i, sizes = 0, itertools.cycle((1, 7, 50, 300, 4096))
                while i < len(data):  # uneven chunks, the first one a single byte
                    piece = data[i:i + next(sizes)]
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n"); i += len(piece)
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(data)
            if log:
                auth = "ok" if status != 401 else "rejected"  # never the token itself
                with log_lock, open(log, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"connection": self.connection_number, "method": self.command,
                                        "path": self.path, "status": status,
                                        "auth": auth, "request": body.decode("utf-8", "replace")[:2000],
                                        "response": data.decode("utf-8", "replace")[:2000]}) + "\n")

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = serve

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--token", action="append", default=[], help="TOKEN=ACCOUNT (repeatable)")
    p.add_argument("--runs", action="append", default=[], help="RUN[=ACCOUNT],... (repeatable)")
    p.add_argument("--create-runs", action="store_true", help="accept any run UUID on first use")
    p.add_argument("--evaluation", action="append", default=[], help="a RunEvaluation as JSON")
    p.add_argument("--framing", default="keepalive", choices=["keepalive", "close", "chunked", "http10-close", "close-after-3"])
    p.add_argument("--log", help="append one JSON line per request (no tokens)")
    args = p.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(State(args), args.framing, args.log))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
