import Foundation
import LabelPortCore
import Testing
@testable import LabelPortCLI

/// An output flag that names what the command reads, another output, or a journal that
/// already holds something is refused before anything is read or written (exit 64), and
/// the file is left as it was.
@Suite("output files that would destroy an input", .timeLimit(.minutes(1)))
struct OutputPathTests {
    static let rows = #"{"run_id": "aaaa0000-0000-4000-8000-000000000001", "output_resource_name": "a", "text_value": "x"}"# + "\n"
    /// A server nobody answers on: nothing may be sent anyway.
    static func connection(_ dir: TemporaryDirectory) throws -> [String] {
        ["--base-url", "http://127.0.0.1:9", "--token-file", try dir.write("token", "t0ken-never-used\n")]
    }

    @Test("import: --report, --rejects, --journal or --plan-out naming the input; --report and --rejects on one file",
          arguments: [
            (["--report", "IN"], "--report DIR/rows.jsonl is the input file"),
            (["--rejects", "IN"], "--rejects DIR/rows.jsonl is the input file"),
            (["--journal", "IN"], "--journal DIR/rows.jsonl already exists"),
            (["--dry-run", "--plan-out", "IN"], "--plan-out DIR/rows.jsonl is the input file"),
            (["--report", "DIR/./out.jsonl", "--rejects", "DIR/out.jsonl"], "--report and --rejects name the same file (DIR/out.jsonl)"),
          ])
    func importOutputs(flags: [String], message: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("rows.jsonl", Self.rows)
        let arguments = flags.map { $0 == "IN" ? input : $0.replacing("DIR", with: dir.path) }
        let result = await runLabelPort(["import", input] + arguments + (try Self.connection(dir)))
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains(message.replacing("DIR", with: dir.path)), "\(result.stderr)")
        #expect(try FileText.read(input) == Self.rows)
        #expect(dir.fileNames().sorted() == ["rows.jsonl", "token"], "nothing written")
    }

    @Test("a symbolic link to the input is the input, whichever side it is on")
    func symbolicLinks() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("rows.jsonl", Self.rows)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.jsonl", withDestinationPath: input)
        for (file, report) in [(input, dir.path + "/link.jsonl"), (dir.path + "/link.jsonl", input)] {
            let result = await runLabelPort(["import", file, "--dry-run", "--report", report] + (try Self.connection(dir)))
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("--report \(report) is the input file"), "\(result.stderr)")
            #expect(try FileText.read(input) == Self.rows)
        }
        #expect(OutputPaths.sameFile(dir.path + "/link.jsonl", input))
    }

    @Test("a --journal that already holds something is refused, for import and for undo of that very journal")
    func existingJournal() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("rows.jsonl", Self.rows)
        let journal = try dir.write("j.jsonl", "{\"journal\": 1}\n")
        let imported = await runLabelPort(["import", input, "--journal", journal] + (try Self.connection(dir)))
        #expect(imported.status == 64)
        #expect(imported.stderr.contains("--journal \(journal) already exists: it may be the record that undoes an earlier write; name a new file"), "\(imported.stderr)")
        let undone = await runLabelPort(["undo", journal, "--journal", journal] + (try Self.connection(dir)))
        #expect(undone.status == 64)
        #expect(undone.stderr.contains("--journal \(journal) already exists"), "\(undone.stderr)")
        #expect(try FileText.read(journal) == "{\"journal\": 1}\n")
        // A journal that could not be written would fail every row: refused at once.
        let nowhere = await runLabelPort(["import", input, "--journal", dir.path + "/missing/j.jsonl"] + (try Self.connection(dir)))
        #expect(nowhere.status == 64)
        #expect(nowhere.stderr.contains("--journal \(dir.path)/missing/j.jsonl: cannot write it (no such file or directory)"), "\(nowhere.stderr)")
        let report = await runLabelPort(["import", input, "--report", input + "/r.jsonl"] + (try Self.connection(dir)))
        #expect(report.status == 64)
        #expect(report.stderr.contains("--report \(input)/r.jsonl: cannot write it (not a directory)"), "\(report.stderr)")
        #expect(OutputPaths.sameFile(dir.path + "/./j.jsonl", journal))
        #expect(!OutputPaths.sameFile(input, journal))
    }

    @Test("export: --out naming the runs file or the ids file")
    func exportOut() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let runs = try dir.write("runs.txt", "aaaa0000-0000-4000-8000-000000000001\n")
        let labels = await runLabelPort(["export", "labels", "--runs-file", runs, "--out", runs] + (try Self.connection(dir)))
        #expect(labels.status == 64)
        #expect(labels.stderr.contains("--out \(runs) is the runs file"), "\(labels.stderr)")
        let evaluations = await runLabelPort(["export", "evaluations", "--ids", runs, "--out", runs] + (try Self.connection(dir)))
        #expect(evaluations.status == 64)
        #expect(evaluations.stderr.contains("--out \(runs) is the ids file"), "\(evaluations.stderr)")
        #expect(try FileText.read(runs) == "aaaa0000-0000-4000-8000-000000000001\n")
    }
}
