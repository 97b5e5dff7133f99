import Testing
@testable import LabelPortCore

/// Sheets as people lay them out (scripts/make-xlsx-fixtures.py): a table that starts
/// right of column A or has an empty column, times of day and durations, a hidden first
/// sheet, formulas never calculated, error cells, a title row above the header.
@Suite("xlsx sheet layouts and cell kinds", .timeLimit(.minutes(2)))
struct XlsxSheetLayoutTests {
    static let run = InputFixtures.runID

    /// Every diagnostic `validate` prints for fixture `name`, shown as `shown`.
    static func lines(_ name: String, shown: String, options: LabelInputOptions = LabelInputOptions()) throws -> [String] {
        var input = try LabelInput(path: XlsxInputTests.directory + name, displayName: shown, options: options)
        var lines: [String] = []
        _ = InputValidator.run(&input) { lines.append($0.description) }
        return lines
    }

    static func rows(_ items: [LabelInputItem]) -> [LabelRow] {
        items.compactMap { item -> LabelRow? in
            guard case .row(var row, _) = item else { return nil }
            row.objectKeyPaths = nil
            return row
        }
    }

    @Test("columns with an empty header are ignored; a value in one is a problem at its cell", arguments: [
        "openpyxl-offset.xlsx", "libreoffice-offset.xlsx",
    ])
    func emptyColumns(name: String) throws {
        let (items, warnings) = try XlsxInputTests.items(name)
        #expect(Self.rows(items) == [LabelRow(line: 3, runID: Self.run, outputResourceName: "doc-1", textValue: "first")], "\(items)")
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(try Self.lines(name, shown: "offset.xlsx") == [
            "offset.xlsx:4:4: cell D4 has a value but its column has no header: name the column or delete the value",
            "offset.xlsx:5:1: cell A5 has a value but its column has no header: name the column or delete the value",
            "offset.xlsx:6:7: cell G6 has a value but its column has no header: name the column or delete the value",
        ])
        // Nothing dropped: the rejected row keeps the value, and names its label.
        guard case .invalid(4, _, let record?) = items.first(where: { if case .invalid(4, _, _) = $0 { true } else { false } }) else {
            Issue.record("\(items)")
            return
        }
        #expect(record.content == .fields(["", "doc-2", "second", "stray", Self.run]))
        #expect(record.runID == Self.run)
        #expect(record.outputResourceName == "doc-2")
    }

