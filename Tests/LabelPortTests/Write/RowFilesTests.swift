import Foundation
@testable import LabelPortCore
import Testing
@testable import LabelPortCLI

/// The report and rejects of a write command as a second Ctrl-C leaves them: every row
/// finished, in input order, each once, and nothing written after.
@Suite("Row files", .timeLimit(.minutes(1)))
struct RowFilesTests {
    static func outcome(_ sequence: Int, _ status: RowStatus) -> RowOutcome {
        RowOutcome(
            planned: PlannedRow(
                sequence: sequence, line: sequence + 2, runID: "r", outputResourceName: "n\(sequence)", action: .create,
                write: nil, labelID: nil, changes: [], problem: nil, key: .invalid(sequence: sequence)),
            status: status, labelID: status == .ok ? "id\(sequence)" : nil, error: status == .ok ? nil : "e\(sequence)",
            record: InputRecord(line: sequence + 2, content: .fields(["n\(sequence)", "v"])))
    }

    static func line(_ sequence: Int, _ status: RowStatus) -> String {
        let id = status == .ok ? #""id\#(sequence)""# : "null"
        let error = status == .ok ? "null" : #""e\#(sequence)""#
        return #"{"line":\#(sequence + 2),"run_id":"r","output_resource_name":"n\#(sequence)","action":"create","status":"\#(status.rawValue)","id":\#(id),"error":\#(error)}"#
    }

    static func files(_ dir: TemporaryDirectory) throws -> RowFiles {
        try RowFiles(
            reportPath: dir.url("report.jsonl"), rejectsPath: dir.url("rejects.csv"),
            recordWriter: RecordWriter(format: .csv, header: ["output_resource_name", "text_value"]))
    }

    static func read(_ dir: TemporaryDirectory, _ name: String) throws -> String {
        try String(contentsOfFile: dir.url(name), encoding: .utf8)
    }

    @Test("a second Ctrl-C writes the rows finished behind one in flight, in input order, once each, and nothing after")
    func finishedBehindAnUnfinishedRow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try Self.files(dir)
        // Rows 0, 3, 2 finish (in that order); 1 is in flight; 4 is not attempted. Row 0 is
        // written in order.
        for (sequence, status) in [(0, RowStatus.ok), (3, .failed), (4, .skipped), (2, .ok)] { files.hold(Self.outcome(sequence, status)) }
        try files.write(Self.outcome(0, .ok))
        try files.flushNow()
        files.writeFinishedAndStop()
        let expected = [Self.line(0, .ok), Self.line(2, .ok), Self.line(3, .failed), Self.line(4, .skipped)].joined(separator: "\n") + "\n"
        let rejects = "output_resource_name,text_value\nn3,v\nn4,v\n"
        #expect(try Self.read(dir, "report.jsonl") == expected)
        #expect(try Self.read(dir, "rejects.csv") == rejects)
        // What the engine hands on after the quit is not written again, nor is anything new.
        for (sequence, status) in [(1, RowStatus.ok), (2, .ok), (3, .failed), (4, .skipped)] { try files.write(Self.outcome(sequence, status)) }
        files.writeFinishedAndStop()
        try files.close()
        #expect(try Self.read(dir, "report.jsonl") == expected)
        #expect(try Self.read(dir, "rejects.csv") == rejects)
    }

    @Test("without a Ctrl-C rows are written as given, once each, and a row written is no longer held")
    func writtenRowsAreNotHeld() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = try Self.files(dir)
        for sequence in [1, 0] { files.hold(Self.outcome(sequence, .ok)) }
        for sequence in [0, 1] { try files.write(Self.outcome(sequence, .ok)) }
        files.writeFinishedAndStop()
        try files.close()
        #expect(try Self.read(dir, "report.jsonl") == Self.line(0, .ok) + "\n" + Self.line(1, .ok) + "\n")
        #expect(try Self.read(dir, "rejects.csv") == "output_resource_name,text_value\n")
    }

    @Test("every sink in front of the outputs passes a finishing row on: a second Ctrl-C writes it", arguments: ["tally", "collector", "copy"])
    func sinksPassFinishingRowsOn(chain: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let outputs = try ImportOutputs(
            reportPath: dir.url("report.jsonl"), rejectsPath: nil, recordWriter: nil, spoolPlan: false, planAsJSON: false,
            renderer: PlanRenderer(color: false))
        let sink: any ImportSink = switch chain {
        case "tally": RowTally(passingTo: outputs, expecting: 2)
        case "collector": RowTally(passingTo: FailureCollector(inner: outputs), expecting: 2)
        default: CopyOverlay.Recorder(CopyOverlay(), passingTo: RowTally(passingTo: outputs, expecting: 2), sourceRun: "s", destinationRun: "d")
        }
        sink.rowFinishing(Self.outcome(1, .ok))
        outputs.files.writeFinishedAndStop()
        #expect(try Self.read(dir, "report.jsonl") == Self.line(1, .ok) + "\n")
    }
}
