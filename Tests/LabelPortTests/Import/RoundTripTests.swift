import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Export → import: an exported file recreates every label exactly in an empty run, and
/// imported back into the run it came from plans nothing but unchanged rows.
@Suite("Export and import round trip", .timeLimit(.minutes(10)))
struct RoundTripTests {
    @Test("tricky values survive export and import exactly", arguments: ["backup.jsonl", "backup.csv", "excel.csv", "backup.xlsx", "flat.xlsx", "flat.csv"])
    func roundTrip(file: String) async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { source, dir in
            let extra = file == "excel.csv" ? ["--excel"] : file.hasPrefix("flat.") ? ["--flatten"] : []
            let (exported, bytes) = try await ExportFixtures.export([TestSandbox.runA], from: source, in: dir, to: file, extra: extra)
            #expect(exported.status == 0, "\(exported.stderr)")
            let path = dir.url(file)
            let original = source.sandbox.goldLabels(runID: TestSandbox.runA)

            // Into an empty sandbox holding the same run: every label recreated exactly.
            try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { target, scratch in
                let result = try await ImportFixtures.importFile(path, target, scratch)
                #expect(result.status == 0, "\(result.stderr)")
                ImportFixtures.expectRecreated(original, in: target)
            }

            // Back into the original: a plan of only unchanged rows, and no writes.
            let plan = try await ImportFixtures.importFile(path, source, dir, ["--dry-run", "--json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let summary = try ImportFixtures.value(plan.stdout)["summary"]?.objectValue
            #expect(summary?["actions"]?.objectValue?["unchanged"] == .number(JSONNumber(original.count)))
            #expect(source.stats.writesApplied == 0)

            // And a second export gives the same bytes.
            let (_, again) = try await ExportFixtures.export([TestSandbox.runA], from: source, in: dir, to: "again-" + file, extra: extra)
            #expect(again == bytes)
        }
    }

    /// `object_value_is_partial` stands on its own in the API: a server may answer it beside a
    /// `text_value` (a column defaulting to false) or with no value at all. What export writes
    /// of such labels imports back (it was refused as an invalid row, exit 2).
    static let partialSeed = """
        {"runs": [{"id": "\(TestSandbox.runA)", "account_id": "\(TestSandbox.accountA)"}],
         "gold_labels": [
           {"run_id": "\(TestSandbox.runA)", "output_resource_name": "text-and-flag", "text_value": "x", "object_value_is_partial": false},
           {"run_id": "\(TestSandbox.runA)", "output_resource_name": "flag-only", "object_value_is_partial": true},
           {"run_id": "\(TestSandbox.runA)", "output_resource_name": "object-and-flag", "object_value": {"k": 1}, "object_value_is_partial": true}]}
        """

    @Test("labels with object_value_is_partial beside a text_value, or alone, survive export and import", arguments: ["p.jsonl", "p.csv", "p.xlsx", "flat.csv"])
    func partialFlagRoundTrip(file: String) async throws {
        try await ExportFixtures.withSandbox(seed: Self.partialSeed) { source, dir in
            let extra = file.hasPrefix("flat.") ? ["--flatten"] : []
            let (exported, _) = try await ExportFixtures.export([TestSandbox.runA], from: source, in: dir, to: file, extra: extra)
            #expect(exported.status == 0, "\(exported.stderr)")
            let original = source.sandbox.goldLabels(runID: TestSandbox.runA)
            #expect(original.count == 3)
            try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { target, scratch in
                let result = try await ImportFixtures.importFile(dir.url(file), target, scratch)
                #expect(result.status == 0, "\(result.stderr)")
                ImportFixtures.expectRecreated(original, in: target)
            }
            let plan = try await ImportFixtures.importFile(dir.url(file), source, dir, ["--dry-run", "--json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let summary = try ImportFixtures.value(plan.stdout)["summary"]?.objectValue
            #expect(summary?["actions"]?.objectValue?["unchanged"] == 3)
        }
    }
}