    @Test("a CSV's columns with an empty header: the same rule")
    func emptyColumnsCSV() {
        let text = ",run_id,,output_resource_name,text_value\n,\(Self.run),,doc-1,a\nx,\(Self.run),,doc-2,b\n,\(Self.run),y,doc-3,c\n"
        var input = LabelInput(bytes: Array(text.utf8), displayName: "gap.csv", options: LabelInputOptions())
        var lines: [String] = []
        let summary = InputValidator.run(&input) { lines.append($0.description) }
        #expect(lines == [
            "gap.csv:3:1: column 1 has no header name but holds a value on this row: name the column, or delete the value",
            "gap.csv:4:39: column 3 has no header name but holds a value on this row: name the column, or delete the value",
        ])
        #expect(summary.validRows == 1)
    }

    @Test("a header with cells in A, B and AB: the columns between are ignored, not one problem each")
    func wideGap() throws {
        var header = [String](repeating: "", count: 28)
        header[0] = "output_resource_name"
        header[1] = "text_value"
        header[27] = "run_id"
        var row = [String](repeating: "", count: 28)
        row[0] = "doc-1"
        row[1] = "a"
        row[27] = Self.run
        var warnings: [Diagnostic] = []
        let made = CSVRowMapper.make(
            header: CSVRow(line: 3, cells: CSVCells(header), problems: [], inSheet: true), file: "wide.xlsx", mappings: [],
            defaultRunID: nil, warnings: &warnings)
        var mapper = try made.get()
        #expect(mapper.unnamedColumns == Array(2...26))
        let label = try mapper.map(CSVRow(line: 4, cells: CSVCells(row), problems: [], inSheet: true)).get()
        #expect(label == LabelRow(line: 4, runID: Self.run, outputResourceName: "doc-1", textValue: "a"))
    }

    @Test("a date-time format shows its time at midnight too; a date format only the day")
    func midnight() throws {
        let (items, _) = try XlsxInputTests.items("openpyxl-midnight.xlsx")
        let expected = try XlsxInputTests.object(#"""
            {"start": "2024-03-01T00:00:00", "last": "2024-03-02T00:00:00", "day": "2024-03-01"}
            """#)
        #expect(Self.rows(items) == [LabelRow(line: 2, runID: Self.run, outputResourceName: "doc-1", objectValue: expected)], "\(items)")
    }

    @Test("times of day as HH:MM:SS, durations as hours:MM:SS, dates unchanged, in both date systems", arguments: [
        "openpyxl-times.xlsx", "openpyxl-times-1904.xlsx", "libreoffice-times.xlsx",
    ])
    func times(name: String) throws {
        let (items, _) = try XlsxInputTests.items(name)
        let expected = try XlsxInputTests.object(#"""
            {"at": "13:45:00", "precise": "13:45:30.250", "pm": "13:45:00", "took": "30:00:00", "short": "01:30:15",
             "day": "2024-03-01", "when": "2024-03-01T13:45:00"}
            """#)
        #expect(Self.rows(items) == [LabelRow(line: 2, runID: Self.run, outputResourceName: "doc-1", objectValue: expected)], "\(items)")
    }

    @Test("what a number format shows", arguments: [
        ("General", XlsxStyles.Kind.number), ("0.00", .number), ("0.00E+00", .number), ("@", .number), ("[Red]0;-0", .number),
        ("h:mm", .time), ("hh:mm:ss.000", .time), ("h:mm\\ AM/PM", .time), ("mm:ss", .time), ("[$-409]h:mm:ss AM/PM", .time),
        ("h\"時\"mm\"分\"", .time),
        ("[h]:mm:ss", .duration), ("[hh]:mm", .duration), ("[mm]:ss", .duration), ("[ss]", .duration),
        ("yyyy-mm-dd", .date), ("m/d/yy", .date), ("mmm yyyy", .date), ("mmmm", .date), ("yyyy-mm-dd hh:mm", .dateTime),
        ("d-mmm-yy h:mm", .dateTime), ("[$-409]m/d/yy h:mm AM/PM", .dateTime), ("\"h\"0", .number),
    ] as [(String, XlsxStyles.Kind)])
    func formatKinds(code: String, kind: XlsxStyles.Kind) {
        #expect(XlsxStyles.kind(ofFormat: code) == kind, "\(code)")
    }

    @Test("time and duration text")
    func timeText() {
        // ISO 8601 date cells (t="d") in the form serials give.
        #expect(XlsxCellText.isoDate("2024-03-01T00:00:00") == "2024-03-01")
        #expect(XlsxCellText.isoDate("2024-03-01") == "2024-03-01")
        #expect(XlsxCellText.isoDate("2024-03-01T13:45:00.5") == "2024-03-01T13:45:00.500")
        #expect(XlsxCellText.isoDate("2024-03-01T13:45") == "2024-03-01T13:45:00")
        #expect(XlsxCellText.isoDate("2024-03-01T13:45:30.12345678901234567890123") == "2024-03-01T13:45:30.123")
        #expect(XlsxCellText.isoDate("2024-03-01T00:00:00Z") == "2024-03-01", "UTC")
        #expect(XlsxCellText.isoDate("2024-03-01T13:45:30+02:00") == "2024-03-01T13:45:30+02:00", "another zone is kept")
        #expect(XlsxCellText.isoDate("March 1") == "March 1")
        #expect(XlsxCellText.isoDate("2024-03-01T00:00:00", withTime: true) == "2024-03-01T00:00:00", "a date-time format")
        #expect(XlsxCellText.isoDate("2024-03-01", withTime: true) == "2024-03-01T00:00:00")
        #expect(XlsxCellText.time(serial: 0.5) == "12:00:00")
        #expect(XlsxCellText.time(serial: 45352.75) == "18:00:00", "a date-time shown with a time format: its time")
        #expect(XlsxCellText.time(serial: 1.0 / 86_400_000 * 250) == "00:00:00.250")
        #expect(XlsxCellText.duration(serial: 1.25) == "30:00:00")
        #expect(XlsxCellText.duration(serial: -0.0625) == "-01:30:00")
        #expect(XlsxCellText.duration(serial: 0) == "00:00:00")
        #expect(XlsxCellText.duration(serial: 1000) == "24000:00:00")
        #expect(XlsxStyles.builtIn(20) == .time)
        #expect(XlsxStyles.builtIn(46) == .duration)
        #expect(XlsxStyles.builtIn(14) == .date)
        #expect(XlsxStyles.builtIn(22) == .dateTime)
        #expect(XlsxStyles.builtIn(2) == .number)
    }

    @Test("a hidden first sheet is read, with a warning naming the visible sheets; --sheet reads another")
    func hiddenFirstSheet() throws {
        let (items, warnings) = try XlsxInputTests.items("openpyxl-hidden.xlsx")
        #expect(Self.rows(items) == [LabelRow(line: 2, runID: Self.run, outputResourceName: "from-hidden", textValue: "hidden")])
        #expect(warnings.map(\.description) == [
            "openpyxl-hidden.xlsx: warning: reading the first sheet, \"Hidden\", which is hidden; the visible sheet is \"データ\": choose one with --sheet NAME",
        ])
        let (chosen, none) = try XlsxInputTests.items("openpyxl-hidden.xlsx", options: LabelInputOptions(sheet: "データ"))
        #expect(Self.rows(chosen) == [LabelRow(line: 2, runID: Self.run, outputResourceName: "from-visible", textValue: "visible")])
        #expect(none.isEmpty)
        let (hiddenByName, quiet) = try XlsxInputTests.items("openpyxl-hidden.xlsx", options: LabelInputOptions(sheet: "Hidden"))
        #expect(Self.rows(hiddenByName).count == 1)
        #expect(quiet.isEmpty, "a sheet chosen by name is read without a word")
    }

    @Test("a formula never calculated is a problem at its cell, and the row keeps its name")
    func formulaWithoutValue() throws {
        let (items, _) = try XlsxInputTests.items("openpyxl-typed.xlsx")
        guard case .invalid(2, let diagnostics, let record?)? = items.first else {
            Issue.record("\(items)")
            return
        }
        #expect(diagnostics.map(\.description) == [
            "openpyxl-typed.xlsx:2:7: cell G2 (column \"object_value.total:number\") holds a formula with no computed value (the file was not saved by a program that "
                + "calculates formulas): open and save it in Excel or LibreOffice, or type the value",
        ])
        #expect(record.runID == Self.run)
        #expect(record.outputResourceName == "doc-1")
        guard case .cells(let cells) = record.content else { return }
        #expect(cells.fields.last == "=C2*4", "the formula, for a rejects file")
    }

    @Test("an error cell is a problem, kept as its text for a rejects file, and the row keeps its run and name")
    func errorCell() throws {
        let (items, _) = try XlsxInputTests.items("libreoffice-problems.xlsx")
        guard items.count == 2, case .invalid(3, let diagnostics, let record?) = items[1] else {
            Issue.record("\(items)")
            return
        }
        #expect(diagnostics.map(\.description) == [
            "libreoffice-problems.xlsx:3:3: cell C3 (column \"object_value.n:number\") holds the error #DIV/0!: correct the formula, or type the value",
        ], "not also \"#DIV/0! is not a number\"")
        #expect(record.content == .fields([Self.run, "doc-2", "#DIV/0!", ""]))
        #expect(record.runID == Self.run)
        #expect(record.outputResourceName == "doc-2")
    }

    @Test("a title row above the header: the problem speaks of the sheet")
    func titleRow() throws {
        #expect(try Self.lines("openpyxl-title.xlsx", shown: "title.xlsx") == [
            "title.xlsx:1:1: cell A1: the sheet's first row with values (\"Gold labels, March\") names no gold-label column: "
                + "the sheet needs a header row above its data, such as run_id | output_resource_name | text_value (one name per "
                + "cell; delete any title rows above it), or --map \"HEADER=FIELD\" for your own column names",
        ])
    }
}
