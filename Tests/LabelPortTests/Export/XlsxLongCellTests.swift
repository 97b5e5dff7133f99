import Foundation
@testable import LabelPortCore
import Testing
@testable import LabelPortCLI

/// A cell longer than a spreadsheet cell holds (32,767 characters) is written whole,
/// with one warning per export that counts such cells, names the first and suggests JSONL.
@Suite("xlsx export: cells too long for a spreadsheet", .timeLimit(.minutes(3)))
struct XlsxLongCellTests {
    static let long = String(repeating: "é", count: XlsxWriter.maximumCellCharacters - 1) + "xy"

    @Test("the writer counts the long cells and names the first by id and column")
    func counted() throws {
        let rows: [[ExportCell?]] = [
            [.text("id-1"), .text("short"), nil],
            [.text("id-2"), .text(String(repeating: "a", count: XlsxWriter.maximumCellCharacters)), .text(Self.long)],
            [.text("id-3"), .text(Self.long), nil],
        ]
        var bytes: [UInt8] = []
        let found = try XlsxWriter(sheetName: "labels").write(header: ["id", "text_value", "object_value"], rows: rows) { bytes += $0 }
        #expect(found == XlsxWriter.LongCells(count: 2, column: "object_value", id: "id-2"))
        #expect(found?.description == "2 cells longer than the 32,767 characters a spreadsheet cell holds (the first: id id-2's "
            + "object_value): Excel refuses or cuts such cells and LibreOffice cuts them; export as JSONL (--format jsonl) to keep them whole")
        var input = LabelInput(bytes: bytes, displayName: "long.xlsx", options: LabelInputOptions(format: .xlsx))
        _ = input.next()
        #expect(input.header == ["id", "text_value", "object_value"], "written whole, readable")
        let none = try XlsxWriter(sheetName: "labels").write(header: ["id"], rows: [[.text("id-1")]]) { _ in }
        #expect(none == nil)
    }

    @Test("export labels --format xlsx warns once and still writes the file")
    func exportWarns() async throws {
        let seed = ImportFixtures.seed([
            #"{"output_resource_name": "long-text", "text_value": "\#(Self.long)"}"#,
            #"{"output_resource_name": "long-object", "object_value": {"note": "\#(Self.long)"}}"#,
            #"{"output_resource_name": "short", "text_value": "fine"}"#,
        ])
        try await ExportFixtures.withSandbox(seed: seed) { sandbox, dir in
            let (result, bytes) = try await ExportFixtures.export([ImportFixtures.runA], from: sandbox, in: dir, to: "out.xlsx")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!bytes.isEmpty)
            let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning:") }
            #expect(warnings.count == 1, "\(result.stderr)")
            let line = String(warnings.first ?? "")
            #expect(line.hasPrefix(dir.url("out.xlsx") + ": warning: 2 cells longer than the 32,767 characters a spreadsheet cell holds (the first: id "), "\(line)")
            #expect(line.hasSuffix("export as JSONL (--format jsonl) to keep them whole"), "\(line)")
            let (jsonl, _) = try await ExportFixtures.export([ImportFixtures.runA], from: sandbox, in: dir, to: "out.jsonl")
            #expect(!jsonl.stderr.contains("warning:"), "\(jsonl.stderr)")
        }
    }
}
