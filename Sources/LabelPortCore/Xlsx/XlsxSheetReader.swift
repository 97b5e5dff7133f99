/// One row of a sheet: its number in the sheet and its non-empty cells, as text.
struct XlsxRow: Sendable, Equatable {
    struct Cell: Sendable, Equatable {
        /// 0-based column (A is 0).
        var column: Int
        var text: String
        /// Why the cell cannot be used, following `cell C7 `: an error value such as
        /// `#DIV/0!` (then `text` is that value), a formula never calculated (`text` is
        /// `=` and the formula). The text is kept for a rejects file.
        var problem: String? = nil
    }

    /// 1-based row number in the sheet.
    var number: Int
    var cells: [Cell]
}

/// Reads a worksheet's `<sheetData>` row by row from its XML stream. Each cell becomes
/// text as the contract reads it: shared and inline strings (rich text joined), numbers
/// in their shortest decimal spelling, booleans `true`/`false`, dates and times of day
/// as ISO 8601, elapsed times as `30:00:00`, and a formula's cached value. Rows and
/// cells may be sparse and may omit their `r`.
struct XlsxSheetReader {
    private var scanner: XMLScanner
    private let sharedStrings: [String]
    private let styles: [XlsxStyles.Kind]
    private let date1904: Bool
    private var lastRow = 0
    private var done = false

    init(scanner: XMLScanner, sharedStrings: [String], styles: [XlsxStyles.Kind], date1904: Bool) {
        self.scanner = scanner
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.date1904 = date1904
    }

    private enum CellType { case number, sharedString, inlineString, formulaString, boolean, error, date, dateTime, time, duration }

    /// The next row (empty rows included when the sheet lists them), nil at the end.
    mutating func next() throws(ZipError) -> XlsxRow? {
        guard !done else { return nil }
        while true {
            let token = try scanner.next()
            if token == .eof {
                done = true
                return nil
            }
            if token == .end, scanner.isNamed("sheetData") {
                done = true
                return nil
            }
            guard token == .start, scanner.isNamed("row") else { continue }
            let number = scanner.attribute("r").flatMap { scanner.integer($0) } ?? lastRow + 1
            lastRow = number
            if scanner.selfClosing { return XlsxRow(number: number, cells: []) }
            return XlsxRow(number: number, cells: try readCells(row: number))
        }
    }

    private mutating func readCells(row: Int) throws(ZipError) -> [XlsxRow.Cell] {
        var cells: [XlsxRow.Cell] = []
        var column = -1
        while true {
            let token = try scanner.next()
            if token == .eof { throw ZipError("\(sheetPart) ends inside row \(row)") }
            if token == .end, scanner.isNamed("row") { return cells }
            guard token == .start, scanner.isNamed("c") else { continue }
            if let reference = scanner.attribute("r"), let parsed = Self.column(of: scanner.buffer[reference]) {
                column = parsed
            } else {
                column += 1
            }
            var type = CellType.number
            if let t = scanner.attribute("t") {
                if scanner.bytes(t, equal: "s") {
                    type = .sharedString
                } else if scanner.bytes(t, equal: "inlineStr") {
                    type = .inlineString
                } else if scanner.bytes(t, equal: "str") {
                    type = .formulaString
                } else if scanner.bytes(t, equal: "b") {
                    type = .boolean
                } else if scanner.bytes(t, equal: "e") {
                    type = .error
                } else if scanner.bytes(t, equal: "d") {
                    type = .date
                }
            }
            // A number, or an ISO date (t="d"), is shown by the cell's number format.
            if type == .number || type == .date, let s = scanner.attribute("s"), let style = scanner.integer(s), style < styles.count {
                switch styles[style] {
                case .dateTime: type = .dateTime
                case .number: break
                case .date: type = .date
                case .time: if type == .number { type = .time }
                case .duration: if type == .number { type = .duration }
                }
            }
            if scanner.selfClosing { continue }
            if let cell = try readCell(type: type, column: column, row: row) { cells.append(cell) }
        }
    }

    private var sheetPart: String { "the sheet" }

