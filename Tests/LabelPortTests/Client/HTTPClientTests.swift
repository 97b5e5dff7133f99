@testable import LabelPortCore
import Testing

/// The client (on AsyncHTTPClient) against a scripted server on loopback: framing,
/// misbehaving servers, connection reuse and limits, and which failures say a request
/// may have been applied.
@Suite("HTTP client", .timeLimit(.minutes(2)))
struct HTTPClientTests {
    static let run = "11111111-1111-4111-8111-111111111111"
    static let token = "transport-test-token-77ab"
    static let emptyList = ScriptedHTTPServer.response(200, "[]")
    static let label = #"{"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","account_id":"acc","run_id":"\#(run)","output_resource_name":"doc-1","text_value":"x","created_at":"2024-01-01T00:00:00Z"}"#

    static func configuration(
        _ server: ScriptedHTTPServer, concurrency: Int = 2, requestTimeout: Duration = .seconds(10), maximumResponseBytes: Int = 1 << 20
    ) throws -> RefactorClient.Configuration {
        // Connecting gets 10 s at least: the tests with a short timeout are about an answer
        // that stalls, and a loaded machine may take longer than that to connect on loopback.
        RefactorClient.Configuration(
            server: try ServerAddress("http://127.0.0.1:\(server.port)"), token: APIToken(token)!, concurrency: concurrency,
            requestTimeout: requestTimeout, connectTimeout: max(requestTimeout, .seconds(10)), maximumResponseBytes: maximumResponseBytes)
    }

