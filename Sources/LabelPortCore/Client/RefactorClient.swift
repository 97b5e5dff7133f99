import AsyncHTTPClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import NIOHTTP1

/// The five calls of the re-factor API, over one shared AsyncHTTPClient whose HTTP/1
/// connection pool is sized to the caller's concurrency.
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
        /// Threads for network I/O.
        public var eventLoopThreads = 1

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

    public let configuration: Configuration
    let http: HTTPClient
    private let authorization: String

    /// Uses an existing client; the caller owns and shuts it down.
    public init(configuration: Configuration, httpClient: HTTPClient) {
        self.configuration = configuration
        self.http = httpClient
        self.authorization = "Bearer " + configuration.token.secret
    }

    /// Runs `body` with a client whose `HTTPClient` is shut down on every path.
    public static func withClient<Result: Sendable>(
        _ configuration: Configuration,
        _ body: (RefactorClient) async throws -> Result
    ) async throws -> Result {
        // One event-loop thread: every connection's I/O on one loop avoids hops between
        // threads, and leaves the other core to the Swift tasks (and, on a laptop, to a
        // local server). Measured faster than one thread a core on this 2-core machine.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopThreads)
        let http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: makeHTTPConfiguration(configuration))
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(RefactorClient(configuration: configuration, httpClient: http)))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    static func makeHTTPConfiguration(_ configuration: Configuration) -> HTTPClient.Configuration {
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.concurrency
        )
        http.timeout = .init(connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.requestTimeout))
        http.redirectConfiguration = .disallow
        http.httpVersion = .http1Only
        http.decompression = .disabled
        return http
    }

    // MARK: The five calls

    /// `GET /v1/run/{id}/gold-labels`
    public func listGoldLabels(runID: String) async throws(APIError) -> [GoldLabel] {
        let operation = "list gold labels of run \(runID)"
        let value = try await send(.GET, path: "/v1/run/\(runID)/gold-labels", body: nil, operation: operation, notFound: "run \(runID) not found")
        guard case .array(let items) = value else {
            throw APIError(kind: .invalidResponse, operation: operation, detail: "expected a JSON array, found \(value.kindDescription)")
        }
        var labels: [GoldLabel] = []
        labels.reserveCapacity(items.count)
        for item in items {
            do { labels.append(try GoldLabel(json: item)) } catch {
                throw APIError(kind: .invalidResponse, operation: operation, detail: error.message)
            }
        }
        return labels
    }

    /// `POST /v1/run/{id}/gold-labels`
    public func createGoldLabel(runID: String, _ request: CreateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let operation = "create gold label \"\(request.outputResourceName)\" in run \(runID)"
        let value = try await send(.POST, path: "/v1/run/\(runID)/gold-labels", body: request.json, operation: operation, notFound: "run \(runID) not found")
        return try decodeLabel(value, operation: operation)
    }

    /// `GET /v1/run/{run_id}/gold-label/{gold_label_id}`
    public func getGoldLabel(runID: String, labelID: String) async throws(APIError) -> GoldLabel {
        let operation = "get gold label \(labelID) of run \(runID)"
        let value = try await send(.GET, path: "/v1/run/\(runID)/gold-label/\(labelID)", body: nil, operation: operation, notFound: "gold label \(labelID) not found in run \(runID)")
        return try decodeLabel(value, operation: operation)
    }

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`
    public func updateGoldLabel(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> GoldLabel {
        let operation = "update gold label \(labelID) of run \(runID)"
        let value = try await send(.PUT, path: "/v1/run/\(runID)/gold-label/\(labelID)", body: request.json, operation: operation, notFound: "gold label \(labelID) not found in run \(runID)")
        return try decodeLabel(value, operation: operation)
    }

    /// `GET /v1/run/{run_id}/evaluation/{evaluation_id}`
    public func getEvaluation(runID: String, evaluationID: String) async throws(APIError) -> Evaluation {
        let operation = "get evaluation \(evaluationID) of run \(runID)"
        let value = try await send(.GET, path: "/v1/run/\(runID)/evaluation/\(evaluationID)", body: nil, operation: operation, notFound: "evaluation \(evaluationID) not found in run \(runID)")
        do { return try Evaluation(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: operation, detail: error.message)
        }
    }

    // MARK: Transport

    private func decodeLabel(_ value: JSONValue, operation: String) throws(APIError) -> GoldLabel {
        do { return try GoldLabel(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: operation, detail: error.message)
        }
    }

    private func send(_ method: HTTPMethod, path: String, body: JSONValue?, operation: String, notFound: String) async throws(APIError) -> JSONValue {
        var request = HTTPClientRequest(url: configuration.server.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "labelport/\(LabelPortCoreVersion.string)")
        if let body {
            var bytes: [UInt8] = []
            JSONWriter().write(body, into: &bytes)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let status: Int
        let headers: HTTPHeaders
        let buffer: ByteBuffer
        configuration.requestObserver?()
        do {
            let response = try await http.execute(request, timeout: TimeAmount(configuration.requestTimeout))
            status = Int(response.status.code)
            headers = response.headers
            buffer = try await response.body.collect(upTo: configuration.maximumResponseBytes)
        } catch {
            throw transportError(error, operation: operation)
        }
        if (200..<300).contains(status) {
            do {
                return try Self.parseJSON(buffer)
            } catch {
                throw APIError(kind: .invalidResponse, operation: operation, status: status, detail: "body is not valid JSON: \(error)")
            }
        }
        let serverMessage = Self.errorText(buffer).map(configuration.token.scrub)
        let retryAfter = headers.first(name: "Retry-After").flatMap(RetryAfter.init(header:))
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
            if let serverMessage, serverMessage.lowercased() != notFound.lowercased() {
                detail = "\(notFound) (\(serverMessage))"
            } else {
                detail = notFound
            }
        } else {
            detail = serverMessage
        }
        throw APIError(kind: kind, operation: operation, status: status, detail: detail, retryAfter: retryAfter)
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

    private func transportError(_ error: any Error, operation: String) -> APIError {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout, .alreadyShutdown:
                return APIError(kind: .connectFailed, operation: operation, detail: String(describing: error))
            case .readTimeout, .deadlineExceeded, .writeTimeout:
                return APIError(kind: .timeout, operation: operation)
            case .remoteConnectionClosed:
                return APIError(kind: .connectionDropped, operation: operation)
            case .cancelled:
                return APIError(kind: .cancelled, operation: operation)
            default:
                // Never the full description: some cases quote header values (the token).
                return APIError(kind: .connectionDropped, operation: operation, detail: configuration.token.scrub(error.shortDescription))
            }
        }
        if error is CancellationError {
            return APIError(kind: .cancelled, operation: operation)
        }
        // Connection-establishment failures mean the request never left this machine.
        if let io = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL].contains(io.errnoCode) {
            return APIError(kind: .connectFailed, operation: operation, detail: String(describing: io))
        }
        let typeName = String(reflecting: type(of: error))
        if typeName.contains("NIOConnectionError") || typeName.contains("SocketAddressError") || typeName.contains("Resolver") {
            return APIError(kind: .connectFailed, operation: operation, detail: configuration.token.scrub(String(describing: error)))
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return APIError(kind: .connectFailed, operation: operation, detail: String(describing: error))
        }
        return APIError(kind: .connectionDropped, operation: operation, detail: configuration.token.scrub(String(describing: error)))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
