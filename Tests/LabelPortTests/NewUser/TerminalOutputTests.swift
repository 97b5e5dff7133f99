import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Issue 14, items 1 and 9: failed rows with their reason on stderr, and every list on the
/// terminal capped at 20 (all with --verbose).
@Suite("terminal output: failed rows and caps", .timeLimit(.minutes(3)))
struct TerminalOutputTests {
    static let run = ImportFixtures.runA

    @Test("rows into an unknown run fail with their reason on stderr")
    func unknownRun() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let rows = (1...5).map { "\(TestSandbox.unknownUUID),doc-\($0),x" }
            let file = try dir.write("labels.csv", "run_id,output_resource_name,text_value\n" + rows.joined(separator: "\n") + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir)
            #expect(result.status == 1)
            let reason = "failed: run \(TestSandbox.unknownUUID) not found (404): check the run id or --remap-run"
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(Array(lines.prefix(5)) == (2...6).map { "\(file):\($0): \(reason)" })
            #expect(lines[5] == "\(file): cells separated by ','")
            #expect(lines[6] == "5 rows: 5 create, 0 update, 0 unchanged, 0 conflict, 0 invalid (5 failed)")
        }
    }

    @Test("--mode update with no match, and a conflict, are listed with their reasons")
    func noMatchAndConflict() async throws {
        let seed = [#"{"output_resource_name": "twin", "text_value": "a"}"#, #"{"output_resource_name": "twin", "text_value": "b"}"#]
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(seed)) { sandbox, dir in
            let file = try dir.write("labels.csv", "output_resource_name,text_value\nnew,x\ntwin,y\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", Self.run, "--mode", "update"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(file):2: failed: no label with output_resource_name \"new\" in run \(Self.run)\n"), "\(result.stderr)")
            #expect(result.stderr.contains("\(file):3: conflict: 2 labels in run \(Self.run) share output_resource_name \"twin\""))
        }
    }

    @Test("more than 20 failed rows: grouped by reason with counts, then where to find them all")
    func manyFailures() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let other = "88888888-8888-4888-8888-888888888888"
            let rows = (1...30).map { "\(TestSandbox.unknownUUID),doc-\($0),x" } + (1...5).map { "\(other),doc-\($0),x" }
            let file = try dir.write("labels.csv", "run_id,output_resource_name,text_value\n" + rows.joined(separator: "\n") + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir)
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.prefix(3) == [
                "30 rows like \(file):2: failed: run \(TestSandbox.unknownUUID) not found (404): check the run id or --remap-run",
                "5 rows like \(file):32: failed: run \(other) not found (404): check the run id or --remap-run",
                "the rows counted above: --report FILE or --verbose lists them all",
            ])
            let verbose = try await ImportFixtures.importFile(file, sandbox, dir, ["--verbose"])
            let failed = verbose.stderr.split(separator: "\n").filter { $0.contains(": failed: run ") }
            #expect(failed.count == 35)
            #expect(verbose.stderr.contains("request: GET /v1/run/\(TestSandbox.unknownUUID)/gold-labels 404 in "), "\(verbose.stderr)")
        }
    }

    @Test("many distinct reasons: 20 lines, then '… and N more rows'; reasons that differ only in what they quote are one")
    func manyReasons() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let runs = (1...25).map { "99999999-9999-4999-8999-" + String(repeating: "0", count: 10) + String(format: "%02d", $0) }
            let rows = runs.map { "\($0),doc,x" }
            let file = try dir.write("labels.csv", "run_id,output_resource_name,text_value\n" + rows.joined(separator: "\n") + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir)
            let failed = result.stderr.split(separator: "\n").filter { $0.contains(": failed: run ") }
            #expect(failed.count == 20)
            #expect(result.stderr.contains("… and 5 more rows (--report FILE or --verbose lists them all)\n"))

            let names = (1...25).map { "doc-\($0),x" }
            let update = try dir.write("update.csv", "output_resource_name,text_value\n" + names.joined(separator: "\n") + "\n")
            let updated = try await ImportFixtures.importFile(update, sandbox, dir, ["--run-id", Self.run, "--mode", "update"])
            #expect(updated.stderr.contains(
                "25 rows like \(update):2: failed: no label with output_resource_name \"doc-1\" in run \(Self.run)\n"
                    + "the rows counted above: --report FILE or --verbose lists them all\n"), "\(updated.stderr)")
            #expect(updated.stderr.split(separator: "\n").filter { $0.contains("failed: no label") }.count == 1)
        }
    }

    @Test("validate lists 20 problems, then a count; --verbose lists them all")
    func validateCap() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let rows = (1...50).map { "doc-\($0),not-a-number" }
        let file = try dir.write("labels.csv", "output_resource_name,Score\n" + rows.joined(separator: "\n") + "\n")
        let args = ["validate", file, "--run-id", Self.run, "--map", "Score=object_value.score:number"]
        let capped = await runLabelPort(args)
        #expect(capped.status == 2)
        let lines = capped.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 22)
        #expect(lines[20] == "… and 30 more problems (--verbose lists them all)")
        #expect(lines[21] == "50 problems in 50 rows (cells separated by ',')")
        let all = await runLabelPort(args + ["--verbose"])
        #expect(all.stdout.split(separator: "\n").count == 51)

        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, sandboxDir in
            let result = try await ImportFixtures.importFile(file, sandbox, sandboxDir, Array(args.dropFirst(2)))
            #expect(result.status == 2)
            #expect(result.stderr.split(separator: "\n").filter { $0.contains("is not a number") }.count == 20)
            #expect(result.stderr.contains("… and 30 more problems (--verbose lists them all)"))
        }
    }

    @Test("a dry-run plan lists 20 entries of at most 10 fields each")
    func planCap() async throws {
        let zeros = (1...12).map { "\"k\($0)\": 0" }.joined(separator: ", ")
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed([#"{"output_resource_name": "doc-0", "object_value": {\#(zeros)}}"#])) { sandbox, dir in
            let keys = (1...12).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
            let rows = (0...25).map { #"{"output_resource_name": "doc-\#($0)", "object_value": {\#(keys)}}"# }
            let file = try dir.write("labels.jsonl", rows.joined(separator: "\n") + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", Self.run, "--dry-run"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines[1].hasPrefix("update \"doc-0\""))
            #expect(lines[2] == "    ~ object_value.k1: 0 → 1")
            #expect(lines[11].hasPrefix("    ~ object_value."))
            #expect(lines[12] == "    … 2 more fields")
            #expect(lines.filter { $0.hasPrefix("create ") }.count == 19)
            #expect(lines.last == "… and 6 more changes (--json or --verbose lists them all)")
            let verbose = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", Self.run, "--dry-run", "--verbose"])
            #expect(verbose.stdout.split(separator: "\n").filter { $0.hasPrefix("create ") }.count == 25)
            #expect(verbose.stdout.contains("~ object_value.k9: 0 → 9"))
        }
    }
}
