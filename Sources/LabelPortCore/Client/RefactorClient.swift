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
    let http: HTTPClient
    let headers: HTTPHeaders
    let failure: NetworkFailure
    /// Where requests go once the server speaks HTTP/2 (see ``RefactorClient/exchange(_:body:)``).
    let routes: HTTP2Routes
    /// The open HTTP/2 connections, probed when a request times out on their loop.
    let watches: ConnectionWatches
    /// The last request's method and parsed URL, for the next with the same.
    let template = RequestTemplate()
    private let taskExecutors: [EventLoopTaskExecutor]

    private init(configuration: Configuration, http: HTTPClient, batches: [FlushBatch], watches: ConnectionWatches) {
        self.configuration = configuration
        self.http = http
        self.taskExecutors = batches.map(EventLoopTaskExecutor.init)
        self.watches = watches
        // A loop whose connection is probed is avoided until the probe has closed it if silent.
        self.routes = HTTP2Routes(loops: batches.map(\.eventLoop), stallPeriod: Duration(watches.wait) + .seconds(1))
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer " + configuration.token.secret)
        // gzip only: the decoder reads deflate only in its zlib form, and some servers
        // (IIS) answer "deflate" in the raw form, which no request should invite.
        headers.add(name: "Accept-Encoding", value: "gzip")
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

    /// Runs `body` with a client whose connections are shut down on every path (its threads
    /// are NIO's shared event loops, which live as long as the process).
    package static func withClient<Result: Sendable>(
        _ configuration: Configuration,
        _ body: (RefactorClient) async throws -> Result
    ) async throws -> Result {
        // NIO's process-wide event loops, never shut down: a connection still closing when
        // the client shuts down (a proxy's tunnel, a request cancelled by an error) then
        // finishes on a live loop instead of printing NIO's "Cannot schedule tasks on an
        // EventLoop that has already shut down". The client's own tasks use the first few.
        let group = MultiThreadedEventLoopGroup.singleton
        let batches = group.makeIterator().prefix(max(1, configuration.eventLoopThreads)).map(FlushBatch.init)
        let watches = ConnectionWatches(requestTimeout: TimeAmount(configuration.requestTimeout))
        let http = HTTPClient(eventLoopGroup: group, configuration: httpConfiguration(configuration, batches: batches, watches: watches))
        let result: Swift.Result<Result, any Error>
        do {
            let client = RefactorClient(configuration: configuration, http: http, batches: batches, watches: watches)
            result = .success(try await body(client))
        } catch {
            result = .failure(error)
        }
        try? await http.shutdown()
        return try result.get()
    }

    /// AsyncHTTPClient's settings for `configuration`; a new connection's requests are sent
    /// whole, flushed when the task that wrote them on one of the `batches`' loops waits,
    /// and a new HTTP/2 connection is watched for silence (`watches`).
    static func httpConfiguration(
        _ configuration: Configuration, batches: [FlushBatch], watches: ConnectionWatches
    ) -> HTTPClient.Configuration {
        var http = HTTPClient.Configuration()
        http.tlsConfiguration = configuration.trust.tlsConfiguration()
        http.redirectConfiguration = .disallow
        http.timeout = .init(connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.requestTimeout))
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.concurrency
        // The executor retries; a connection that cannot be made fails its requests at once.
        http.connectionPool.retryConnectionEstablishment = false
        http.httpVersion = .automatic
        http.decompression = .enabled(limit: .size(configuration.maximumResponseBytes))
        // No spans: labelport bootstraps no tracer, and the no-op one still builds a span
        // and its attributes for every request (6% of the client's CPU over HTTP/2).
        http.tracing.tracer = nil
        http.http1_1ConnectionDebugInitializer = { FlushCoalescer.add(to: $0, http2: false, batches: batches) }
        http.http2ConnectionDebugInitializer = { channel in
            FlushCoalescer.add(to: channel, http2: true, batches: batches).flatMap { watches.add(to: channel) }
        }
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
        try await readGoldLabels(runID: runID, into: GoldLabelArray()).labels
    }

    /// `GET /v1/run/{id}/gold-labels`, kept compact (see ``CompactRun``): each label's
    /// bytes as sent (`.asSent`) or as the row `encoder` writes (`.row`).
    package func readRun(runID: String, body: CompactRun.Body = .asSent) async throws(APIError) -> CompactRun {
        try await readGoldLabels(runID: runID, into: CompactRun.Builder(body: body)).finish()
    }

    /// `GET /v1/run/{id}/gold-labels`, read as it arrives: every label goes to
    /// `collector` as soon as it is in, and is dropped. The whole answer is checked
    /// before this returns: a malformed one throws (with the byte), and the caller must
    /// then not use what the collector kept.
    package func readGoldLabels<Collector: GoldLabelCollector>(
        runID: String, into collector: Collector
    ) async throws(APIError) -> Collector {
        // The answer is read on the thread of the event loop that receives it: each piece
        // is parsed where it arrives, with no hand-over to another thread per piece
        // (6% less wall and 7% less CPU for a 300,000-label export; a run per loop).
        try await withTaskExecutorPreference(taskExecutor(routes.readingIndex(runID.hashValue & Int.max))) { () async throws(APIError) -> Collector in
            let call = APICall.listGoldLabels(runID: runID)
            return try await logged(call) { () async throws(APIError) -> Collector in
                do throws(APIError) {
                    return try await self.readAnswer(call, into: collector)
                } catch {
                    // Over HTTP/2 the connection of this loop may have gone silent.
                    if error.kind == .timeout { self.noteTimeout(on: MultiThreadedEventLoopGroup.currentEventLoop) }
                    throw error
                }
            }
        }
    }

    /// Reads a list answer into `collector` as it arrives.
    private func readAnswer<Collector: GoldLabelCollector>(_ call: APICall, into collector: Collector) async throws(APIError) -> Collector {
        let response = try await start(call)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw statusError(status: Int(response.status.code), headers: response.headers, body: try await collectBody(response, call), call)
        }
        var collector = collector
        var reader = GoldLabelListReader()
        try await forEachPiece(of: response, call) { (piece) throws(GoldLabelListError) in
            try reader.feed(piece, into: &collector)
        }
        do throws(GoldLabelListError) { try reader.finish() } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.detail)
        }
        return collector
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

    /// `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`, where only success matters: any
    /// 2xx answer means the label was updated, whatever its body (servers answer `204`
    /// with none, or `200 {}`); returns `labelID`.
    package func updateGoldLabelID(runID: String, labelID: String, _ request: UpdateGoldLabelRequest) async throws(APIError) -> String {
        let call = APICall.updateGoldLabel(runID: runID, labelID: labelID)
        _ = try await send(call, body: request.jsonBytes)
        return labelID
    }

    /// `GET /v1/run/{run_id}/evaluation/{evaluation_id}`
    package func getEvaluation(runID: String, evaluationID: String) async throws(APIError) -> Evaluation {
        let call = APICall.getEvaluation(runID: runID, evaluationID: evaluationID)
        let value = try json(try await send(call, body: nil), call)
        do { return try Evaluation(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.message)
        }
    }
}
