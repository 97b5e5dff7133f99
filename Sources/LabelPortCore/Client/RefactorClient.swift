import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The five calls of the re-factor API, over one AsyncHTTPClient for the process: a
/// keep-alive HTTP/1.1 pool sized to the caller's concurrency (HTTP/2 where the server
/// offers it), gzip asked for and decoded, proxies and private CAs as configured.
package struct RefactorClient: Sendable {
    package struct Configuration: Sendable {
        package var server: ServerAddress
        package var token: APIToken
        /// Requests the caller keeps in flight; the HTTP/1 connection pool is sized to it.
        package var concurrency: Int
        /// How long a request may go without progress: no byte received, or connecting.
        /// An answer that keeps arriving is never cut off by it.
        package var requestTimeout: Duration
        package var connectTimeout: Duration
        /// The largest response body accepted (a big run's label list), after decompression.
        package var maximumResponseBytes: Int
        /// Called with the rate-limit headers of every answer that carries them (429s
        /// too): the executor paces by them (``RequestExecutor/observe(_:)``).
        package var rateLimitObserver: (@Sendable (RateLimitHeaders) -> Void)?
        /// Called with one line per request (`--verbose`): method, path, status and time,
        /// never a header. See ``RequestLogLine``.
        package var requestLog: (@Sendable (String) -> Void)?
        /// Threads for network I/O (event loops).
        package var eventLoopThreads = RefactorClient.defaultEventLoopThreads
        /// Which certificate authorities https trusts.
        package var trust = TrustSettings()
        /// The forward proxy to go through, if any (see ``ProxySettings/select(for:explicit:environment:)``).
        package var proxy: ProxySettings?

        package init(
            server: ServerAddress, token: APIToken, concurrency: Int = 8,
            requestTimeout: Duration = .seconds(30), connectTimeout: Duration? = nil,
            maximumResponseBytes: Int = 1 << 30
        ) {
            self.server = server
            self.token = token
            self.concurrency = max(1, concurrency)
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout ?? requestTimeout
            self.maximumResponseBytes = maximumResponseBytes
        }
    }

    /// Two event loops where there are two cores or more. One loop makes the client a
    /// single thread that the scheduler gives one share of the machine; on two cores
    /// shared with a local server, two loops measured 12% more requests per second
    /// (median of 12 interleaved 20k-row imports each).
    package static let defaultEventLoopThreads = min(2, max(1, System.coreCount))

    package let configuration: Configuration
    private let http: HTTPClient
    private let headers: HTTPHeaders
    private let failure: NetworkFailure
    private let taskExecutors: [EventLoopTaskExecutor]

    private init(configuration: Configuration, http: HTTPClient, loops: [any EventLoop]) {
        self.configuration = configuration
        self.http = http
        self.taskExecutors = loops.map(EventLoopTaskExecutor.init)
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer " + configuration.token.secret)
        headers.add(name: "User-Agent", value: "labelport/\(LabelPortCoreVersion.string)")
        headers.add(name: "Accept", value: "application/json")
        self.headers = headers
        self.failure = NetworkFailure(
            server: configuration.server.hostAndPort, proxy: configuration.proxy,
            timeout: configuration.requestTimeout, trust: configuration.trust)
    }

    /// Runs tasks on the thread of one of the client's event loops, by `index` (spread
    /// over them): tasks that mostly wait for this client's answers are cheapest there
    /// (`group.addTask(executorPreference:)`), as a response then resumes its task on the
    /// thread that read it and the next request is written from that thread too.
    package func taskExecutor(_ index: Int) -> any TaskExecutor {
        taskExecutors[index % taskExecutors.count]
    }

    /// Runs `body` with a client whose connections and threads are shut down on every path.
    package static func withClient<Result: Sendable>(
        _ configuration: Configuration,
        _ body: (RefactorClient) async throws -> Result
    ) async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let http = HTTPClient(eventLoopGroup: group, configuration: httpConfiguration(configuration))
        let result: Swift.Result<Result, any Error>
        do {
            let client = RefactorClient(configuration: configuration, http: http, loops: Array(group.makeIterator()))
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    /// AsyncHTTPClient's settings for `configuration`.
    static func httpConfiguration(_ configuration: Configuration) -> HTTPClient.Configuration {
        var http = HTTPClient.Configuration()
        http.tlsConfiguration = configuration.trust.tlsConfiguration()
        http.redirectConfiguration = .disallow
        http.timeout = .init(connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.requestTimeout))
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.concurrency
        // The executor retries; a connection that cannot be made fails its requests at once.
        http.connectionPool.retryConnectionEstablishment = false
        http.httpVersion = .automatic
        http.decompression = .enabled(limit: .size(configuration.maximumResponseBytes))
        if let proxy = configuration.proxy {
            switch proxy.kind {
            case .http:
                let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
                http.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
            case .socks5:
                http.proxy = .socksServer(host: proxy.host, port: proxy.port)
            }
        }
        return http
    }

    // MARK: The five calls

    /// `GET /v1/run/{id}/gold-labels`
    package func listGoldLabels(runID: String) async throws(APIError) -> [GoldLabel] {
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
    package func createGoldLabel(runID: String, _ request: CreateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let call = APICall.createGoldLabel(runID: runID, name: request.outputResourceName)
        return try decodeLabel(try await send(call, body: request.jsonBytes), call)
    }

    /// `POST /v1/run/{id}/gold-labels`, reading only the new label's `id` from the
    /// answer: an import needs nothing else, and the rest is checked, not built.
    package func createGoldLabelID(runID: String, _ request: CreateGoldLabelRequest) async throws(APIError) -> String {
        let call = APICall.createGoldLabel(runID: runID, name: request.outputResourceName)
        return try labelID(try await send(call, body: request.jsonBytes), call)
    }

    /// `GET /v1/run/{run_id}/gold-label/{gold_label_id}`
    package func getGoldLabel(runID: String, labelID: String) async throws(APIError) -> GoldLabel {
        let call = APICall.getGoldLabel(runID: runID, labelID: labelID)
        return try decodeLabel(try await send(call, body: nil), call)
    }

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`
    package func updateGoldLabel(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let call = APICall.updateGoldLabel(runID: runID, labelID: labelID)
        return try decodeLabel(try await send(call, body: request.jsonBytes), call)
    }

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`, reading only the label's `id`
    /// from the answer.
    package func updateGoldLabelID(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> String {
        let call = APICall.updateGoldLabel(runID: runID, labelID: labelID)
        return try self.labelID(try await send(call, body: request.jsonBytes), call)
    }

    /// `GET /v1/run/{run_id}/evaluation/{evaluation_id}`
    package func getEvaluation(runID: String, evaluationID: String) async throws(APIError) -> Evaluation {
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
        guard let log = configuration.requestLog else { return try await exchange(call, body: body) }
        let started = ContinuousClock.now
        do {
            let answer = try await exchange(call, body: body)
            log(RequestLogLine.success(call, elapsed: .now - started))
            return answer
        } catch {
            log(RequestLogLine.failure(call, error, elapsed: .now - started))
            throw error
        }
    }

    private func exchange(_ call: APICall, body: [UInt8]?) async throws(APIError) -> ByteBuffer {
        var request = HTTPClientRequest(url: configuration.server.baseURL + call.path)
        request.method = call.method
        request.headers = headers
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            // No deadline for the whole request: the read timeout (no byte received for
            // `requestTimeout`) is what ends a request that makes no progress.
            response = try await http.execute(request, deadline: .now() + .hours(24))
        } catch {
            throw failure.apiError(error, operation: call.operation)
        }
        let rateLimit = RateLimitHeaders(header: { response.headers.first(name: $0) })
        if let rateLimit { configuration.rateLimitObserver?(rateLimit) }
        let buffer = try await collectBody(response, call)
        let status = Int(response.status.code)
        if (200..<300).contains(status) { return buffer }
        let serverMessage = Self.errorText(buffer).map(configuration.token.scrub)
        let retryAfter = response.headers.first(name: "Retry-After").flatMap(RetryAfter.init(header:))
        let kind: APIError.Kind
        switch status {
        case 300..<400:
            let location = response.headers.first(name: "Location").map(configuration.token.scrub)
            throw APIError(
                kind: .redirected, operation: call.operation, status: status,
                detail: "it points to \(location.map { "\"\($0)\"" } ?? "no Location") and labelport does not follow redirects: check --base-url")
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

    /// The whole body of an answer, as it arrives; a connection that drops or stalls
    /// mid-answer is an error that says how much had arrived.
    private func collectBody(_ response: HTTPClientResponse, _ call: APICall) async throws(APIError) -> ByteBuffer {
        let limit = configuration.maximumResponseBytes
        let tooLarge = APIError(
            kind: .invalidResponse, operation: call.operation,
            detail: "the answer is larger than \(NetworkFailure.bytes(limit)), the most labelport accepts")
        var buffer = ByteBuffer()
        // A compressed answer's length says nothing of its decoded size.
        if response.headers.first(name: "Content-Encoding") == nil,
            let length = response.headers.first(name: "Content-Length").flatMap(Int.init)
        {
            guard length <= limit else { throw tooLarge }
            buffer.reserveCapacity(length)
        }
        do {
            for try await chunk in response.body {
                guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge }
                var chunk = chunk
                buffer.writeBuffer(&chunk)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw failure.apiError(error, operation: call.operation, received: buffer.readableBytes)
        }
        return buffer
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
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
