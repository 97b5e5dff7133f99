import Testing
@testable import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

@Suite("export labels (sandbox over HTTP)", .timeLimit(.minutes(10)))
struct ExportLabelsCommandTests {
    typealias F = ExportFixtures

    /// Parses a JSONL export back into labels.
    static func labels(fromJSONL bytes: [UInt8]) throws -> [GoldLabel] {
        try bytes.split(separator: 0x0A).map { line in try GoldLabel(json: try JSONParser.parse(line)) }
    }

    @Test("JSONL: every value as on the server, stable bytes, sorted rows and keys")
    func jsonlRoundTrip() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let runs = [F.runC, TestSandbox.runA]
            let (first, bytes) = try await F.export(runs, from: sandbox, in: directory, to: "a.jsonl")
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("exported 9 labels from 2 runs to \(directory.url("a.jsonl")) in "))
            let (_, again) = try await F.export(runs.reversed(), from: sandbox, in: directory, to: "b.jsonl")
            #expect(bytes == again)
            let exported = try Self.labels(fromJSONL: bytes)
            let server = GoldLabel.sortedForExport(sandbox.sandbox.goldLabels(runID: TestSandbox.runA) + sandbox.sandbox.goldLabels(runID: F.runC))
            #expect(exported == server)
            #expect(exported.map(\.runID) == Array(repeating: TestSandbox.runA, count: 6) + Array(repeating: F.runC, count: 3))
            let text = String(decoding: bytes, as: UTF8.self)
            // Numbers exactly as sent; keys sorted byte-wise; unicode as UTF-8.
            #expect(text.contains(#""object_value":{"a":0.1,"b":true,"big":9007199254740993,"empty":{},"m":1e-7,"n":null,"neg":-0.0,"nested":[[1,[2,{"x":[]}]],{}],"z":123456789012345678901234567890,"é":"ü\u0000"}"#))
            #expect(text.contains(#""object_value":{"Key With Spaces":"v","a.b":[1.50,2E+3]}"#))
            #expect(text.contains("naïve café 🐱 日本語 \\u0007 \\\\ tab\\t"))
            // One stable key order on every line.
            for line in text.split(separator: "\n") { #expect(line.hasPrefix("{\"run_id\":")) }
        }
    }

    @Test("CSV and Excel CSV: stable bytes, header, BOM and CRLF")
    func csvRoundTrip() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (result, csv) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "a.csv")
            #expect(result.status == 0, "\(result.stderr)")
            let (_, again) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "b.csv")
            #expect(csv == again)
            let text = String(decoding: csv, as: UTF8.self)
            #expect(text.hasPrefix("run_id,output_resource_name,id,text_value,object_value,object_value_is_partial,account_id,created_by,created_at,updated_by,updated_at\n"))
            #expect(text.contains("\"commas, \"\"quotes\"\"\nand newlines\r\n, too\""))
            let (excelResult, excel) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "c.csv", extra: ["--excel"])
            #expect(excelResult.status == 0)
            #expect(Array(excel.prefix(3)) == UTF8Validation.byteOrderMark)
            let excelText = String(decoding: excel.dropFirst(3), as: UTF8.self)
            #expect(excelText.hasPrefix("run_id,output_resource_name,id,"))
            #expect(excelText.contains("updated_at\r\n"))
            try ExportReadBack.expectSameLabels(path: directory.url("a.csv"), as: sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
            try ExportReadBack.expectSameLabels(path: directory.url("c.csv"), as: sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
            try ExportReadBack.expectSameLabels(path: directory.url("b.csv"), as: sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
        }
    }

    @Test("a .tsv file is CSV separated by tabs: a cell holding a tab is quoted, and it reads back the same")
    func tsv() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (result, tsv) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "a.tsv")
            #expect(result.status == 0, "\(result.stderr)")
            let (_, csv) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "a.csv")
            let text = String(decoding: tsv, as: UTF8.self)
            #expect(text.hasPrefix("run_id\toutput_resource_name\tid\ttext_value\tobject_value\tobject_value_is_partial\taccount_id\tcreated_by\tcreated_at\tupdated_by\tupdated_at\n"))
            // Cell by cell the same as the CSV export: the rows read back alike.
            let rows = { (bytes: [UInt8], delimiter: UInt8) in
                var reader = CSVReader(source: ByteSource(bytes: bytes, chunkSize: 1 << 16), file: "x", delimiter: delimiter)
                var cells: [[String]] = []
                while let event = reader.next() { if case .row(let row) = event { cells.append(row.fields) } }
                return cells
            }
            #expect(rows(tsv, 0x09) == rows(csv, UInt8(ascii: ",")))
            #expect(rows(tsv, 0x09).count > 1)
            try ExportReadBack.expectSameLabels(path: directory.url("a.tsv"), as: sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
        }
    }

    @Test("a run the server does not have is reported, the others exported, exit 1")
    func missingRun() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (result, bytes) = try await F.export([TestSandbox.unknownUUID, F.runC, TestSandbox.runB], from: sandbox, in: directory, to: "out.jsonl")
            #expect(result.status == 1)
            #expect(result.stderr.contains(TestSandbox.unknownUUID))
            #expect(result.stderr.contains(TestSandbox.runB)) // another account's run is a 404 too
            #expect(try Self.labels(fromJSONL: bytes).count == 3)
        }
    }

    @Test("401: a clear message, exit 1, no file, no token in the output")
    func unauthorized() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let path = directory.url("out.jsonl")
            let result = await runLabelPort(
                ["export", "labels", "--run", TestSandbox.runA, "--out", path] + (try F.connectionFlags(sandbox, directory, token: "wrong-token-123")))
            #expect(result.status == 1)
            #expect(result.stderr.contains("the API token was rejected (401); check --token-file"), "\(result.stderr)")
            #expect(!result.stderr.contains("wrong-token-123"))
            #expect((try? FileText.readBytes(path)) == nil)
            #expect(directory.fileNames().allSatisfy { !$0.hasSuffix(".tmp") && $0 != "out.jsonl" })
        }
    }

    @Test("missing token or base URL, refused http: exit 64 before any request")
    func configurationErrors() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let token = try F.connectionFlags(sandbox, directory)
            let noURL = await runLabelPort(["export", "labels", "--run", TestSandbox.runA, "--token-file", token[3]])
            let noToken = await runLabelPort(["export", "labels", "--run", TestSandbox.runA, "--base-url", sandbox.baseURL, "--token-file", directory.url("absent")])
            let insecure = await runLabelPort(["export", "labels", "--run", TestSandbox.runA, "--base-url", "http://example.com", "--token-file", token[3]])
            let noRuns = await runLabelPort(["export", "labels"] + token)
            for result in [noURL, noToken, insecure, noRuns] { #expect(result.status == 64, "\(result.stderr)") }
            #expect(sandbox.stats.totalRequests == 0)
        }
    }

    @Test("--ids: just those labels; a missing one reported, exit 1")
    func ids() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let labels = GoldLabel.sortedForExport(sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
            let idsFile = try directory.write("ids.csv", """
                run_id,id
                \(TestSandbox.runA),\(labels[3].id)
                \(TestSandbox.runA),\(TestSandbox.unknownUUID)
                \(TestSandbox.runA.uppercased()),\(labels[1].id)
                """)
            let path = directory.url("some.jsonl")
            let result = await runLabelPort(["export", "labels", "--ids", idsFile, "--out", path] + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 1)
            #expect(result.stderr.contains(TestSandbox.unknownUUID))
            #expect(try Self.labels(fromJSONL: try FileText.readBytes(path)) == [labels[1], labels[3]])
        }
    }

    @Test("--out - writes to stdout; --format csv overrides the extension")
    func standardOutput() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (_, file) = try await F.export([F.runC], from: sandbox, in: directory, to: "c.jsonl")
            let result = await runLabelPort(["export", "labels", "--run", F.runC] + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 0)
            #expect(result.stdoutBytes == file)
            let csv = await runLabelPort(["export", "labels", "--run", F.runC, "--format", "csv"] + (try F.connectionFlags(sandbox, directory)))
            #expect(csv.stdout.hasPrefix("run_id,output_resource_name,"))
        }
    }

    @Test("an empty text_value, which a CSV or workbook cell cannot hold, is said once; JSONL keeps it and says nothing",
          arguments: [("e.csv", [String]()), ("e.xlsx", []), ("f.csv", ["--flatten"]), ("e.jsonl", [])])
    func emptyText(name: String, flags: [String]) async throws {
        let seed = """
            {"runs": [{"id": "\(F.runC)", "account_id": "\(TestSandbox.accountA)"}],
             "gold_labels": [{"run_id": "\(F.runC)", "output_resource_name": "empty-1", "text_value": ""},
                             {"run_id": "\(F.runC)", "output_resource_name": "empty-2", "text_value": ""},
                             {"run_id": "\(F.runC)", "output_resource_name": "full", "text_value": "x"}]}
            """
        try await F.withSandbox(seed: seed) { sandbox, directory in
            let (result, _) = try await F.export([F.runC], from: sandbox, in: directory, to: name, extra: flags)
            #expect(result.status == 0, "\(result.stderr)")
            let kind = name.hasSuffix(".xlsx") ? "workbook" : "CSV"
            let warning = "\(directory.url(name)): warning: 2 labels have an empty text_value, which a \(kind) cell cannot hold (an empty cell means no value): imported back, they come without it; export as JSONL to keep it\n"
            #expect(result.stderr.contains(warning) == !name.hasSuffix(".jsonl"), "\(result.stderr)")
            #expect(!result.stderr.contains("empty text_value") || !name.hasSuffix(".jsonl"))
        }
    }
}

@Suite("export labels: nothing found", .timeLimit(.minutes(10)))
struct ExportNothingFoundTests {
    @Test("when every run is missing the old file stays as it was")
    func everyRunMissing() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { sandbox, directory in
            let path = try directory.write("backup.jsonl", "{\"old\":true}\n")
            let result = await runLabelPort(
                ["export", "labels", "--run", TestSandbox.unknownUUID, "--out", path] + (try ExportFixtures.connectionFlags(sandbox, directory)))
            #expect(result.status == 1)
            #expect(result.stderr.contains("was not written"))
            #expect(try FileText.read(path) == "{\"old\":true}\n")
        }
    }
}