    /// Reads up to `</c>`: the `<v>` value, or the `<is>` text; a formula without a value
    /// (never calculated: openpyxl and other libraries write formulas so) is a problem.
    private mutating func readCell(type: CellType, column: Int, row: Int) throws(ZipError) -> XlsxRow.Cell? {
        var value: String?
        var inline = ""
        var sawInline = false
        var inValue = false
        var inText = false
        var formula: String?
        var inFormula = false
        var phonetic = 0
        var sharedIndex: Int?
        while true {
            let token = try scanner.next()
            switch token {
            case .eof:
                throw ZipError("\(sheetPart) ends inside cell \(XlsxCellText.cellName(column: column, row: row))")
            case .start:
                if scanner.isNamed("f") {
                    formula = formula ?? ""
                    inFormula = !scanner.selfClosing
                }
                if scanner.selfClosing { continue }
                if scanner.isNamed("v") {
                    inValue = true
                    value = value ?? ""
                } else if scanner.isNamed("t") {
                    inText = phonetic == 0
                    sawInline = true
                } else if scanner.isNamed("rPh") {
                    phonetic += 1
                }
            case .end:
                if scanner.isNamed("c") {
                    if let formula, !sawInline, value == nil || (value!.isEmpty && type != .formulaString) {
                        return XlsxRow.Cell(
                            column: column, text: formula.isEmpty ? "" : "=" + formula,
                            problem: "holds a formula with no computed value (the file was not saved by a program that "
                                + "calculates formulas): open and save it in Excel or LibreOffice, or type the value")
                    }
                    if let sharedIndex, sharedIndex < sharedStrings.count {
                        let text = sharedStrings[sharedIndex]
                        return text.isEmpty ? nil : XlsxRow.Cell(column: column, text: text)
                    }
                    return try makeCell(type: type, value: value, inline: sawInline ? inline : nil, column: column, row: row)
                } else if scanner.isNamed("f") {
                    inFormula = false
                } else if scanner.isNamed("v") {
                    inValue = false
                } else if scanner.isNamed("t") {
                    inText = false
                } else if scanner.isNamed("rPh") {
                    phonetic -= 1
                }
            case .text:
                if inValue, type == .sharedString, value!.isEmpty, let index = scanner.integer(scanner.body) {
                    value = String(index)
                    sharedIndex = index
                } else if inValue {
                    value! += scanner.string(scanner.body, escapes: type == .formulaString || type == .inlineString)
                } else if inText {
                    inline += scanner.string(scanner.body, escapes: true)
                } else if inFormula {
                    formula! += scanner.string(scanner.body)
                }
            }
        }
    }

    private func makeCell(type: CellType, value: String?, inline: String?, column: Int, row: Int) throws(ZipError) -> XlsxRow.Cell? {
        let name = { XlsxCellText.cellName(column: column, row: row) }
        func bad(_ what: String) -> ZipError { ZipError("cell \(name()) holds \(what)") }
        switch type {
        case .inlineString:
            guard let text = inline ?? value, !text.isEmpty else { return nil }
            return XlsxRow.Cell(column: column, text: text)
        case .sharedString:
            guard let value, !value.isEmpty else { return nil }
            guard let index = Int(value), index >= 0, index < sharedStrings.count else {
                throw bad("a shared string \(value) that the workbook does not have")
            }
            let text = sharedStrings[index]
            return text.isEmpty ? nil : XlsxRow.Cell(column: column, text: text)
        case .formulaString:
            guard let value, !value.isEmpty else { return nil }
            return XlsxRow.Cell(column: column, text: value)
        case .boolean:
            guard let value, !value.isEmpty else { return nil }
            return XlsxRow.Cell(column: column, text: value == "1" || value.lowercased() == "true" ? "true" : "false")
        case .error:
            guard let value, !value.isEmpty else { return nil }
            return XlsxRow.Cell(
                column: column, text: value, problem: "holds the error \(value): correct the formula, or type the value")
        case .date, .dateTime:
            guard let value, !value.isEmpty else { return nil }
            let withTime = type == .dateTime
            if let serial = Double(value) {
                return XlsxRow.Cell(column: column, text: XlsxCellText.date(serial: serial, date1904: date1904, withTime: withTime))
            }
            return XlsxRow.Cell(column: column, text: XlsxCellText.isoDate(value, withTime: withTime))  // t="d": ISO 8601
        case .time, .duration:
            guard let value, !value.isEmpty else { return nil }
            guard let serial = Double(value), serial.isFinite else { throw bad("a time that cannot be read: \(value)") }
            let text = type == .time ? XlsxCellText.time(serial: serial) : XlsxCellText.duration(serial: serial)
            return XlsxRow.Cell(column: column, text: text)
        case .number:
            if let inline, !inline.isEmpty { return XlsxRow.Cell(column: column, text: inline) }
            guard let value, !value.isEmpty else { return nil }
            guard let number = Double(value), number.isFinite else { throw bad("a number that cannot be read: \(value)") }
            return XlsxRow.Cell(column: column, text: XlsxCellText.shortest(number))
        }
    }

    /// The 0-based column of a cell reference such as `C7` (nil when it has no letters).
    static func column(of reference: ArraySlice<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            let upper = byte & 0xDF
            guard upper >= 0x41, upper <= 0x5A, byte >= 0x41 else { break }
            column = column * 26 + Int(upper - 0x40)
            letters += 1
            guard letters <= 3 else { return nil }
        }
        return letters == 0 ? nil : column - 1
    }
}
