import LabelPortCore
import LabelPortSandbox
import Testing

@Suite("Sandbox faults and stats", .timeLimit(.minutes(10)))
struct SandboxFaultTests {
    typealias T = TestSandbox
    let request = CreateGoldLabelRequest(outputResourceName: "doc", textValue: "v")

    @Test func errorFaultIsServerErrorAndNotApplied() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(error: 1) }) { sandbox in
            try await T.withClient(sandbox) { client in
                let error = await expectAPIError { _ = try await client.createGoldLabel(runID: T.runA, request) }
                #expect(error?.kind == .serverError)
                #expect(error?.status == 500 || error?.status == 503)
                #expect(error?.detail?.contains("injected") == true)
            }
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).isEmpty)
            #expect(sandbox.stats.writesApplied == 0)
            #expect(sandbox.stats.faults["error"] == 1)
        }
    }

    @Test func throttleFaultIs429WithRetryAfter() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(throttle: 1) }) { sandbox in
            try await T.withClient(sandbox) { client in
                let error = await expectAPIError { _ = try await client.createGoldLabel(runID: T.runA, request) }
                #expect(error?.kind == .throttled)
                #expect(error?.retryAfter == .seconds(1))
            }
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).isEmpty)
            #expect(sandbox.stats.count(SandboxEndpoint.createGoldLabel.rawValue, "429") == 1)
        }
    }

    @Test func dropAfterCommitStoresTheWriteAndClosesWithoutAnswer() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(dropAfterCommit: 1) }) { sandbox in
            try await T.withClient(sandbox) { client in
                let error = await expectAPIError { _ = try await client.createGoldLabel(runID: T.runA, request) }
                #expect(error?.kind == .connectionDropped)
                #expect(error?.status == nil)
                #expect(error?.outcomeUnknown == true)
                // Reads are never dropped; the label was stored.
                let labels = try await client.listGoldLabels(runID: T.runA)
                #expect(labels.map(\.outputResourceName) == ["doc"])
                let update = await expectAPIError {
                    _ = try await client.updateGoldLabel(runID: T.runA, labelID: labels[0].id, UpdateGoldLabelRequest(textValue: "new"))
                }
                #expect(update?.kind == .connectionDropped)
                #expect(try await client.getGoldLabel(runID: T.runA, labelID: labels[0].id).textValue == "new")
            }
            let stats = sandbox.stats
            #expect(stats.faults["drop-after-commit"] == 2)
            #expect(stats.writesApplied == 2)
            #expect(stats.count(SandboxEndpoint.createGoldLabel.rawValue, "dropped") == 1)
        }
    }

    @Test func latencyIsAppliedToEveryApiRequest() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(1)) }) { sandbox in
            try await T.withClient(sandbox) { client in
                _ = try await client.listGoldLabels(runID: T.runA)
                _ = try await client.createGoldLabel(runID: T.runA, request)
                _ = try await client.getEvaluation(runID: T.runA, evaluationID: T.evaluationA)
            }
            _ = try await RawHTTP.send(sandbox, .GET, "/_sandbox/stats", token: nil, body: nil)
            #expect(sandbox.stats.faults["latency"] == 3)  // not /_sandbox
        }
    }

    /// The outcome kinds of `count` sequential list calls against a sandbox with `seed`.
    func faultSequence(seed: UInt64, count: Int) async throws -> [String] {
        try await T.withRunning({ $0.faults = FaultSpec(error: 0.3, throttle: 0.3); $0.faultSeed = seed }) { sandbox in
            // A generous timeout: on a loaded machine a request must not time out and
            // change the sequence (the faults are the sandbox's, not the machine's).
            try await T.withClient(sandbox, configure: { $0.requestTimeout = .seconds(120) }) { client in
                var kinds: [String] = []
                for _ in 0..<count {
                    do {
                        _ = try await client.listGoldLabels(runID: T.runA)
                        kinds.append("ok")
                    } catch let error as APIError {
                        kinds.append("\(error.kind)\(error.status ?? 0)")
                    }
                }
                return kinds
            }
        }
    }

    @Test func sameFaultSeedGivesSameFaultSequence() async throws {
        let first = try await faultSequence(seed: 42, count: 40)
        let second = try await faultSequence(seed: 42, count: 40)
        let other = try await faultSequence(seed: 43, count: 40)
        #expect(first == second)
        #expect(first != other)
        #expect(Set(first).count >= 3)  // ok, error and throttle all occur
    }

    @Test func injectorIsDeterministicAndDropsOnlyWrites() {
        let spec = FaultSpec(error: 0.2, throttle: 0.2, dropAfterCommit: 0.3)
        let a = FaultInjector(spec: spec, seed: 7), b = FaultInjector(spec: spec, seed: 7)
        let sequenceA = (0..<200).map { a.next(isWrite: $0 % 2 == 0) }
        let sequenceB = (0..<200).map { b.next(isWrite: $0 % 2 == 0) }
        #expect(sequenceA == sequenceB)
        for (index, fault) in sequenceA.enumerated() where index % 2 == 1 {
            #expect(fault != .dropAfterCommit)
        }
        #expect(sequenceA.contains(.dropAfterCommit))
    }

    @Test func statsCountMaxInFlightAndReset() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(200)) }) { sandbox in
            try await T.withClient(sandbox) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<6 {
                        group.addTask {
                            _ = try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "n\(i)", textValue: "v"))
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let (status, body) = try await RawHTTP.send(sandbox, .GET, "/_sandbox/stats", token: nil, body: nil)
            #expect(status == 200)
            let json = try JSONParser.parse(body)
            let object = try #require(json.objectValue)
            #expect(object["total_requests"] == 6)
            #expect(object["writes_applied"] == 6)
            #expect(object["requests"]?.objectValue?[SandboxEndpoint.createGoldLabel.rawValue]?.objectValue?["201"] == 6)
            let maxInFlight = object["max_in_flight"].flatMap { if case .number(let n) = $0 { n.intValue } else { nil } } ?? 0
            #expect(maxInFlight >= 2 && maxInFlight <= 6)
            #expect(object["in_flight"] == 0)
            #expect(object["faults"]?.objectValue?["latency"] == 6)

            let (resetStatus, _) = try await RawHTTP.send(sandbox, .POST, "/_sandbox/stats/reset", token: nil, body: nil)
            #expect(resetStatus == 200)
            #expect(sandbox.stats == SandboxStatsSnapshot())
        }
    }

    @Test func faultSpecParsing() throws {
        let spec = try FaultSpec(parsing: "error=0.1, throttle=0.05,drop-after-commit=0.02,latency=20ms")
        #expect(spec == FaultSpec(error: 0.1, throttle: 0.05, dropAfterCommit: 0.02, latency: .milliseconds(20)))
        #expect(try FaultSpec(parsing: "latency=1s").latency == .seconds(1))
        #expect(try FaultSpec(parsing: "latency=500us").latency == .microseconds(500))
        for bad in ["error", "error=2", "boom=0.1", "latency=20", "latency=fast", "error=0.6,throttle=0.6", "error=-1", "", " , ", "error=0.5,error=0.1"] {
            #expect(throws: SandboxConfigurationError.self, "\(bad)") { try FaultSpec(parsing: bad) }
        }
    }
}
