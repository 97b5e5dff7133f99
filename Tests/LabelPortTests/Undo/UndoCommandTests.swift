import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport undo", .timeLimit(.minutes(3)))
struct UndoCommandTests {
    static func importInput(_ sandbox: RunningSandbox, _ dir: TemporaryDirectory, journal: String? = nil) async throws -> (CLIResult, String) {
        let input = try dir.write("labels.jsonl", UndoFixtures.input)
        let path = journal ?? dir.url("import.jsonl")
        // One request at a time: the journal's write numbers are then the input's order.
        let result = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--journal", path, "--concurrency", "1"], sandbox, dir)
        #expect(result.status == 0, "\(result.stderr)")
        return (result, path)
    }

    @Test("the plan lists 20 labels, then how many more; --verbose lists them all")
    func capped() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed([])) { sandbox, dir in
            let rows = (1...25).map { #"{"output_resource_name": "doc-\#($0)", "text_value": "v"}"# }.joined(separator: "\n") + "\n"
            let input = try dir.write("many.jsonl", rows)
            let journal = dir.url("many-journal.jsonl")
            let imported = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--journal", journal], sandbox, dir)
            #expect(imported.status == 0, "\(imported.stderr)")
            let capped = try await UndoFixtures.run(["undo", journal, "--dry-run"], sandbox, dir)
            let lines = capped.stdout.split(separator: "\n")
            #expect(lines.count == 21, "\(capped.stdout)")
            #expect(lines.last == "… and 5 more labels (--verbose or --json lists them all)")
            let all = try await UndoFixtures.run(["undo", journal, "--dry-run", "--verbose"], sandbox, dir)
            #expect(all.stdout.split(separator: "\n").count == 25)
        }
    }

    @Test("undo after an import restores every updated label exactly; the created label is listed")
    func undoRestores() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let before = try await UndoFixtures.export(sandbox, dir, "before.jsonl")
            let (imported, journal) = try await Self.importInput(sandbox, dir)
            #expect(imported.stderr.contains("journal: \(journal) (take it back with labelport undo \(journal))"))
            let created = try #require(ImportFixtures.labelsByName(sandbox)["new-1"])

            let dryRun = try await UndoFixtures.run(["undo", journal, "--dry-run"], sandbox, dir)
            #expect(dryRun.status == 1, "a created label cannot be removed: not all restored")
            let writes = sandbox.stats.writesApplied
            #expect(dryRun.stdout == """
                restore "doc-1" aaaaaaaa-0000-4000-8000-000000000001 (run \(UndoFixtures.runA), write 1)
                    ~ text_value: "new" → "old"
                restore "doc-2" aaaaaaaa-0000-4000-8000-000000000002 (run \(UndoFixtures.runA), write 2)
                    ~ object_value.a: 2 → 1
                restore "doc-3" aaaaaaaa-0000-4000-8000-000000000003 (run \(UndoFixtures.runA), write 3)
                    ~ object_value_is_partial: false → true
                restore "doc-4" aaaaaaaa-0000-4000-8000-000000000004 (run \(UndoFixtures.runA), write 4)
                    + text_value: "was text"
                    - object_value: {"now":"an object"}
                    ~ object_value_is_partial: true → false
                created "new-1" \(created.id) (run \(UndoFixtures.runA), write 5): created by the journaled run; cannot be removed (the API has no delete)

                """)
            #expect(dryRun.stderr.contains("5 labels: 4 to restore (4 to write, 0 already back), 1 created (cannot be removed)"))

            let undo = try await UndoFixtures.run(["undo", journal, "--journal", dir.url("undo.jsonl")], sandbox, dir)
            #expect(dryRun.status == 1)
            #expect(sandbox.stats.writesApplied == writes + 4)
            #expect(undo.stderr.contains("5 labels: 4 restored (4 written, 0 already back), 1 created (cannot be removed)"), "\(undo.stderr)")
            var after = try await UndoFixtures.export(sandbox, dir, "after.jsonl")
            after[created.id] = nil
            #expect(after == before, "the whole run is back as it was, the created label aside")

            // The undo is journaled too, and a second undo of the import finds everything back.
            let again = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(again.stderr.contains("5 labels: 4 restored (0 written, 4 already back), 1 created (cannot be removed)"))
            let undoJournal = try JournalReader.read(dir.url("undo.jsonl"))
            #expect(undoJournal.header.command == "undo")
            #expect(undoJournal.entries.count == 4)
            #expect(undoJournal.entries.allSatisfy { $0.outcome?.status == .ok })
        }
    }

    @Test("a label changed since the import is a conflict, left alone; the rest are restored")
    func conflict() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed(Array(UndoFixtures.seedLabels.prefix(3)))) { sandbox, dir in
            let input = try dir.write("labels.jsonl", """
                {"output_resource_name": "doc-1", "text_value": "new"}
                {"output_resource_name": "doc-2", "object_value": {"a": 2}}
                {"output_resource_name": "doc-3", "object_value": {"n": 12345678901234567890, "keep": true}, "object_value_is_partial": false}

                """)
            let journal = dir.url("import.jsonl")
            let imported = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--journal", journal, "--concurrency", "1"], sandbox, dir)
            #expect(imported.status == 0)
            try await TestSandbox.withClient(sandbox) { client in
                _ = try await client.updateGoldLabel(
                    runID: UndoFixtures.runA, labelID: "aaaaaaaa-0000-4000-8000-000000000002", UpdateGoldLabelRequest(objectValue: try ImportFixtures.value(#"{"a": 3}"#)))
            }
            let undo = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(undo.status == 1)
            #expect(undo.stdout.contains("conflict \"doc-2\" aaaaaaaa-0000-4000-8000-000000000002 (run \(UndoFixtures.runA), write 2): changed since the journaled write (object_value.a); left as it is"))
            #expect(undo.stderr.contains("3 labels: 2 restored (2 written, 0 already back), 1 conflict left alone"))
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["doc-1"]?.textValue == "old")
            #expect(labels["doc-2"]?.objectValue == (try ImportFixtures.value(#"{"a": 3}"#)), "left as the other writer set it")
            #expect(labels["doc-3"]?.objectValueIsPartial == true)
        }
    }

    @Test("a value the API cannot set back (the flag back to null) is reported, not approximated")
    func inexact() async throws {
        let seed = [#"{"id": "aaaaaaaa-0000-4000-8000-000000000009", "output_resource_name": "doc-9", "object_value": {"k": 1}}"#]
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed(seed)) { sandbox, dir in
            let input = try dir.write("labels.jsonl", #"{"output_resource_name": "doc-9", "object_value": {"k": 2}, "object_value_is_partial": true}"# + "\n")
            let journal = dir.url("import.jsonl")
            _ = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--journal", journal], sandbox, dir)
            let writes = sandbox.stats.writesApplied
            let undo = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(undo.status == 1)
            #expect(undo.stdout.contains("cannot restore \"doc-9\" aaaaaaaa-0000-4000-8000-000000000009 (run \(UndoFixtures.runA), write 1): object_value_is_partial was null before and the API cannot set it back to null; left as it is"))
            #expect(sandbox.stats.writesApplied == writes, "nothing approximated")
        }
    }

    @Test("--last takes the newest journal; the journal never holds the token")
    func lastAndNoToken() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let input = try dir.write("labels.jsonl", UndoFixtures.input)
            let imported = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA], sandbox, dir)
            #expect(imported.status == 0)
            let directory = dir.url("state") + "/labelport/journal"
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(names.count == 1)
            let journal = directory + "/" + names[0]
            #expect(imported.stderr.contains("journal: \(journal)"))
            #expect(names[0].hasSuffix("Z-import.jsonl"))
            #expect(!(try FileText.read(journal)).contains(TestSandbox.tokenA))
            #expect((try FileManager.default.attributesOfItem(atPath: journal)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let recorded = try JournalReader.read(journal)
            #expect(recorded.header.baseURL == sandbox.baseURL)
            #expect(recorded.entries.count == 5)

            let undo = try await UndoFixtures.run(["undo", "--last", "--dry-run", "--json"], sandbox, dir)
            #expect(undo.status == 1)
            let object = try ImportFixtures.value(undo.stdout)
            #expect(object["journal"]?.stringValue == journal)
            #expect(object["summary"]?.objectValue?["restored"] == 4)
            // The request and rate-limit figures, as import's --json summary gives them.
            let figures = object["summary"]?.objectValue
            #expect(figures?["requests"] == 1 && figures?["retries"] == 0 && figures?["refused"] == 0, "\(undo.stdout)")
            #expect(figures?["allowed_rate"] == .null && figures?["quota_waits"] == 0 && figures?["interrupted"] == false)
            #expect(undo.stderr.contains("undoing \(journal): the import of \(input) started \(recorded.header.startedAt)\n"), "\(undo.stderr)")

            // A real undo journals its writes; a second --last still takes the import's
            // journal (already back: nothing to write), never the undo's, which would redo it.
            let first = try await UndoFixtures.run(["undo", "--last"], sandbox, dir)
            let undoJournals = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("-undo") }
            #expect(undoJournals.count == 1, "\(first.stderr)")
            let writes = sandbox.stats.writesApplied
            let second = try await UndoFixtures.run(["undo", "--last", "--json"], sandbox, dir)
            #expect(try ImportFixtures.value(second.stdout)["journal"]?.stringValue == journal)
            #expect(sandbox.stats.writesApplied == writes, "the second undo --last writes nothing")
        }
    }

    @Test("a journal that is missing or is not a journal: said in words, exit 1 (nothing restored), nothing written")
    func unreadableJournal() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let missing = dir.url("missing.jsonl")
            let gone = try await UndoFixtures.run(["undo", missing], sandbox, dir)
            #expect(gone.status == 1, "\(gone.stderr)")
            #expect(gone.stderr == "labelport undo: error: \(missing): No such file or directory\n")
            let notJournal = try dir.write("labels.jsonl", UndoFixtures.input)
            let wrong = try await UndoFixtures.run(["undo", notJournal], sandbox, dir)
            #expect(wrong.status == 1, "\(wrong.stderr)")
            #expect(wrong.stderr.hasPrefix("labelport undo: error: \(notJournal)"), "\(wrong.stderr)")
            #expect(sandbox.stats.writesApplied == 0)
        }
    }
}
