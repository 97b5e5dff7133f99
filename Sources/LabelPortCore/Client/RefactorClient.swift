import NIOCore
import NIOPosix
import NIOSSL

/// The five calls of the re-factor API, over one pool of keep-alive HTTP/1.1
/// connections sized to the caller's concurrency.
public struct RefactorClient: Sendable {
    public struct Configuration: Sendable {
        public var server: ServerAddress
        public var token: APIToken
        /// Requests the caller keeps in flight; the connection pool is sized to it.
        public var concurrency: Int
        /// Time allowed for one request, from sending to the last byte of the answer.
        public var requestTimeout: Duration
        public var connectTimeout: Duration
        /// The largest response body accepted (a big run's label list).
        public var maximumResponseBytes: Int
        /// Called as each request is sent (benchmarks time the rate limiter with it).
        public var requestObserver: (@Sendable () -> Void)?
        /// Called with the rate-limit headers of every answer that carries them (429s
        /// too): the executor paces by them (``RequestExecutor/observe(_:)``).
        package var rateLimitObserver: (@Sendable (RateLimitHeaders) -> Void)?
        /// Threads for network I/O (event loops); connections are spread over them.
        public var eventLoopThreads = RefactorClient.defaultEventLoopThreads
        /// A PEM certificate trusted for https besides the system's roots: for tests
        /// against a server with a self-signed certificate.
        var additionalTrustRootPEM: String?

        public init(
            server: ServerAddress, token: APIToken, concurrency: Int = 8,
            requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
            maximumResponseBytes: Int = 1 << 30
        ) {
            self.server = server
            self.token = token
            self.concurrency = max(1, concurrency)
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    /// Two event loops where there are two cores or more. One loop makes the client a
    /// single thread that the scheduler gives one share of the machine; on two cores
    /// shared with a local server, two loops measured 12% more requests per second
    /// (median of 12 interleaved 20k-row imports each).
    public static let defaultEventLoopThreads = min(2, max(1, System.coreCount))

    public let configuration: Configuration
    let pool: HTTP1ConnectionPool
    let writer: HTTP1RequestWriter
    private let taskExecutors: [EventLoopTaskExecutor]

    init(configuration: Configuration, pool: HTTP1ConnectionPool) {
        self.configuration = configuration
        self.pool = pool
        self.taskExecutors = pool.loops.map(EventLoopTaskExecutor.init)
        self.writer = HTTP1RequestWriter(
            endpoint: pool.settings.endpoint, authorization: "Bearer " + configuration.token.secret,
            userAgent: "labelport/\(LabelPortCoreVersion.string)")
    }

    /// Runs tasks on the thread of one of the client's event loops, by `index` (spread
    /// over them): tasks that mostly wait for this client's answers are cheapest there
    /// (`group.addTask(executorPreference:)`), as a response then resumes its task on the
    /// thread that read it and the next request is written from that thread too.
    public func taskExecutor(_ index: Int) -> any TaskExecutor {
        taskExecutors[index % taskExecutors.count]
    }

    /// Runs `body` with a client whose connections and threads are shut down on every path.
    public static func withClient<Result: Sendable>(
        _ configuration: Configuration,
        _ body: (RefactorClient) async throws -> Result
    ) async throws -> Result {
        let endpoint = try HTTPEndpoint(configuration.server)
        let settings = HTTP1ConnectionPool.Settings(
            endpoint: endpoint, maximumConnections: configuration.concurrency,
            connectTimeout: TimeAmount(configuration.connectTimeout), requestTimeout: TimeAmount(configuration.requestTimeout),
            maximumResponseBytes: configuration.maximumResponseBytes,
            tls: endpoint.tls ? try makeTLSContext(configuration) : nil)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let pool = HTTP1ConnectionPool(settings: settings, loops: Array(group.makeIterator()))
        let result: Swift.Result<Result, any Error>
        do {
            let client = RefactorClient(configuration: configuration, pool: pool)
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    /// Full verification (chain to a trusted root, host name) against the system's roots.
    static func makeTLSContext(_ configuration: Configuration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.applicationProtocols = ["http/1.1"]
        // At exit, wait at most this long for each server's close_notify.
        tls.shutdownTimeout = .seconds(1)
        if let pem = configuration.additionalTrustRootPEM {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))]
        }
        return try NIOSSLContext(configuration: tls)
    }

    // MARK: The five calls

