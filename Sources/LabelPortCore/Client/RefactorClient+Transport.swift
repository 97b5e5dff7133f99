import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// How a call goes over the wire: the request, the answer's status, and its body read
/// whole or piece by piece as it arrives.
extension RefactorClient {
    func decodeLabel(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> GoldLabel {
        let value = try json(body, call)
        do { return try GoldLabel(json: value) } catch {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.message)
        }
    }

    /// The body of a successful answer as JSON.
    func json(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> JSONValue {
        do {
            return try Self.parseJSON(body)
        } catch {
            throw notJSON(body, error, call)
        }
    }

    /// A 2xx body that is not the JSON the call expects; an empty one said as such.
    func notJSON(_ body: ByteBuffer, _ error: JSONSyntaxError, _ call: APICall) -> APIError {
        APIError(
            kind: .invalidResponse, operation: call.operation,
            detail: body.readableBytes == 0 ? "the answer has no body, where JSON was expected" : "body is not valid JSON: \(error)")
    }

    /// The `id` of the `RunGoldLabel` in a successful answer; the whole body must be
    /// valid JSON, but only the id is built.
    func labelID(_ body: ByteBuffer, _ call: APICall) throws(APIError) -> String {
        let parsed: Result<JSONObject?, JSONSyntaxError> = body.withUnsafeReadableBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONObject? in try JSONParser.parseObject(Self.withoutByteOrderMark(raw), keeping: ["id"]) }
        }
        let object: JSONObject?
        switch parsed {
        case .success(let value): object = value
        case .failure(let error):
            throw notJSON(body, error, call)
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
    func send(_ call: APICall, body: [UInt8]?) async throws(APIError) -> ByteBuffer {
        try await logged(call) { () async throws(APIError) -> ByteBuffer in try await self.exchange(call, body: body) }
    }

    /// Runs `exchange`, logging the call's line when `--verbose` asks for it.
    func logged<Answer>(
        _ call: APICall, _ exchange: () async throws(APIError) -> Answer
    ) async throws(APIError) -> Answer {
        guard let log = configuration.requestLog else { return try await exchange() }
        let started = ContinuousClock.now
        do {
            let answer = try await exchange()
            log(RequestLogLine.success(call, elapsed: .now - started))
            return answer
        } catch {
            log(RequestLogLine.failure(call, error, elapsed: .now - started))
            throw error
        }
    }

    /// A request timed out on `loop`: over HTTP/2 its connection may have gone silent, so
    /// requests avoid the loop while the connections are probed (``ConnectionWatch``): all
    /// of them, as a read is not bound to its loop's connection.
    func noteTimeout(on loop: (any EventLoop)?) {
        guard let loop, routes.noteTimeout(on: loop) else { return }
        watches.probeAll()
    }

    /// Sends one call and reads its answer whole. Once the server has answered over
    /// HTTP/2, a request is bound to an event loop (``HTTP2Routes``): the one its task runs
    /// on (``RefactorClient/taskExecutor(_:)``), unless that loop's connection went silent.
    func exchange(_ call: APICall, body: [UInt8]?) async throws(APIError) -> ByteBuffer {
        let request: HTTPClient.Request
        do {
            var headers = headers
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            request = try template.request(
                url: configuration.server.baseURL + call.path, method: call.method, headers: headers,
                body: body.map { ByteBuffer(bytes: $0) })
        } catch {
            throw failure.apiError(error, operation: call.operation)
        }
        let collector = AnswerCollector(limit: configuration.maximumResponseBytes)
        let bound = routes.loop(from: MultiThreadedEventLoopGroup.currentEventLoop)
        let loop = bound.map { HTTPClient.EventLoopPreference.delegateAndChannel(on: $0) } ?? .indifferent
        let task = http.execute(request: request, delegate: collector, eventLoop: loop, deadline: .now() + .hours(24))
        let answer: CollectedAnswer
        do {
            answer = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch is AnswerCollector.TooLarge {
            throw tooLarge(call)
        } catch {
            if Task.isCancelled { throw failure.apiError(CancellationError(), operation: call.operation) }
            let apiError = failure.apiError(error, operation: call.operation, received: collector.received)
            if apiError.kind == .timeout { noteTimeout(on: bound) }
            throw apiError
        }
        routes.noteVersion(answer.version)
        if let rateLimit = RateLimitHeaders(header: { answer.headers.first(name: $0) }) {
            configuration.rateLimitObserver?(rateLimit)
        }
        if (200..<300).contains(answer.status) { return answer.body }
        throw statusError(status: answer.status, headers: answer.headers, body: answer.body, call)
    }

    /// Sends the request and waits for the answer's head (status and headers).
    /// (The calls read as they arrive send no body.)
    func start(_ call: APICall) async throws(APIError) -> HTTPClientResponse {
        var request = HTTPClientRequest(url: configuration.server.baseURL + call.path)
        request.method = call.method
        request.headers = headers
        let response: HTTPClientResponse
        do {
            // No deadline for the whole request: the read timeout (no byte received for
            // `requestTimeout`) is what ends a request that makes no progress.
            response = try await http.execute(request, deadline: .now() + .hours(24))
        } catch {
            throw failure.apiError(error, operation: call.operation)
        }
        routes.noteVersion(response.version)
        if let rateLimit = RateLimitHeaders(header: { response.headers.first(name: $0) }) {
            configuration.rateLimitObserver?(rateLimit)
        }
        return response
    }

    /// The error for an answer that is not a 2xx, from its status, headers and body.
    func statusError(status: Int, headers: HTTPHeaders, body buffer: ByteBuffer, _ call: APICall) -> APIError {
        let rateLimit = RateLimitHeaders(header: { headers.first(name: $0) })
        let serverMessage = Self.errorText(buffer).map(configuration.token.scrub)
        let retryAfter = headers.first(name: "Retry-After").flatMap(RetryAfter.init(header:))
        let kind: APIError.Kind
        switch status {
        case 300..<400:
            let location = headers.first(name: "Location").map(configuration.token.scrub)
            return APIError(
                kind: .redirected, operation: call.operation, status: status,
                detail: "it points to \(location.map { "\"\($0)\"" } ?? "no Location") and labelport does not follow redirects: check --base-url")
        case 400, 422: kind = .badRequest  // 422: a validation error (FastAPI and others)
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
        error.notFoundPage = kind == .notFound && buffer.readableBytes > 0 && (try? JSONParser.parse(Array(buffer.readableBytesView.prefix(1 << 16)))) == nil
        error.rateLimit = rateLimit
        if kind == .unauthorized { error.tokenSource = configuration.token.source }
        return error
    }

    /// The whole body of an answer, as it arrives; a connection that drops or stalls
    /// mid-answer is an error that says how much had arrived.
    func collectBody(_ response: HTTPClientResponse, _ call: APICall) async throws(APIError) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let length = Self.declaredLength(response.headers) {
            guard length <= configuration.maximumResponseBytes else { throw tooLarge(call) }
            buffer.reserveCapacity(length)
        }
        try await forEachPiece(of: response, call) { (piece) throws(APIError) in buffer.writeBytes(piece) }
        return buffer
    }

    /// Hands the body of an answer to `consume` piece by piece as it arrives, holding no
    /// more of it; a connection that drops or stalls mid-answer is an error that says how
    /// much had arrived. An error `consume` throws is thrown as an invalid answer.
    func forEachPiece<Failure: Error>(
        of response: HTTPClientResponse, _ call: APICall,
        _ consume: (UnsafeRawBufferPointer) throws(Failure) -> Void
    ) async throws(APIError) {
        let limit = configuration.maximumResponseBytes
        // A declared length over the limit is refused at once.
        if let length = Self.declaredLength(response.headers), length > limit { throw tooLarge(call) }
        var received = 0
        do {
            for try await chunk in response.body {
                guard received + chunk.readableBytes <= limit else { throw tooLarge(call) }
                received += chunk.readableBytes
                let consumed: Result<Void, Failure> = chunk.withUnsafeReadableBytes { raw in
                    Result { () throws(Failure) in try consume(raw) }
                }
                try consumed.get()
            }
        } catch let error as APIError {
            throw error
        } catch let error as GoldLabelListError {
            throw APIError(kind: .invalidResponse, operation: call.operation, detail: error.detail)
        } catch {
            throw failure.apiError(error, operation: call.operation, received: received)
        }
    }

    /// The body's length as its `Content-Length` declares it, when that is its decoded
    /// size: a compressed answer's length says nothing of what it decodes to.
    static func declaredLength(_ headers: HTTPHeaders) -> Int? {
        guard headers.first(name: "Content-Encoding") == nil else { return nil }
        return headers.first(name: "Content-Length").flatMap(Int.init)
    }

    func tooLarge(_ call: APICall) -> APIError {
        APIError(
            kind: .invalidResponse, operation: call.operation,
            detail: "the answer is larger than \(NetworkFailure.bytes(configuration.maximumResponseBytes)), the most labelport accepts")
    }

    static func parseJSON(_ buffer: ByteBuffer) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(Self.withoutByteOrderMark(raw)) }
        }
        return try result.get()
    }

    /// A body without the UTF-8 byte order mark some servers send first (RFC 8259 lets a
    /// parser ignore it; the list answer's reader does too).
    static func withoutByteOrderMark(_ raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard raw.starts(with: UTF8Validation.byteOrderMark) else { return raw }
        return UnsafeRawBufferPointer(rebasing: raw[UTF8Validation.byteOrderMark.count...])
    }

    /// What an error answer's body says, in one line (``ErrorBodyText``).
    static func errorText(_ buffer: ByteBuffer) -> String? {
        guard buffer.readableBytes > 0 else { return nil }
        return ErrorBodyText.text(Array(buffer.readableBytesView.prefix(1 << 16)))
    }
}
