import Testing
@testable import LabelPortCore

/// The xlsx and flattened encodings: typed cells, number cells only when exact, the
/// flattened columns and their types, and the same bytes for the same records.
@Suite("xlsx and flattened export", .timeLimit(.minutes(2)))
struct XlsxExportTests {
    static func label(_ name: String, _ object: String?, text: String? = nil, partial: Bool? = nil) throws -> GoldLabel {
        let value = try object.map { try #require(try JSONParser.parse(Array($0.utf8)).objectValue) }
        return GoldLabel(
            id: "00000000-0000-4000-8000-00000000000\(name.count)", accountID: "acc", runID: InputFixtures.runID,
            outputResourceName: name, textValue: text, objectValue: value, objectValueIsPartial: partial,
            createdBy: nil, createdAt: "2024-01-01T00:00:00Z", updatedBy: nil, updatedAt: nil)
    }

    static func labels() throws -> [GoldLabel] {
        [
            try label("a", #"{"score": 0.5, "big": 12345678901234567890, "tags": ["x"], "meta": {"ok": true, "who": "é"}, "a.b": 1}"#, partial: false),
            try label("bb", #"{"score": 2, "big": 3, "empty": "", "meta": {"ok": false}}"#),
            try label("ccc", #"{"score": "high"}"#),
            try label("dddd", #"{}"#),
            try label("eeeee", nil, text: "just text"),
        ]
    }

    @Test("flattened columns: typed headers, :json for arrays, empty strings and mixed types")
    func flattenedHeader() throws {
        let table = ExportTable(records: try Self.labels(), flatten: true)
        #expect(table.header == [
            "run_id", "output_resource_name", "id", "text_value", "object_value",
            "object_value.big:number", "object_value.empty:json", "object_value.meta.ok:boolean", "object_value.meta.who",
            "object_value.score:json", "object_value.tags:json",
            "object_value_is_partial", "account_id", "created_by", "created_at", "updated_by", "updated_at",
        ])
        let first = table.cells(try Self.labels()[0])
        #expect(first[4] == .text(#"{"a.b":1}"#))
        #expect(first[5] == .number(JSONNumber("12345678901234567890")!))
        #expect(first[9] == .text("0.5"))
        #expect(table.cells(try Self.labels()[3])[4] == .text("{}"))
    }

    @Test("a number is a number cell only when a double holds it exactly in 15 digits")
    func numberCells() {
        #expect(XlsxSheetXML.numericText(JSONNumber("42")!) == "42")
        #expect(XlsxSheetXML.numericText(JSONNumber("1.50")!) == "1.5")
        #expect(XlsxSheetXML.numericText(JSONNumber("1e-7")!) == "1e-07")
        #expect(XlsxSheetXML.numericText(JSONNumber("0.30000000000000004")!) == nil)
        #expect(XlsxSheetXML.numericText(JSONNumber("9007199254740993")!) == nil)
        #expect(XlsxSheetXML.numericText(JSONNumber("123456789012345")!) == "123456789012345")
        #expect(XlsxSheetXML.numericText(JSONNumber("1.00000000000000001")!) == nil)
        #expect(XlsxSheetXML.numericText(JSONNumber("0")!) == "0")
        #expect(XlsxSheetXML.numericText(JSONNumber("-0")!) == "0")
        #expect(XlsxSheetXML.numericText(JSONNumber("-17")!) == "-17")
        #expect(XlsxSheetXML.numericText(JSONNumber("1234567890123456")!) == nil)
        #expect(XlsxSheetXML.numericText(JSONNumber("1E3")!) == "1000")
    }

    @Test("the same records give the same bytes, and read back as the same labels", arguments: [false, true])
    func stableAndReadable(flatten: Bool) throws {
        let encoder = ExportEncoder<GoldLabel>(format: .xlsx, flatten: flatten, sheetName: "labels")
        var first: [UInt8] = []
        try encoder.writeDocument(try Self.labels()) { first += $0 }
        var second: [UInt8] = []
        try encoder.writeDocument(try Self.labels()) { second += $0 }
        #expect(first == second)
        var input = LabelInput(bytes: first, displayName: "out.bin", options: LabelInputOptions())
        #expect(input.format == .xlsx)
        var read: [LabelRow] = []
        while let item = input.next() {
            guard case .row(let row, _) = item else {
                Issue.record("\(item)")
                continue
            }
            read.append(row)
        }
        let expected = try Self.labels()
        #expect(read.count == expected.count)
        for (row, label) in zip(read, expected) {
            #expect(row.outputResourceName == label.outputResourceName)
            #expect(row.objectValue == label.objectValue, "\(label.outputResourceName)")
            #expect(row.textValue == label.textValue)
            #expect(row.objectValueIsPartial == label.objectValueIsPartial)
        }
    }

    @Test("column widths: the widest cell (bold header 2 more), wide characters double, capped at 60")
    func widths() {
        let rows: [[ExportCell?]] = [
            [.text(String(repeating: "x", count: 70)), .text("yy"), nil, .number(JSONNumber("0.30000000000000004")!)],
            [.text("z"), .text("日本語\nab"), .bool(false), .number(JSONNumber("1.50")!)],
        ]
        #expect(XlsxSheetXML.widths(header: ["a", "b", "c", "d"], rows: rows) == [60, 6, 5, 19])
        let start = String(decoding: XlsxSheetXML(columns: 4).start(widths: [60, 6, 5, 19], rows: 3), as: UTF8.self)
        #expect(start.contains(#"<dimension ref="A1:D3"/>"#))
        #expect(start.contains(#"<col min="1" max="1" width="60" customWidth="1"/><col min="2" max="2" width="7" customWidth="1"/><col min="3" max="3" width="6" customWidth="1"/><col min="4" max="4" width="20" customWidth="1"/>"#))
    }

    @Test("a sheet larger than one compressed piece streams through and reads back whole")
    func manyPieces() throws {
        let count = 3_000
        let labels = try (0..<count).map { i in
            let note = String(repeating: "é<&>\(i)", count: 60)
            return try Self.label("doc-\(i)", #"{"n": \#(i), "note": "\#(note)"}"#)
        }
        var bytes: [UInt8] = []
        try ExportEncoder<GoldLabel>(format: .xlsx, sheetName: "labels").writeDocument(labels) { bytes += $0 }
        #expect(bytes.count > XlsxWriter.pieceSize / 4, "several pieces of sheet XML")
        var input = LabelInput(bytes: bytes, displayName: "many.xlsx", options: LabelInputOptions())
        var read: [LabelRow] = []
        while let item = input.next() {
            if case .row(let row, _) = item { read.append(row) } else { Issue.record("\(item)") }
        }
        #expect(read.count == count)
        #expect(read.map { $0.objectValue } == labels.map { $0.objectValue })
    }
}
