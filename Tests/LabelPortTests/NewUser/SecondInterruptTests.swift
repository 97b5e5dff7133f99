import Foundation
@testable import LabelPortCLI
import LabelPortCore
import LabelPortSandbox
import Testing

/// Issue 14, item 4: the first Ctrl-C is acknowledged at once; a second quits at once
/// with exit 130, the report holding the rows finished so far in input order.
@Suite("import: a second Ctrl-C", .timeLimit(.minutes(2)))
struct SecondInterruptTests {
    @Test("two SIGINTs: acknowledged, then exit 130 at once (not after the requests in flight), report in input order")
    func twoInterrupts() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            // Slow answers keep requests in flight when the signals come: finishing them
            // would take up to 4 s after the second Ctrl-C.
            configuration.faults = FaultSpec(latency: .seconds(4))
        }) { sandbox, dir in
            let input = try ImportProcessTests.input(in: dir)
            let report = dir.url("report.jsonl")
            let process = try CLIProcess(try ImportProcessTests.arguments(input, sandbox, dir, ["--report", report]))
            try await ImportProcessTests.waitForInFlight(sandbox, writes: 4, inFlight: 4)
            process.signal(SIGINT)
            // The event to wait for: the acknowledgement on stderr.
            try await WriteInterruptProcessTests.waitForStderr(process, WriteInterruptProcessTests.noticeEnd)
            let sentAt = ContinuousClock.now
            process.signal(SIGINT)
            let result = await process.wait()
            let elapsed = result.endedAt - sentAt
            #expect(result.status == 130, "\(result.stderr)")
            #expect(!result.signalled)
            // "At once": well before the requests in flight could end (a loaded machine may take
            // a while to start and reap a process, so not a tighter bound).
            #expect(elapsed < .seconds(2), "quit took \(elapsed)")
            try WriteInterruptProcessTests.checkQuitReport(report, rows: ImportProcessTests.rows, concurrency: 4)
        }
    }

    /// A server that never answers the create of `p-0` and answers every other at once.
    static func reply(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        guard request.requestLine.hasPrefix("POST") else { return .send(ScriptedHTTPServer.response(200, "[]")) }
        guard let start = request.body.range(of: #""output_resource_name":""#),
              let end = request.body[start.upperBound...].firstIndex(of: "\"")
        else { return .send(ScriptedHTTPServer.response(400, #"{"error":"no name"}"#)) }
        let name = String(request.body[start.upperBound..<end])
        if name == "p-0" { return .ignore }
        let id = "aaaaaaaa-0000-4000-8000-" + String(repeating: "0", count: 12 - "\(request.index)".count) + "\(request.index)"
        return .send(ScriptedHTTPServer.response(201,
            #"{"id":"\#(id)","account_id":"a","run_id":"\#(ImportFixtures.runA)","output_resource_name":"\#(name)","text_value":"x","created_at":"2026-01-01T00:00:00Z"}"#))
    }

    @Test("two SIGINTs while the first row is still in flight: the report holds the later rows that finished, in input order, and leaves out the first")
    func finishedBehindAnUnfinishedRow() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let rows = 6
        let input = try dir.write("rows.jsonl", (0..<rows).map { #"{"output_resource_name": "p-\#($0)", "text_value": "x"}"# }.joined(separator: "\n") + "\n")
        let report = dir.url("report.jsonl")
        let token = try dir.write("token", TestSandbox.tokenA + "\n")
        try await ScriptedHTTPServer.withRunning(Self.reply) { server in
            let process = try CLIProcess([
                "import", input, "--run-id", ImportFixtures.runA, "--concurrency", "4", "--report", report, "--verbose", "--no-journal",
                "--base-url", "http://127.0.0.1:\(server.port)", "--token-file", token,
            ])
            // The event to wait for: every create but the first answered, as the client logs it.
            func answered() -> Int { process.stderrSoFar.components(separatedBy: " 201 in ").count - 1 }
            for _ in 0..<2_000 where answered() < rows - 1 {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(answered() == rows - 1, "\(process.stderrSoFar)")
            process.signal(SIGINT)
            try await WriteInterruptProcessTests.waitForStderr(process, WriteInterruptProcessTests.noticeEnd)
            #expect(process.stderrSoFar.contains(WriteInterruptProcessTests.notice), "\(process.stderrSoFar)")
            process.signal(SIGINT)
            let result = await process.wait()
            #expect(result.status == 130, "\(result.stderr)")
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["line"] } == (2...rows).map { .number(JSONNumber($0)) }, "the finished rows, in input order, without line 1")
            #expect(lines.allSatisfy { $0["status"] == "ok" && $0["action"] == "create" })
            #expect(lines.map { $0["output_resource_name"] } == (1..<rows).map { .string("p-\($0)") })
        }
    }

    @Test("two SIGINTs while the report goes to a pipe nobody reads: the notice at once, then exit 130 all the same, saying the report may lack rows")
    func quitsThoughTheReportBlocks() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            configuration.faults = FaultSpec(latency: .milliseconds(1))
        }) { sandbox, dir in
            let input = try ImportProcessTests.input(in: dir)
            let fifo = dir.url("report.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            // Its reading end open and never read: once the pipe is full, writing the report blocks.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            defer { close(reader) }
            #if os(Linux)
            let capacity = fcntl(reader, 1032)  // F_GETPIPE_SZ
            #else
            let capacity: Int32 = 16_384  // the least a pipe holds on macOS
            #endif
            let process = try CLIProcess(try ImportProcessTests.arguments(input, sandbox, dir, ["--report", fifo]))
            func queued() -> Int32 {
                var bytes: Int32 = 0
                _ = ioctl(reader, UInt(FIONREAD), &bytes)
                return bytes
            }
            // The event to wait for: the pipe full.
            for _ in 0..<2_000 where queued() < capacity {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(queued() >= capacity, "the report filled the pipe")
            let sentAt = ContinuousClock.now
            process.signal(SIGINT)
            // The first is acknowledged though the report cannot be flushed (two signals sent
            // at once would be one: the system keeps one of a kind pending).
            try await WriteInterruptProcessTests.waitForStderr(process, WriteInterruptProcessTests.noticeEnd)
            process.signal(SIGINT)
            let result = await process.wait()
            #expect(result.status == 130, "\(result.stderr)")
            #expect(!result.signalled)
            #expect(result.endedAt - sentAt < .seconds(10), "quit though the report cannot be written: \(result.endedAt - sentAt)")
            #expect(result.stderr.contains(WriteInterrupts.quitLateMessage), "\(result.stderr)")
            #expect(!result.stderr.contains(WriteInterrupts.quitMessage))
        }
    }
}
