import Testing
@testable import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

@Suite("export evaluations (sandbox over HTTP)", .timeLimit(.minutes(10)))
struct ExportEvaluationsCommandTests {
    typealias F = ExportFixtures

    static let evaluationIDs = (0..<20).map { F.uuid(prefix: "eeee", $0) }

    /// 20 evaluations spread over runs A and C, values with exact digits.
    static func seed() -> String {
        let evaluations = evaluationIDs.enumerated().map { i, id in
            let run = i % 2 == 0 ? TestSandbox.runA : F.runC
            return #"{"id": "\#(id)", "run_id": "\#(run)", "evaluation_label_id": "44444444-4444-4444-8444-444444444444", "output_name": "doc-\#(i).pdf", "field_path": "$.f\#(i)", "value": 0.\#(i)0000000000000000001, "created_at": "2024-05-06T07:08:09Z"}"#
        }
        return """
            {"runs": [{"id": "\(TestSandbox.runA)", "account_id": "\(TestSandbox.accountA)"},
                      {"id": "\(F.runC)", "account_id": "\(TestSandbox.accountA)"}],
             "evaluations": [\(evaluations.joined(separator: ",\n"))]}
            """
    }

    static func idsFile(_ directory: TemporaryDirectory) throws -> String {
        var lines = ["run_id,evaluation_id"]
        for (i, id) in evaluationIDs.enumerated() where i != 5 {
            lines.append("\(i % 2 == 0 ? TestSandbox.runA : F.runC),\(id)")
        }
        lines.append("\(TestSandbox.runA),\(TestSandbox.unknownUUID)")
        return try directory.write("ids.csv", lines.joined(separator: "\n") + "\n")
    }

    @Test("an ids file's header is matched in any letter case; one without the column lists the headers it has")
    func idsHeader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let id = Self.evaluationIDs[0]
        let mixed = try directory.write("mixed.csv", "Run_ID, Evaluation_ID ,Note\n\(TestSandbox.runA),\(id),x\n")
        #expect(try IDsFile.readKeys(path: mixed, idColumns: ["evaluation_id", "id"]) == [RecordKey(runID: TestSandbox.runA, id: id)])
        let wrong = try directory.write("wrong.csv", "run,evaluation\n\(TestSandbox.runA),\(id)\n")
        #expect(throws: IDsFileProblems(diagnostics: [Diagnostic(file: wrong, line: 1, message: #"the header has no run_id column (it has "run", "evaluation")"#)])) {
            try IDsFile.readKeys(path: wrong, idColumns: ["evaluation_id", "id"])
        }
    }

    @Test("19 of 20 found: 19 rows in (run_id, id) order, the missing one reported, exit 1")
    func missingOne() async throws {
        try await F.withSandbox(seed: Self.seed()) { sandbox, directory in
            let ids = try Self.idsFile(directory)
            let path = directory.url("evaluations.jsonl")
            let result = await runLabelPort(["export", "evaluations", "--ids", ids, "--out", path] + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 1)
            #expect(result.stderr.contains(TestSandbox.unknownUUID))
            #expect(result.stderr.contains("exported 19 evaluations from 2 runs"))
            let lines = try FileText.readBytes(path).split(separator: 0x0A)
            let evaluations = try lines.map { try Evaluation(json: try JSONParser.parse($0)) }
            #expect(evaluations.count == 19)
            #expect(evaluations == Evaluation.sortedForExport(evaluations))
            #expect(String(decoding: lines[0], as: UTF8.self).contains(#""value":0.00000000000000000001"#))

            // An evaluations export is itself an ids file.
            let again = directory.url("again.jsonl")
            let reexport = await runLabelPort(["export", "evaluations", "--ids", path, "--out", again] + (try F.connectionFlags(sandbox, directory)))
            #expect(reexport.status == 0, "\(reexport.stderr)")
            #expect(try FileText.readBytes(again) == FileText.readBytes(path))
        }
    }

    @Test("with throttling faults the file is identical")
    func throttled() async throws {
        let plain = try await F.withSandbox(seed: Self.seed()) { sandbox, directory in
            let path = directory.url("e.csv")
            _ = await runLabelPort(["export", "evaluations", "--ids", try Self.idsFile(directory), "--out", path] + (try F.connectionFlags(sandbox, directory)))
            return try FileText.read(path)
        }
        let throttled = try await F.withSandbox(seed: Self.seed(), { $0.faults = FaultSpec(error: 0.1, throttle: 0.3, retryAfterSeconds: 0) }) { sandbox, directory in
            let path = directory.url("e.csv")
            let result = await runLabelPort(["export", "evaluations", "--ids", try Self.idsFile(directory), "--out", path, "--retries", "10"] + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 1)
            #expect(sandbox.stats.faults.values.reduce(0, +) > 0)
            let refused = sandbox.stats.faults["throttle"] ?? 0
            #expect(refused == 0 || result.stderr.contains("rate limited: "), "the summary says the server refused requests: \(result.stderr)")
            #expect(refused == 0 || result.stderr.contains("\(CountText.count(refused, "request")) refused (429)"), "\(result.stderr)")
            return try FileText.read(path)
        }
        #expect(!plain.isEmpty)
        #expect(plain == throttled)
    }

    @Test("--run/--id pairs must pair up; --flatten has nothing to flatten")
    func pairs() async throws {
        let result = await runLabelPort(["export", "evaluations", "--run", TestSandbox.runA, "--base-url", "http://127.0.0.1:1"])
        #expect(result.status == 64)
        let flatten = await runLabelPort(["export", "evaluations", "--run", TestSandbox.runA, "--id", TestSandbox.runA, "--flatten", "--format", "csv", "--base-url", "http://127.0.0.1:1"])
        #expect(flatten.status == 64)
        #expect(flatten.stderr.contains("evaluations have none"), "\(flatten.stderr)")
    }
}
