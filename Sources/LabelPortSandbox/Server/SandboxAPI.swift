import Hummingbird
import LabelPortCore
import Logging
import NIOCore

/// The `/v1` request handlers: count, delay, authenticate, maybe inject a fault, apply,
/// answer. Every answer body is JSON written by ``JSONWriter``; errors are
/// `{"error": "..."}`.
struct SandboxAPI: Sendable {
    let sandbox: Sandbox

    /// Thrown after the channel was closed for a `drop-after-commit` fault, so nothing
    /// more is written.
    struct ConnectionDropped: Error {}

    func handle(_ endpoint: SandboxEndpoint, _ request: Request, _ context: SandboxRequestContext) async throws -> Response {
        var limit: RateLimiter.Decision?
        var response = try await handle(endpoint, request, context, limit: &limit)
        if let limiter = sandbox.rateLimiter, limiter.spec.headers, let limit {
            for (name, value) in limiter.headers(limit) {
                // The three names are valid field names: the initializer cannot fail.
                response.headers[.init(name)!] = value
            }
        }
        return response
    }

    private func handle(
        _ endpoint: SandboxEndpoint, _ request: Request, _ context: SandboxRequestContext, limit: inout RateLimiter.Decision?
    ) async throws -> Response {
        let stats = sandbox.stats
        var status = "500"
        defer {
            stats.end(endpoint: endpoint.rawValue, status: status)
            context.logger.debug("\(endpoint.rawValue) -> \(status)")
        }
        let faults = sandbox.faults
        if faults.spec.latency > .zero {
            stats.recordFault("latency")  // the request was held by a LatencyHandler
        }
        guard let caller = authenticate(request) else {
            status = "401"
            return Self.error(401, "missing or unknown bearer token: send Authorization: Bearer TOKEN")
        }
        let (token, account) = caller
        if let limiter = sandbox.rateLimiter {
            let decision = limiter.take(token: token)
            limit = decision
            if !decision.allowed {
                stats.recordRateLimited()
                status = "429"
                let r = limiter.spec.rate
                let rate = r == r.rounded() && r < 1e15 ? String(Int(r)) : String(r)
                var response = Self.error(
                    429, "rate limit exceeded: \(rate) requests per second per token (burst \(limiter.spec.burst)); retry after \(decision.retryAfterSeconds)s")
                response.headers[.retryAfter] = String(decision.retryAfterSeconds)
                return response
            }
        }
        let fault = faults.next(isWrite: endpoint.isWrite)
        switch fault {
        case .error(let code):
            stats.recordFault("error")
            status = String(code)
            return Self.error(code, "injected server error (sandbox --faults); the request was not applied")
        case .throttle:
            stats.recordFault("throttle")
            status = "429"
            var response = Self.error(429, "injected throttling (sandbox --faults); retry after \(faults.spec.retryAfterSeconds)s")
            response.headers[.retryAfter] = String(faults.spec.retryAfterSeconds)
            return response
        case .none, .dropAfterCommit:
            break
        }
        let (code, value): (Int, Answer)
        do {
            (code, value) = try await apply(endpoint, request, context, account: account)
        } catch {
            status = String(error.status)
            return Self.error(error.status, error.message)
        }
        if endpoint.isWrite { stats.recordWrite() }
        if fault == .dropAfterCommit {
            stats.recordFault("drop-after-commit")
            status = "dropped"
            try? await context.channel.close()
            throw ConnectionDropped()
        }
        status = String(code)
        switch value {
        case .json(let value): return Self.json(code, value)
        case .labels(let ids, let state): return Self.labels(ids, of: state)
        }
    }

    private func authenticate(_ request: Request) -> (token: String, account: String)? {
        guard let header = request.headers[.authorization] else { return nil }
        let prefix = "bearer ".utf8
        // The scheme in any letter case, without lowercasing the header (which holds the token).
        guard header.utf8.count > prefix.count,
            header.utf8.prefix(prefix.count).elementsEqual(prefix, by: { $0 == $1 || ($1 != 0x20 && $0 | 0x20 == $1) })
        else { return nil }
        let token = header.dropFirst(prefix.count).trimmingWhitespace()
        return sandbox.configuration.tokens[token].map { (token, $0) }
    }

    private func apply(
        _ endpoint: SandboxEndpoint, _ request: Request, _ context: SandboxRequestContext, account: String
    ) async throws(SandboxHTTPError) -> (Int, Answer) {
        let createRuns = sandbox.configuration.createRuns
        let parameters = context.parameters
        switch endpoint {
        case .listGoldLabels:
            let runID = parameters.get("run_id") ?? ""
            // The ids, and the state they are read from as the answer is written: no copy of the run.
            let (ids, state) = try sandbox.withState { s throws(SandboxHTTPError) in
                (try s.listLabelIDs(runID: runID, account: account, createRuns: createRuns), s)
            }
            return (200, .labels(ids, state))
        case .createGoldLabel:
            let runID = parameters.get("run_id") ?? ""
            let body = try await Self.body(request, context)
            let id = RandomUUID.make()
            let now = Timestamp.now()
            let label = try sandbox.withState { s throws(SandboxHTTPError) in
                try s.createLabel(runID: runID, account: account, createRuns: createRuns, body: body, id: id, now: now)
            }
            return (201, .json(label.json))
        case .getGoldLabel:
            let runID = parameters.get("run_id") ?? "", labelID = parameters.get("gold_label_id") ?? ""
            let label = try sandbox.withState { s throws(SandboxHTTPError) in
                try s.label(runID: runID, labelID: labelID, account: account, createRuns: createRuns)
            }
            return (200, .json(label.json))
        case .updateGoldLabel:
            let runID = parameters.get("run_id") ?? "", labelID = parameters.get("gold_label_id") ?? ""
            let body = try await Self.body(request, context)
            let now = Timestamp.now()
            let label = try sandbox.withState { s throws(SandboxHTTPError) in
                try s.updateLabel(runID: runID, labelID: labelID, account: account, createRuns: createRuns, body: body, now: now)
            }
            return (200, .json(label.json))
        case .getEvaluation:
            let runID = parameters.get("run_id") ?? "", evaluationID = parameters.get("evaluation_id") ?? ""
            let evaluation = try sandbox.withState { s throws(SandboxHTTPError) in
                try s.evaluation(runID: runID, evaluationID: evaluationID, account: account, createRuns: createRuns)
            }
            return (200, .json(evaluation.json))
        }
    }

    private static func body(_ request: Request, _ context: SandboxRequestContext) async throws(SandboxHTTPError) -> JSONValue {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw .badRequest("request body unreadable or larger than \(context.maxUploadSize) bytes")
        }
        guard buffer.readableBytes > 0 else { throw .badRequest("request body is empty: send a JSON object") }
        let parsed: Result<JSONValue, JSONSyntaxError> = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(raw) }
        }
        switch parsed {
        case .success(let value): return value
        case .failure(let error): throw .badRequest("request body is not valid JSON: \(error)")
        }
    }

    // MARK: Responses

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        JSONWriter().write(value, into: &bytes)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    static func error(_ status: Int, _ message: String) -> Response {
        json(status, .object(JSONObject([(key: "error", value: .string(message))])))
    }
}
