import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport import", .timeLimit(.minutes(10)))
struct ImportCommandTests {
    static let seedLabels = [
        #"{"output_resource_name": "doc-1", "text_value": "old"}"#,
        #"{"output_resource_name": "doc-2", "object_value": {"a": 1, "b": [1.0, "x"]}, "object_value_is_partial": false}"#,
        #"{"output_resource_name": "doc-5", "object_value": {"keep": true}, "object_value_is_partial": true}"#,
    ]

    static let csv = """
        output_resource_name,text_value,object_value,object_value_is_partial,Notes
        doc-1,new,,,changed text
        doc-2,,"{""b"": [1, ""x""], ""a"": 1.00}",FALSE,same object in another spelling
        doc-3,"brand, new",,,created
        doc-4,,"{""n"": 12345678901234567890, ""t"": ""日本 🎉""}",TRUE,created with object
        doc-5,,"{""keep"":true}",false,only the flag changes

        """

    @Test("CSV import reaches the exact final state, and a second run writes nothing")
    func csvImport() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(Self.seedLabels)) { sandbox, dir in
            let file = try dir.write("labels.csv", Self.csv)
            let report = dir.url("report.jsonl")
            let first = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("column \"Notes\""))
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels.count == 5)
            #expect(labels["doc-1"]?.textValue == "new")
            #expect(labels["doc-2"]?.objectValue == (try ImportFixtures.value(#"{"a":1,"b":[1,"x"]}"#)))
            #expect(labels["doc-2"]?.updatedAt == nil, "an unchanged label must not be written")
            #expect(labels["doc-3"]?.textValue == "brand, new")
            #expect(labels["doc-4"]?.objectValue?["n"] == .number(JSONNumber("12345678901234567890")!))
            #expect(labels["doc-4"]?.objectValue?["t"] == "日本 🎉")
            #expect(labels["doc-4"]?.objectValueIsPartial == true)
            #expect(labels["doc-5"]?.objectValueIsPartial == false)
            #expect(labels["doc-5"]?.objectValue == (try ImportFixtures.value(#"{"keep":true}"#)))
            #expect(sandbox.stats.writesApplied == 4)

            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["line"] } == [2, 3, 4, 5, 6])
            #expect(lines.map { $0["action"]?.stringValue } == ["update", "unchanged", "create", "create", "update"])
            #expect(lines.allSatisfy { $0["status"] == "ok" })
            #expect(lines[2]["id"]?.stringValue == labels["doc-3"]?.id)

            let second = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--json"])
            #expect(second.status == 0)
            #expect(sandbox.stats.writesApplied == 4, "a re-run must make zero writes")
            let summary = try ImportFixtures.value(second.stdout)
            #expect(summary["actions"]?.objectValue?["unchanged"] == 5)
        }
    }

    @Test("JSONL import with --remap-run creates in the new run, in file order for repeated labels")
    func jsonlRemap() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let oldRun = "abababab-0000-4000-8000-000000000000"
            let file = try dir.write("labels.jsonl", """
                {"run_id": "\(oldRun)", "output_resource_name": "x", "text_value": "first", "id": "cdcdcdcd-0000-4000-8000-000000000000"}

                {"run_id": "\(oldRun)", "output_resource_name": "y", "object_value": {"z": 0.1, "a": [1e-7]}, "object_value_is_partial": null}
                {"run_id": "\(oldRun)", "output_resource_name": "x", "text_value": "second"}
                {"run_id": "\(oldRun)", "output_resource_name": "x", "object_value": {"final": true}}

                """)
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--remap-run", "\(oldRun)=\(ExportFixtures.runC)", "--concurrency", "4"])
            #expect(result.status == 0, "\(result.stderr)")
            let labels = ImportFixtures.labelsByName(sandbox, run: ExportFixtures.runC)
            #expect(labels["x"]?.objectValue == (try ImportFixtures.value(#"{"final":true}"#)))
            #expect(labels["x"]?.textValue == nil)
            #expect(labels["y"]?.objectValue == (try ImportFixtures.value(#"{"a":[1e-7],"z":0.1}"#)))
            #expect(labels.count == 2)
        }
    }

    @Test("a dry run writes nothing and plans exactly what the real run then does")
    func dryRunMatchesRun() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(Self.seedLabels)) { sandbox, dir in
            let file = try dir.write("labels.csv", Self.csv)
            let plan = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--dry-run", "--json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(sandbox.stats.writesApplied == 0)
            #expect(sandbox.stats.count("POST /v1/run/{id}/gold-labels", "201") == 0)
            let document = try ImportFixtures.value(plan.stdout)
            let planned = document["summary"]?.objectValue?["actions"]
            let changes = document["changes"]
            guard case .array(let rows)? = changes else { Issue.record("no changes array"); return }
            #expect(rows.count == 4, "unchanged rows are not listed")
            let update = rows.first { $0.objectValue?["output_resource_name"] == "doc-1" }?.objectValue
            #expect(update?["changes"] == [["path": "text_value", "change": "changed", "old": "old", "new": "new"]] as JSONValue)

            let human = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--dry-run"])
            #expect(human.stdout.hasPrefix("Plan: 5 rows in 1 run: create 2, update 2, unchanged 1, conflict 0, invalid 0\n"))
            #expect(human.stdout.contains("text_value"))
            #expect(human.stdout.contains("1 unchanged row not listed."))

            let real = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--json"])
            #expect(try ImportFixtures.value(real.stdout)["actions"] == planned)
        }
    }

    @Test("an invalid row means nothing is written and exit 2; --max-errors lets the rest through")
    func invalidInput() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("bad.jsonl", """
                {"output_resource_name": "ok-1", "text_value": "a"}
                {"output_resource_name": "bad", "text_value": "a", "object_value": {"b": 1}}
                {"output_resource_name": "ok-2", "text_value": "b"}

                """)
            let report = dir.url("report.jsonl")
            let rejects = dir.url("rejects.jsonl")
            let blocked = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report, "--rejects", rejects])
            #expect(blocked.status == 2)
            #expect(blocked.stderr.contains("\(file):2"))
            #expect(sandbox.stats.writesApplied == 0)
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["status"]?.stringValue } == ["skipped", "skipped", "skipped"])
            #expect(lines.map { $0["action"]?.stringValue } == ["create", "invalid", "create"])
            #expect(lines[1]["output_resource_name"]?.stringValue == "bad", "an invalid row's report line names its label")
            #expect(lines[1]["run_id"]?.stringValue == ImportFixtures.runA)
            #expect(try FileText.read(rejects).split(separator: "\n").count == 3)

            let allowed = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--max-errors", "1", "--rejects", rejects])
            #expect(allowed.status == 1)
            #expect(Set(ImportFixtures.names(sandbox)) == ["ok-1", "ok-2"])
            let rejected = try FileText.read(rejects)
            #expect(rejected == #"{"output_resource_name": "bad", "text_value": "a", "object_value": {"b": 1}}"# + "\n")
        }
    }

    @Test("a problem of the file itself (no label column, an empty CSV) writes nothing and exits 2, --max-errors or not")
    func fileProblemIgnoresMaxErrors() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let headerless = try dir.write("names.csv", "name,text_value\na.pdf,x\nb.pdf,y\n")
            let empty = try dir.write("empty.csv", "")
            let report = dir.url("report.jsonl")
            for file in [headerless, empty] {
                for extra in [[], ["--max-errors", "10"]] {
                    let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report] + extra)
                    #expect(result.status == 2, "\(file) \(extra): \(result.stderr)")
                    #expect(result.stderr.contains("\n0 rows: 0 create, 0 update, 0 unchanged, 0 conflict, 0 invalid\n"), "the file's problem is not a row")
                    #expect(try FileText.read(report) == "", "the report holds rows only")
                    #expect(result.stderr.contains(
                        "the file cannot be read as labels: nothing was written (fix the problem above; --max-errors allows invalid rows, not this)\n"),
                        "\(result.stderr)")
                    #expect(!result.stderr.contains("allow some with --max-errors"))
                }
            }
            let json = try await ImportFixtures.importFile(headerless, sandbox, dir, ["--run-id", ImportFixtures.runA, "--json"])
            #expect(try ImportFixtures.value(json.stdout)["file_problem"]?.stringValue
                == "\(headerless):1: no output_resource_name column: add one, or map yours with --map \"HEADER=output_resource_name\"")
            #expect(sandbox.stats.writesApplied == 0)
        }
    }

    /// Rows planned to fail count against --max-errors as they are met: past it, nothing
    /// more is sent, and a line says why and how many rows were not attempted.
    @Test("past --max-errors failed rows, the import stops and says so; the rows not attempted are in --rejects")
    func maxErrorsStop() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed([#"{"output_resource_name": "here", "text_value": "a"}"#])) { sandbox, dir in
            let rows = (0..<6).map { #"{"output_resource_name": "missing-\#($0)", "text_value": "b"}"# } + [#"{"output_resource_name": "here", "text_value": "b"}"#]
            let file = try dir.write("update.jsonl", rows.joined(separator: "\n") + "\n")
            let rejects = dir.url("rejects.jsonl")
            let result = try await ImportFixtures.importFile(
                file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--mode", "update", "--max-errors", "3", "--rejects", rejects])
            #expect(result.status == 1)
            #expect(result.stderr.contains("stopped: more than 3 rows failed or were invalid (--max-errors 3): 1 row not attempted (written to \(rejects))\n"), "\(result.stderr)")
            #expect(sandbox.stats.writesApplied == 0)
            #expect(try FileText.read(rejects) == rows.joined(separator: "\n") + "\n", "6 failed (as planned) and 1 not attempted, in input order")
        }
    }

    @Test("a conflict is reported, not written, and makes exit 1")
    func conflict() async throws {
        let seed = ImportFixtures.seed([
            #"{"output_resource_name": "twin", "text_value": "a"}"#, #"{"output_resource_name": "twin", "text_value": "b"}"#,
        ])
        try await ExportFixtures.withSandbox(seed: seed) { sandbox, dir in
            let file = try dir.write("c.csv", "output_resource_name,text_value\ntwin,c\nsolo,d\n")
            let rejects = dir.url("rejects.csv")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--rejects", rejects])
            #expect(result.status == 1)
            #expect(sandbox.stats.writesApplied == 1)
            let rejected = try FileText.read(rejects)
            #expect(rejected == "output_resource_name,text_value\ntwin,c\n", "\(rejected)")
        }
    }

    @Test("a rejected token: clear message, no retry, exit 1, and the token appears nowhere")
    func unauthorized() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let secret = "wrong-token-7f3e9a1c55"
            let file = try dir.write("l.jsonl", #"{"output_resource_name": "a", "text_value": "x"}"# + "\n")
            let report = dir.url("report.jsonl")
            let rejects = dir.url("rejects.jsonl")
            let result = await runLabelPort(
                ["import", file, "--run-id", ImportFixtures.runA, "--report", report, "--rejects", rejects]
                    + (try ExportFixtures.connectionFlags(sandbox, dir, token: secret)))
            #expect(result.status == 1)
            #expect(result.stderr.contains("401"))
            #expect(result.stderr.contains("token was rejected"))
            #expect(sandbox.stats.totalRequests == 1, "401 is not retried")
            let lines = try ImportFixtures.report(report)
            #expect(lines.count == 1, "the report is written even when the runs cannot be read")
            #expect(lines.first?["status"] == "failed")
            #expect(result.stderr.contains("1 row:"))
            for text in [result.stdout, result.stderr, (try? FileText.read(report)) ?? "", (try? FileText.read(rejects)) ?? ""] {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test("missing token or base URL, and plain http to another host, are usage errors (64) before any request")
    func usageErrors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("l.jsonl", #"{"output_resource_name": "a", "text_value": "x"}"# + "\n")
        let tokenFile = try dir.write("token", "t\n")
        let noURL = await runLabelPort(["import", file, "--run-id", ImportFixtures.runA, "--token-file", tokenFile])
        #expect(noURL.status == 64)
        #expect(noURL.stderr.contains("base URL"))
        let insecure = await runLabelPort(["import", file, "--run-id", ImportFixtures.runA, "--token-file", tokenFile, "--base-url", "http://example.com"])
        #expect(insecure.status == 64)
        #expect(insecure.stderr.contains("--allow-insecure-http"))
        let badRemap = await runLabelPort(["import", file, "--remap-run", "x=y", "--token-file", tokenFile, "--base-url", "http://127.0.0.1:1"])
        #expect(badRemap.status == 64)
        let workbookRejects = await runLabelPort(["import", file, "--rejects", "fix.XLSX", "--token-file", tokenFile, "--base-url", "http://127.0.0.1:1"])
        #expect(workbookRejects.status == 64)
        #expect(workbookRejects.stderr.contains("--rejects fix.XLSX: rejected rows are written in the input's own format (JSONL), and a workbook only for a workbook input: give the file a .jsonl name"), "\(workbookRejects.stderr)")
    }

    @Test("names compare by exact code points: a decomposed é is another label than a composed one")
    func exactNames() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed([#"{"output_resource_name": "caf\u00e9", "text_value": "nfc"}"#])) { sandbox, dir in
            let file = try dir.write("n.jsonl", #"{"output_resource_name": "cafe\u0301", "text_value": "nfd"}"# + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(result.status == 0, "\(result.stderr)")
            let labels = sandbox.sandbox.goldLabels(runID: ImportFixtures.runA)
            #expect(labels.count == 2)
            #expect(labels.first { Array($0.outputResourceName.utf8) == Array("caf\u{E9}".utf8) }?.textValue == "nfc")
        }
    }

    @Test("a CRLF token file with a comment line works; a token with a line break is refused, never printed")
    func tokenFiles() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("l.jsonl", #"{"output_resource_name": "a", "text_value": "x"}"# + "\n")
            let crlf = try dir.write("crlf-token", TestSandbox.tokenA + "\r\n# rotated monthly\r\n")
            let ok = await runLabelPort(["import", file, "--run-id", ImportFixtures.runA, "--base-url", sandbox.baseURL, "--token-file", crlf])
            #expect(ok.status == 0, "\(ok.stderr)")
            let secret = "secret-part-one-9d8c"
            let broken = try dir.write("broken-token", secret + "\u{7}bell\n")
            let refused = await runLabelPort(["import", file, "--run-id", ImportFixtures.runA, "--base-url", sandbox.baseURL, "--token-file", broken])
            #expect(refused.status == 64)
            #expect(!refused.stderr.contains(secret) && !refused.stdout.contains(secret))
        }
    }

    @Test("a dry run exits 1 when rows would fail (a run the server does not have)")
    func dryRunDoomed() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("l.jsonl", #"{"output_resource_name": "a", "text_value": "x"}"# + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", TestSandbox.unknownUUID, "--dry-run"])
            #expect(result.status == 1)
            #expect(result.stdout.contains("not found (404)"))
            #expect(result.stdout.hasPrefix("Plan: 1 row in 1 run: create 1, update 0, unchanged 0, conflict 0, invalid 0; 1 of them would fail (below)\n"), "\(result.stdout)")
            #expect(result.stderr.contains("(1 planned, of which 1 would fail)"), "\(result.stderr)")
        }
    }

    @Test("a row whose id names a label of another name: the plan lists it with a notice that the name stays, also when unchanged")
    func renameNotice() async throws {
        let id = "1d000000-0000-4000-8000-000000000001"
        let seed = ImportFixtures.seed([#"{"id": "\#(id)", "output_resource_name": "orig-name", "text_value": "v", "created_at": "2024-01-01T00:00:00Z"}"#])
        try await ExportFixtures.withSandbox(seed: seed) { sandbox, dir in
            let file = try dir.write("rename.csv", "run_id,id,output_resource_name,text_value\n\(ImportFixtures.runA),\(id),new-name,v\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--dry-run"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == """
                Plan: 1 row in 1 run: create 0, update 0, unchanged 1, conflict 0, invalid 0
                unchanged "new-name" \(id) (line 2, run \(ImportFixtures.runA)) — the label keeps its name "orig-name": output_resource_name cannot change

                """, "no '1 unchanged row not listed' for the row listed")
            let json = try await ImportFixtures.importFile(file, sandbox, dir, ["--dry-run", "--json"])
            #expect(json.stdout.contains(#""notice":"the label keeps its name \"orig-name\": output_resource_name cannot change""#), "\(json.stdout)")
        }
    }

    @Test("an empty cell never clears: a row whose value cells are all empty leaves the label as it is")
    func emptyCells() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(Self.seedLabels)) { sandbox, dir in
            let file = try dir.write("e.csv", "output_resource_name,text_value,object_value,object_value_is_partial\ndoc-1,,,\ndoc-2,,,\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try ImportFixtures.value(result.stdout)["actions"]?.objectValue?["unchanged"] == 2)
            #expect(sandbox.stats.writesApplied == 0)
            #expect(ImportFixtures.labelsByName(sandbox)["doc-1"]?.textValue == "old")
        }
    }

    @Test("an input path that is a pipe (a FIFO, as /dev/stdin or <(command) are) is read once: every row imported, the format from its name")
    func pipePath() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let fifo = dir.url("rows.tsv")
            #expect(FIFOFixture.start(fifo, writing: "output_resource_name\ttext_value\npiped-1\tone\npiped-2\ttwo\n"))
            let result = try await ImportFixtures.importFile(fifo, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("2 rows: 2 create"), "\(result.stderr)")
            #expect(ImportFixtures.labelsByName(sandbox).mapValues(\.textValue) == ["piped-1": "one", "piped-2": "two"])
        }
    }
}
