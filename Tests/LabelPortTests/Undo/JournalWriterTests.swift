import Foundation
@testable import LabelPortCore
import Testing

/// What the journal's file holds at each step: a write's line is in it before the write is
/// sent; an outcome's line joins it with the next write's line, or at the close.
@Suite("Journal writer: what reaches the file when", .timeLimit(.minutes(1)))
struct JournalWriterTests {
    static let header = JournalHeader(baseURL: "http://127.0.0.1:1", command: "import", startedAt: "2026-12-01T00:00:00Z")

    static func write(_ name: String) -> JournalWrite {
        JournalWrite(runID: "r", labelID: nil, outputResourceName: name, before: nil, after: LabelValues(textValue: "x"))
    }

    @Test("a write's line is on file before it is sent; an outcome's line goes with the next write's, or at the close")
    func lines() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url("journal.jsonl")
        let journal = JournalWriter(path: path, header: Self.header)
        let lineCount = { (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").count ?? 0 }

        #expect(try journal.recordWrite(Self.write("a.pdf")) == 1)
        #expect(lineCount() == 2)  // the header and the write
        journal.recordOutcome(JournalOutcome(seq: 1, status: .ok, labelID: "id-a"))
        #expect(lineCount() == 2)  // buffered
        #expect(try journal.recordWrite(Self.write("b.pdf")) == 2)
        #expect(lineCount() == 4)  // the outcome of 1, then the write of 2
        journal.recordOutcome(JournalOutcome(seq: 2, status: .unknown, labelID: nil, error: "cut off"))
        try journal.close()
        let read = try JournalReader.read(path)
        #expect(read.entries.map(\.outcome?.status) == [.ok, .unknown])
        #expect(read.entries.map(\.write.outputResourceName) == ["a.pdf", "b.pdf"])
    }
}