    /// Waits until `condition` holds, polling; after 30 s fails the test and throws, so that it
    /// ends instead of awaiting what never comes (a time limit does not end a test).
    static func eventually(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test("a request carries its method, path, host, token, content length and JSON body")
    func requestBytes() async throws {
        let seen = Locked<ScriptedHTTPServer.Request?>(nil)
        try await ScriptedHTTPServer.withRunning({ request in
            seen.withLock { $0 = request }
            return .send(ScriptedHTTPServer.response(201, Self.label))
        }) { server in
            let created = try await RefactorClient.withClient(try Self.configuration(server)) { client in
                try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
            }
            #expect(created.outputResourceName == "doc-1")
            let request = try #require(seen.withLock { $0 })
            #expect(request.requestLine == "POST /v1/run/\(Self.run)/gold-labels HTTP/1.1")
            let headers = request.head.split(separator: "\r\n").dropFirst().map { $0.lowercased() }
            #expect(headers.contains("host: 127.0.0.1:\(server.port)"))
            #expect(headers.contains("authorization: bearer \(Self.token)"))
            #expect(headers.contains("content-type: application/json"))
            #expect(headers.contains("content-length: \(request.body.utf8.count)"))
            #expect(headers.filter { $0.hasPrefix("accept-encoding:") } == ["accept-encoding: gzip"], "gzip only, not deflate")
            #expect(request.body == #"{"output_resource_name":"doc-1","text_value":"x"}"#)
        }
    }

    @Test("a chunked body is read whole")
    func chunked() async throws {
        let halves = [String(Self.label.prefix(40)), String(Self.label.dropFirst(40))]
        try await ScriptedHTTPServer.withRunning({ _ in
            .send(ScriptedHTTPServer.chunkedResponse(chunks: ["["] + halves + [",", Self.label, "]"]))
        }) { server in
            let labels = try await RefactorClient.withClient(try Self.configuration(server)) { client in
                try await client.listGoldLabels(runID: Self.run)
            }
            #expect(labels.map(\.outputResourceName) == ["doc-1", "doc-1"])
        }
    }

    @Test("keep-alive: sequential requests share one connection")
    func keepAlive() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(Self.emptyList) }) { server in
            try await RefactorClient.withClient(try Self.configuration(server)) { client in
                for _ in 0..<5 { _ = try await client.listGoldLabels(runID: Self.run) }
            }
            #expect(server.connectionCounts.accepted == 1)
            #expect(server.connectionCounts.requests == 5)
        }
    }

    @Test("Connection: close is honoured: the connection is not reused, and no request fails")
    func connectionClose() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in
            .send(ScriptedHTTPServer.response(200, "[]", headers: ["Connection: close"]), close: true)
        }) { server in
            try await RefactorClient.withClient(try Self.configuration(server, concurrency: 1)) { client in
                for _ in 0..<3 { _ = try await client.listGoldLabels(runID: Self.run) }
            }
            #expect(server.connectionCounts.accepted == 3)
            #expect(server.connectionCounts.requests == 3)
        }
    }

    @Test("an idle connection the server closed is replaced, not reported as a failure")
    func idleClosedByServer() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(Self.emptyList, close: true) }) { server in
            try await RefactorClient.withClient(try Self.configuration(server, concurrency: 1)) { client in
                _ = try await client.listGoldLabels(runID: Self.run)
                try await Self.eventually("the server saw the close") { server.connectionCounts.open == 0 }
                _ = try await client.listGoldLabels(runID: Self.run)
            }
            #expect(server.connectionCounts.accepted == 2)
            #expect(server.connectionCounts.requests == 2)
        }
    }

    @Test("HTTP/1.0 and a body that ends when the server closes are read whole", arguments: [
        "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n[\(label)]",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[\(label)]",
    ])
    func closeDelimited(reply: String) async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(reply, close: true) }) { server in
            let labels = try await RefactorClient.withClient(try Self.configuration(server)) { client in
                try await client.listGoldLabels(runID: Self.run)
            }
            #expect(labels.map(\.outputResourceName) == ["doc-1"])
        }
    }

    @Test("a 100 Continue before the answer is skipped")
    func continueFirst() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in
            .send("HTTP/1.1 100 Continue\r\n\r\n" + ScriptedHTTPServer.response(201, Self.label))
        }) { server in
            let id = try await RefactorClient.withClient(try Self.configuration(server)) { client in
                try await client.createGoldLabelID(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
            }
            #expect(id == "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")
        }
    }

    @Test("an answer that trickles in for longer than the timeout is not cut off while bytes keep arriving")
    func trickle() async throws {
        let body = "[" + Self.label + "," + Self.label + "]"
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        // 13 pieces 500 ms apart: 6.5 s in all, against a timeout of 3 s without progress.
        var pieces = [head]
        var rest = Substring(body)
        let size = body.utf8.count / 12 + 1
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        let trickled = pieces
        try await ScriptedHTTPServer.withRunning({ _ in .trickle(trickled, every: .milliseconds(500)) }) { server in
            let labels = try await RefactorClient.withClient(try Self.configuration(server, requestTimeout: .seconds(3))) { client in
                // Read on the client's event loop, as import's workers do: the body is pulled as
                // it arrives even while the shared task pool is busy with other suites.
                try await withTaskExecutorPreference(client.taskExecutor(0)) {
                    try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(labels.count == 2)
        }
    }

    @Test("an answer that stalls mid-body times out, saying how much had arrived")
    func stallMidBody() async throws {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
        try await ScriptedHTTPServer.withRunning({ _ in .send(head + "[" + String(repeating: " ", count: 2047)) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server, requestTimeout: .milliseconds(300))) { client in
                    _ = try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(error?.kind == .timeout)
            #expect(error?.description == "list gold labels of run \(Self.run): 127.0.0.1:\(server.port) sent nothing for 0.3 s mid-answer (after 2 KiB); --timeout sets how long to wait")
        }
    }

    @Test("a request the server received and then closed on is connectionDropped, and never resent")
    func droppedAfterSending() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .closeWithoutAnswer }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server)) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
                }
            }
            #expect(error?.kind == .connectionDropped)
            #expect(error?.outcomeUnknown == true)
            #expect(server.connectionCounts.requests == 1)
        }
    }

    @Test("a response cut short is connectionDropped", arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1,2",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[1,2",
        "HTTP/1.1 200 OK\r\nContent-Le",
    ])
    func cutShort(reply: String) async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(reply, close: true) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server)) { client in
                    _ = try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(error?.kind == .connectionDropped || (reply.hasSuffix("Content-Le") && error?.kind == .invalidResponse), "\(String(describing: error))")
            #expect(error?.outcomeUnknown == true)
        }
    }

    @Test("a body larger than maximumResponseBytes is an error, not a crash or an unbounded buffer", arguments: [
        // Declares 50 MB and sends a little: refused from the header, without waiting.
        "HTTP/1.1 200 OK\r\nContent-Length: 50000000\r\n\r\n[1,2,3",
        ScriptedHTTPServer.chunkedResponse(chunks: ["[" + String(repeating: "1,", count: 300), String(repeating: "2,", count: 300) + "3]"]),
        "HTTP/1.1 200 OK\r\n\r\n[" + String(repeating: "1,", count: 1000) + "2]",
    ])
    func bodyTooLarge(reply: String) async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(reply, close: true) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server, maximumResponseBytes: 1000)) { client in
                    _ = try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.detail?.contains("larger than 1000 bytes") == true, "\(String(describing: error))")
        }
    }

    @Test("a response that is not HTTP is invalidResponse")
    func notHTTP() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send("SSH-2.0-OpenSSH_9.6\r\n\r\n") }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server)) { client in
                    _ = try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(error?.kind == .invalidResponse)
        }
    }

    @Test("a create that reads only the id gets it, and a 2xx body that is no label is invalidResponse; an update needs only the 2xx", arguments: [
        (#"{"output_resource_name":"x","id":"id-7","object_value":{"a":[1,{"b":null}]}}"#, "id-7"),
        ("\u{FEFF}" + #"{"id":"id-7"}"#, "id-7"),  // a UTF-8 byte order mark first
        (#"{"id": 7}"#, "RunGoldLabel.id must be a string"),
        (#"{"output_resource_name":"x"}"#, #"RunGoldLabel is missing "id""#),
        (#"["id"]"#, "RunGoldLabel must be a JSON object"),
        (#"{"id":"id-7","object_value":{"a":[1,}}"#, "body is not valid JSON"),
    ])
    func writeReturningID(body: String, outcome: String) async throws {
        try await ScriptedHTTPServer.withRunning({ request in
            .send(ScriptedHTTPServer.response(request.requestLine.hasPrefix("POST") ? 201 : 200, body))
        }) { server in
            try await RefactorClient.withClient(try Self.configuration(server)) { client in
                let create = { try await client.createGoldLabelID(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "x", textValue: "t")) }
                let update = { try await client.updateGoldLabelID(runID: Self.run, labelID: "id-7", UpdateGoldLabelRequest(textValue: "t")) }
                // The update's id is the one it was sent to: any 2xx means it was applied.
                #expect(try await update() == "id-7")
                for call in [create] {
                    if outcome == "id-7" {
                        let id = try await call()
                        #expect(id == "id-7")
                    } else {
                        let error = await expectAPIError { _ = try await call() }
                        #expect(error?.kind == .invalidResponse)
                        #expect(error?.detail?.contains(outcome) == true, "\(String(describing: error))")
                    }
                }
            }
        }
    }

    @Test("with two event loops, tasks stay on their loop")
    func tasksStayOnTheirLoop() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(Self.emptyList) }) { server in
            var configuration = try Self.configuration(server, concurrency: 4)
            configuration.eventLoopThreads = 2
            try await RefactorClient.withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<4 {
                        group.addTask(executorPreference: client.taskExecutor(worker)) {
                            for _ in 0..<25 { _ = try await client.listGoldLabels(runID: Self.run) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(server.connectionCounts.requests == 100)
            #expect(server.connectionCounts.mostOpen <= 4)
        }
    }

    @Test("concurrency N never opens more than N connections, however many tasks ask")
    func connectionLimit() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(Self.emptyList) }) { server in
            try await RefactorClient.withClient(try Self.configuration(server, concurrency: 4)) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<16 {
                        group.addTask { for _ in 0..<10 { _ = try await client.listGoldLabels(runID: Self.run) } }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(server.connectionCounts.requests == 160)
            #expect(server.connectionCounts.mostOpen <= 4)
            #expect(server.connectionCounts.accepted <= 4)
        }
    }

    @Test("cancelling a task in flight ends its request as .cancelled")
    func cancelInFlight() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .ignore }) { server in
            try await RefactorClient.withClient(try Self.configuration(server)) { client in
                let task = Task {
                    await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                }
                try await Self.eventually("the request arrived") { server.connectionCounts.requests == 1 }
                task.cancel()
                let error = await task.value
                #expect(error?.kind == .cancelled)
                // The connection is not reused for a later request (its answer could still come).
                try await Self.eventually("the connection closed") { server.connectionCounts.open == 0 }
            }
        }
    }

    @Test("an HTTP error keeps the server's text and Retry-After, without the token")
    func httpErrors() async throws {
        try await ScriptedHTTPServer.withRunning({ request in
            switch request.index {
            case 1: .send(ScriptedHTTPServer.response(429, #"{"error":"slow down"}"#, headers: ["Retry-After: 7"]))
            case 2: .send(ScriptedHTTPServer.chunkedResponse(503, chunks: [#"{"error":"#, #""overloaded"}"#]))
            case 3: .send(ScriptedHTTPServer.response(422, #"{"detail":[{"loc":["body","text_value"],"msg":"str type expected"}]}"#))
            default: .send(ScriptedHTTPServer.response(400, #"{"error":"bad header Bearer \#(Self.token)"}"#))
            }
        }) { server in
            try await RefactorClient.withClient(try Self.configuration(server, concurrency: 1)) { client in
                let throttled = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(throttled?.kind == .throttled)
                #expect(throttled?.retryAfter == .seconds(7))
                #expect(throttled?.detail == "slow down")
                let failed = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(failed?.kind == .serverError)
                #expect(failed?.status == 503)
                #expect(failed?.detail == "overloaded")
                // A 422 is a rejection of the request, as a 400 is (not retried), in the server's words.
                let invalid = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(invalid?.kind == .badRequest && invalid?.status == 422)
                #expect(invalid?.detail == "body.text_value: str type expected")
                let bad = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(bad?.kind == .badRequest)
                #expect(bad?.description.contains(Self.token) == false)
                #expect(bad?.description.contains("<redacted>") == true)
            }
            #expect(server.connectionCounts.accepted == 1)
        }
    }

    @Test("a redirect is not followed: it is an error naming where it pointed, and nothing is resent")
    func redirect() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in
            .send(ScriptedHTTPServer.response(301, "", headers: ["Location: https://api.example.com/v1/run/x/gold-labels"]))
        }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server)) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
                }
            }
            #expect(error?.kind == .redirected)
            #expect(error?.isRetryable == false)
            #expect(error?.description == #"create gold label "doc-1" in run \#(Self.run): the server answered with a redirect (301): it points to "https://api.example.com/v1/run/x/gold-labels" and labelport does not follow redirects: check --base-url"#)
            #expect(server.connectionCounts.requests == 1)
        }
    }

    @Test("a 404 that is a page, not the API's JSON error, says to check the base URL; the API's own 404 does not")
    func notFoundPage() async throws {
        let page = "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
        let answers = [ScriptedHTTPServer.response(404, page, headers: ["Content-Type: text/html"]),
                       ScriptedHTTPServer.response(404, #"{"error": "no such run"}"#)]
        try await ScriptedHTTPServer.withRunning({ request in .send(answers[min(request.index - 1, 1)]) }) { server in
            try await RefactorClient.withClient(try Self.configuration(server)) { client in
                let wrongPath = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(wrongPath?.notFoundPage == true)
                #expect(wrongPath?.description == "list gold labels of run \(Self.run): not found (404): run \(Self.run) not found (404 Not Found (an HTML page: from a proxy or gateway?)); the answer is a page, not the API's error: check --base-url and its path prefix (such as /api)")
                let api = await expectAPIError { _ = try await client.listGoldLabels(runID: Self.run) }
                #expect(api?.notFoundPage == false)
                #expect(api?.description == "list gold labels of run \(Self.run): not found (404): run \(Self.run) not found (no such run)")
            }
        }
    }

    @Test("413 says the request is larger than the server or a proxy accepts, with the page's words; not retried")
    func payloadTooLarge() async throws {
        let page = "<html><head><title>413 Request Entity Too Large</title></head></html>"
        try await ScriptedHTTPServer.withRunning({ _ in .send(ScriptedHTTPServer.response(413, page, headers: ["Content-Type: text/html"])) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try Self.configuration(server)) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "huge", textValue: "x"))
                }
            }
            #expect(error?.isRetryable == false)
            #expect(error?.description == #"create gold label "huge" in run \#(Self.run): the request is larger than the server, or a proxy in front of it, accepts (413): 413 Request Entity Too Large (an HTML page: from a proxy or gateway?)"#)
            #expect(server.connectionCounts.requests == 1)
        }
    }
}