    /// `GET /v1/run/{id}/gold-labels`
    public func listGoldLabels(runID: String) async throws(APIError) -> [GoldLabel] {
        let call = APICall.listGoldLabels(runID: runID)
        let value = try json(try await send(call, body: nil), call)
        guard case .array(let items) = value else {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: "expected a JSON array, found \(value.kindDescription)")
        }
        var labels: [GoldLabel] = []
        labels.reserveCapacity(items.count)
        for item in items {
            do { labels.append(try GoldLabel(json: item)) } catch {
                throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.message)
            }
        }
        return labels
    }

    /// `POST /v1/run/{id}/gold-labels`
    public func createGoldLabel(runID: String, _ request: CreateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let call = APICall.createGoldLabel(runID: runID, name: request.outputResourceName)
        return try decodeLabel(try await send(call, body: request.jsonBytes), call)
    }

    /// `POST /v1/run/{id}/gold-labels`, reading only the new label's `id` from the
    /// answer: an import needs nothing else, and the rest is checked, not built.
    public func createGoldLabelID(runID: String, _ request: CreateGoldLabelRequest) async throws(APIError) -> String {
        let call = APICall.createGoldLabel(runID: runID, name: request.outputResourceName)
        return try labelID(try await send(call, body: request.jsonBytes), call)
    }

    /// `GET /v1/run/{run_id}/gold-label/{gold_label_id}`
    public func getGoldLabel(runID: String, labelID: String) async throws(APIError) -> GoldLabel {
        let call = APICall.getGoldLabel(runID: runID, labelID: labelID)
        return try decodeLabel(try await send(call, body: nil), call)
    }

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`
    public func updateGoldLabel(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let call = APICall.updateGoldLabel(runID: runID, labelID: labelID)
        return try decodeLabel(try await send(call, body: request.jsonBytes), call)
    }

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`, reading only the label's `id`
    /// from the answer.
    public func updateGoldLabelID(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> String {
        let call = APICall.updateGoldLabel(runID: runID, labelID: labelID)
        return try self.labelID(try await send(call, body: request.jsonBytes), call)
    }

    /// `GET /v1/run/{run_id}/evaluation/{evaluation_id}`
    public func getEvaluation(runID: String, evaluationID: String) async throws(APIError) -> Evaluation {
        let call = APICall.getEvaluation(runID: runID, evaluationID: evaluationID)
        let value = try json(try await send(call, body: nil), call)
        do { return try Evaluation(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.message)
        }
    }

    // MARK: Transport

    private func decodeLabel(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> GoldLabel {
        let value = try json(body, call)
        do { return try GoldLabel(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.message)
        }
    }

    /// The body of a successful answer as JSON.
    private func json(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> JSONValue {
        do {
            return try Self.parseJSON(body)
        } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: "body is not valid JSON: \(error)")
        }
    }

    /// The `id` of the `RunGoldLabel` in a successful answer; the whole body must be
    /// valid JSON, but only the id is built.
    private func labelID(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> String {
        let parsed: Result<JSONObject?, JSONSyntaxError> = body.withUnsafeReadableBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONObject? in try JSONParser.parseObject(raw, keeping: ["id"]) }
        }
        let object: JSONObject?
        switch parsed {
        case .success(let value): object = value
        case .failure(let error):
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: "body is not valid JSON: \(error)")
        }
        guard let object else {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: "RunGoldLabel must be a JSON object")
        }
        guard case .string(let id)? = object["id"] else {
            throw APIError(
                kind: .invalidResponse, operation: call.operation,
                detail: object["id"] == nil ? "RunGoldLabel is missing \"id\"" : "RunGoldLabel.id must be a string")
        }
        return id
    }

    /// Sends one call; returns the body of a 2xx answer, throws for anything else.
    private func send(_ call: APICall, body: [UInt8]?) async throws(APIError) -> ByteBuffer {
        let request = writer.request(method: call.method, path: call.path, body: body)
        configuration.requestObserver?()
        let response: HTTPResponseParser.Response
        switch await pool.execute(request) {
        case .success(let answer): response = answer
        case .failure(let failure): throw transportError(failure, operation: call.operation)
        }
        let status = response.status
        let buffer = response.body
        let fields = response.rateLimitFields
        let rateLimit = fields.isEmpty ? nil : RateLimitHeaders(header: { fields[$0.lowercased()] })
        if let rateLimit { configuration.rateLimitObserver?(rateLimit) }
        if (200..<300).contains(status) { return buffer }
        let serverMessage = Self.errorText(buffer).map(configuration.token.scrub)
        let retryAfter = response.retryAfter.flatMap(RetryAfter.init(header:))
        let kind: APIError.Kind
        switch status {
        case 400: kind = .badRequest
        case 401: kind = .unauthorized
        case 403: kind = .forbidden
        case 404: kind = .notFound
        case 429: kind = .throttled
        case 500...599: kind = .serverError
        default: kind = .unexpectedStatus
        }
        let detail: String?
        if kind == .notFound {
            // Name what was missing; add the server's words only when they say more.
            let notFound = call.notFound
            if let serverMessage, serverMessage.lowercased() != notFound.lowercased() {
                detail = "\(notFound) (\(serverMessage))"
            } else {
                detail = notFound
            }
        } else {
            detail = serverMessage
        }
        var error = APIError(kind: kind, operation: call.operation, status: status, detail: detail, retryAfter: retryAfter)
        error.rateLimit = rateLimit
        throw error
    }

    static func parseJSON(_ buffer: ByteBuffer) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(raw) }
        }
        return try result.get()
    }

    /// The `error` text of an `{"error": "..."}` body, else a short prefix of the body.
    static func errorText(_ buffer: ByteBuffer) -> String? {
        guard buffer.readableBytes > 0 else { return nil }
        if let value = try? parseJSON(buffer),
            case .object(let object) = value, case .string(let message)? = object["error"]
        {
            return message
        }
        let text = buffer.getString(at: buffer.readerIndex, length: min(buffer.readableBytes, 200)) ?? ""
        return text.isEmpty ? nil : text
    }

    private func transportError(_ failure: TransportFailure, operation: String) -> APIError {
        let scrub = configuration.token.scrub
        switch failure {
        case .connectFailed(let detail):
            return APIError(kind: .connectFailed, operation: operation, detail: scrub(detail))
        case .dropped(let detail):
            return APIError(kind: .connectionDropped, operation: operation, detail: detail.map(scrub))
        case .timeout:
            return APIError(kind: .timeout, operation: operation)
        case .cancelled:
            return APIError(kind: .cancelled, operation: operation)
        case .invalidResponse(let detail):
            return APIError(kind: .invalidResponse, operation: operation, detail: "malformed HTTP response: \(scrub(detail))")
        case .bodyTooLarge(let limit):
            return APIError(kind: .invalidResponse, operation: operation, detail: "the response body is larger than \(limit) bytes")
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
