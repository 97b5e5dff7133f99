import Testing
@testable import LabelPortCore

/// Workbooks made by real programs (scripts/make-xlsx-fixtures.py) read as the contract
/// says: typed cells, dates, formulas' cached values, unicode, sparse and empty rows,
/// sheets by name, problems named by cell; other workbooks refused by their bytes.
@Suite("xlsx input", .timeLimit(.minutes(2)))
struct XlsxInputTests {
    static let directory = Fixtures.directory("xlsx")

    static func items(_ name: String, options: LabelInputOptions = LabelInputOptions()) throws -> (items: [LabelInputItem], warnings: [Diagnostic]) {
        var input = try LabelInput(path: directory + name, displayName: name, options: options)
        var items: [LabelInputItem] = []
        while let item = input.next() { items.append(item) }
        return (items, input.warnings)
    }

    static func object(_ text: String) throws -> JSONObject {
        try #require(try JSONParser.parse(Array(text.utf8)).objectValue)
    }

    static let run = InputFixtures.runID

    @Test("openpyxl: typed cells, dates, unicode, an empty row (the row with a formula never calculated: XlsxSheetLayoutTests)")
    func openpyxlTyped() throws {
        let (items, warnings) = try Self.items("openpyxl-typed.xlsx")
        // The values read; which keys came from key columns (objectKeyPaths) is the mapper's, tested there.
        let rows = items.compactMap { item -> LabelRow? in
            guard case .row(var row, _) = item else { return nil }
            row.objectKeyPaths = nil
            return row
        }
        #expect(rows.count == 2, "\(items)")
        #expect(rows == [
            LabelRow(line: 3, runID: Self.run, outputResourceName: "doc-2", objectValue: try Self.object(
                #"{"score": 42, "ok": false, "when": "2024-03-01T13:45:30.250", "note": "line1\nline2", "total": 12345678901234567890}"#)),
            LabelRow(line: 5, runID: Self.run, outputResourceName: "17", objectValue: try Self.object(
                #"{"score": 1.50, "ok": true, "when": "2024-03-01", "note": "A reads as A", "total": 1e+20}"#)),
        ])
        #expect(warnings.map(\.description) == ["openpyxl-typed.xlsx: warning: 1 empty row skipped"])
    }

    /// windows-names.xlsx is the same workbook zipped with `xl\workbook.xml`-style names and
    /// `xl\SharedStrings.xml` for a relationship to `sharedStrings.xml`, as Excel reads it.
    @Test("LibreOffice: shared strings, rich text, a formula's cached value, an empty row; part names with \\ and another case",
          arguments: ["libreoffice-typed.xlsx", "windows-names.xlsx"])
    func libreOfficeTyped(name: String) throws {
        let (items, warnings) = try Self.items(name)
        // The values read; which keys came from key columns (objectKeyPaths) is the mapper's, tested there.
        let rows = items.compactMap { item -> LabelRow? in
            guard case .row(var row, _) = item else { return nil }
            row.objectKeyPaths = nil
            return row
        }
        #expect(rows == [
            LabelRow(line: 2, runID: Self.run, outputResourceName: "doc-1", objectValue: try Self.object(
                #"{"score": 0.75, "ok": true, "when": "2024-03-01", "note": "héllo — 日本語 😀", "total": 3}"#)),
            LabelRow(line: 3, runID: Self.run, outputResourceName: "doc-2", objectValue: try Self.object(
                #"{"score": 42, "ok": false, "when": "2024-03-01T13:45:30.250", "note": "line1\nline2", "total": 12345678901234567890}"#)),
            LabelRow(line: 5, runID: Self.run, outputResourceName: "17", objectValue: try Self.object(
                #"{"score": 1.50, "ok": true, "when": "2024-03-01", "note": "_x0041_ reads as A", "total": 1e+20}"#)),
        ], "\(items)")
        #expect(warnings.map(\.description) == ["\(name): warning: 1 empty row skipped"])
    }

    @Test("--sheet picks a sheet by name, and the summary names the sheet read; a missing one lists the sheets")
    func sheets() throws {
        let (items, _) = try Self.items("openpyxl-typed.xlsx", options: LabelInputOptions(sheet: "second"))
        #expect(items == [.row(
            LabelRow(line: 2, runID: Self.run, outputResourceName: "from-second", textValue: "second sheet"),
            InputRecord(line: 2, content: .fields([Self.run, "from-second", "second sheet"])))])
        var second = try LabelInput(path: Self.directory + "openpyxl-typed.xlsx", displayName: "openpyxl-typed.xlsx", options: LabelInputOptions(sheet: "second"))
        #expect(second.readingNote == #"sheet "second" of 2: "labels", "second""#)
        var first = try LabelInput(path: Self.directory + "openpyxl-typed.xlsx", displayName: "openpyxl-typed.xlsx", options: LabelInputOptions())
        #expect(first.readingNote == #"sheet "labels" of 2: "labels", "second"; --sheet NAME reads another"#, "the summary names the sheet read")
        while second.next() != nil || first.next() != nil {}
        var single = try LabelInput(path: Self.directory + "openpyxl-1904.xlsx", displayName: "openpyxl-1904.xlsx", options: LabelInputOptions())
        #expect(single.readingNote == nil, "a workbook of one sheet needs no word")
        _ = single.next()
        let (missing, _) = try Self.items("openpyxl-typed.xlsx", options: LabelInputOptions(sheet: "nope"))
        #expect(missing == [.invalid(line: 0, [Diagnostic(
            file: "openpyxl-typed.xlsx", line: nil,
            message: "the workbook has no sheet named \"nope\"; its sheets: \"labels\", \"second\"")], nil)])
    }

    @Test("the 1904 date system")
    func date1904() throws {
        let rows = try Self.items("openpyxl-1904.xlsx").items
        #expect(rows.first.map { item -> String? in
            if case .row(let row, _) = item { return row.textValue }
            return nil
        } == "2024-03-01")
    }

    @Test("problems are located by sheet row and column, with the cell's name")
    func problems() throws {
        var input = try LabelInput(path: Self.directory + "openpyxl-problems.xlsx", displayName: "bad.xlsx", options: LabelInputOptions())
        var lines: [String] = []
        _ = InputValidator.run(&input) { lines.append($0.description) }
        #expect(lines == [
            "bad.xlsx:2:3: cell C2: object_value.n: \"twelve\" is not a number (e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators; --decimal-comma reads 0,75)",
            "bad.xlsx:2:4: cell D2: object_value_is_partial \"maybe\" is not a boolean: write true or false (or leave the cell empty)",
            "bad.xlsx:3:3: cell C3 (column \"object_value.n:number\") holds a formula with no computed value (the file was not saved by a program that calculates "
                + "formulas): open and save it in Excel or LibreOffice, or type the value",
        ])
    }

    @Test("a chart sheet is no table: --sheet naming it says so and lists the sheets with cells; by default the table is read")
    func chartSheet() throws {
        let (chart, _) = try Self.items("openpyxl-chartsheet.xlsx", options: LabelInputOptions(sheet: "Chart1"))
        guard case .invalid(0, let problems, nil)? = chart.first else {
            Issue.record("\(chart)")
            return
        }
        #expect(problems.map(\.description) == [
            #"openpyxl-chartsheet.xlsx: the sheet "Chart1" is a chart (or dialog) sheet, which holds no table; the workbook's sheets with cells: "labels""#,
        ])
        let (table, _) = try Self.items("openpyxl-chartsheet.xlsx", options: LabelInputOptions(runID: Self.run))
        #expect(XlsxSheetLayoutTests.rows(table).map(\.outputResourceName) == ["doc-1"], "\(table)")
    }

    @Test("a workbook is recognised by its bytes whatever its name")
    func sniffedByBytes() throws {
        let bytes = try FileText.readBytes(Self.directory + "openpyxl-1904.xlsx")
        let items = InputFixtures.items(bytes: bytes, name: "labels.csv")
        #expect(items.count == 1)
        if case .row(let row, _)? = items.first { #expect(row.outputResourceName == "doc-1904") } else { Issue.record("\(items)") }
    }

    @Test("xls, ods and plain zip files are refused with advice", arguments: [
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100), "Excel 97-2003"),
        (try! ZipFixture.make(["mimetype": "application/vnd.oasis.opendocument.spreadsheet"]), "OpenDocument spreadsheet (.ods)"),
        (try! ZipFixture.make(["Index/Document.iwa": "x"]), "Apple Numbers"),
        (try! ZipFixture.make(["data.csv": "a,b"]), "a zip file, not a spreadsheet"),
    ] as [([UInt8], String)])
    func refused(bytes: [UInt8], words: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("labels.csv", bytes: bytes)
        #expect(throws: InputError.self) { _ = try LabelInput(path: path, displayName: "in.csv", options: LabelInputOptions()) }
        do {
            _ = try LabelInput(path: path, displayName: "in.csv", options: LabelInputOptions())
        } catch {
            #expect(error.description.hasPrefix("in.csv: this is "))
            #expect(error.description.contains(words), "\(error)")
        }
    }

    @Test("with --format xlsx too, an .xls or password-protected workbook (an OLE file) is refused with advice")
    func refusedWithFormat() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("locked.xlsx", bytes: WorkbookSniffer.oleMagic + [UInt8](repeating: 0, count: 100))
        #expect(throws: InputError(path: "locked.xlsx", message: "this is " + WorkbookSniffer.xlsAdvice)) {
            _ = try LabelInput(path: path, displayName: "locked.xlsx", options: LabelInputOptions(format: .xlsx))
        }
    }

    @Test("a damaged workbook is FILE: message")
    func damaged() throws {
        var bytes = try FileText.readBytes(Self.directory + "openpyxl-typed.xlsx")
        bytes.removeLast(bytes.count / 3)
        let items = InputFixtures.items(bytes: bytes, name: "cut.xlsx", options: LabelInputOptions(format: .xlsx))
        guard case .invalid(0, let diagnostics, nil)? = items.first, let first = diagnostics.first else {
            Issue.record("\(items)")
            return
        }
        #expect(first.line == nil)
        #expect(first.description.hasPrefix("cut.xlsx: cannot read the workbook: "), "\(first)")
    }

    @Test("zip64 (a workbook over 4 GB or 65,535 parts, a part over 4 GB) is refused in words", arguments: ["directory", "part"])
    func zip64Refused(kind: String) throws {
        var bytes = try FileText.readBytes(Self.directory + "openpyxl-1904.xlsx")
        let signature: [UInt8] = kind == "directory" ? [0x50, 0x4B, 0x05, 0x06] : [0x50, 0x4B, 0x01, 0x02]
        let at = try #require((0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == signature })
        // As a zip64 writer leaves them: the entry counts, or a part's size, 0xFF….
        let field = kind == "directory" ? (at + 8)..<(at + 12) : (at + 24)..<(at + 28)
        bytes.replaceSubrange(field, with: [UInt8](repeating: 0xFF, count: 4))
        let items = InputFixtures.items(bytes: bytes, name: "big.xlsx", options: LabelInputOptions(format: .xlsx))
        guard case .invalid(0, let diagnostics, nil)? = items.first, let first = diagnostics.first else {
            Issue.record("\(items)")
            return
        }
        let expected = kind == "directory"
            ? "big.xlsx: cannot read the workbook: the workbook is a zip64 archive (over 4 GB or 65,535 parts), which labelport does not read: save the sheet as CSV UTF-8"
            : "big.xlsx: cannot read the workbook: the workbook's part docProps/app.xml is stored as zip64 (4 GB or more), which labelport does not read: save the sheet as CSV UTF-8"
        #expect(first.description == expected)
    }

    @Test("cell text: numbers in their shortest spelling, dates, escapes")
    func cellText() {
        #expect(XlsxCellText.shortest(42) == "42")
        #expect(XlsxCellText.shortest(0.1) == "0.1")
        #expect(XlsxCellText.shortest(-0.0) == "0")
        #expect(XlsxCellText.shortest(1e20) == "1e+20")
        #expect(XlsxCellText.shortest(1.5e-7) == "1.5e-07")
        #expect(XlsxCellText.date(serial: 1, date1904: false) == "1900-01-01")
        #expect(XlsxCellText.date(serial: 61, date1904: false) == "1900-03-01")
        #expect(XlsxCellText.date(serial: 45352.5, date1904: false) == "2024-03-01T12:00:00")
        #expect(XlsxCellText.date(serial: 45352, date1904: false, withTime: true) == "2024-03-01T00:00:00", "midnight in a date-time format")
        let lastTick = 45352 + (86_400_000 - 0.1) / 86_400_000
        #expect(XlsxCellText.date(serial: lastTick, date1904: false, withTime: true) == "2024-03-02T00:00:00", "rounded to the millisecond")
        #expect(XlsxCellText.date(serial: 0, date1904: true) == "1904-01-01")
        #expect(XlsxCellText.columnLetters(0) == "A")
        #expect(XlsxCellText.columnLetters(27) == "AB")
        #expect(XMLText.decode(Array("a_x000D_b_x005F_x0041_&amp;&#x1F600;_xD83D__xDE00_".utf8)[...], entities: true, escapes: true)
            == "a\rb_x0041_&😀😀")
        var escaped: [UInt8] = []
        XMLText.appendEscaped("a\rb_x0041_<\u{0}", into: &escaped)
        #expect(String(decoding: escaped, as: UTF8.self) == "a_x000D_b_x005F_x0041_&lt;_x0000_")
    }
}

/// Small zip files for the sniffer's tests.
enum ZipFixture {
    static func make(_ entries: [String: String]) throws -> [UInt8] {
        var zip = ZipWriter()
        var out: [UInt8] = []
        for (name, text) in entries.sorted(by: { $0.key < $1.key }) { out += try zip.add(name, Array(text.utf8)) }
        return try out + zip.finish()
    }
}
