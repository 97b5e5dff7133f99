/// The rows of one sheet of an .xlsx workbook as the CSV mapper takes them: the first
/// non-empty row is the header, every later row a ``CSVRow`` whose cell `i` is the text of
/// sheet column `i + 1` (located by sheet row and column). Empty rows are skipped and
/// counted; error values and formulas never calculated are row problems (their text is
/// kept in the row, for a rejects file). Values in columns without a header are the
/// mapper's problems, as in a CSV.
struct XlsxRowSource {
    let file: String
    private var reader: XlsxSheetReader?
    private var failure: Diagnostic?
    private var width: Int?
    /// The header row's texts, by sheet column (for naming a bad cell's column).
    private var header: [String] = []
    /// Rows with no value that were skipped (after the header).
    private(set) var emptyRows = 0
    /// A warning about the sheet read, for the input's warnings (once).
    private(set) var notice: Diagnostic?
    /// Which sheet is read, when the workbook has more than one.
    private(set) var sheetNote: String?
    /// The name of the sheet read (a rejects workbook names its sheet so).
    private(set) var sheetName: String?

    init(workbook: () throws(ZipError) -> XlsxWorkbook, sheet: String?, file: String) {
        self.file = file
        do {
            let book = try workbook()
            guard let chosen = book.sheet(named: sheet) else {
                let names = book.sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
                let what = book.otherSheets.contains(sheet ?? "")
                    ? "the sheet \"\(sheet ?? "")\" is a chart (or dialog) sheet, which holds no table; the workbook's sheets with cells: "
                    : "the workbook has no sheet named \"\(sheet ?? "")\"; its sheets: "
                failure = Diagnostic(file: file, line: nil, message: what + names)
                return
            }
            reader = try book.rows(of: chosen)
            sheetName = chosen.name
            if sheet == nil, chosen.hidden { notice = Self.hiddenNotice(chosen, of: book, file: file) }
            if book.sheets.count > 1 {
                let names = book.sheets.map { TerminalText.quoted($0.name) }.joined(separator: ", ")
                sheetNote = "sheet \(TerminalText.quoted(chosen.name)) of \(book.sheets.count): \(names)" + (sheet == nil ? "; --sheet NAME reads another" : "")
            }
        } catch {
            failure = Diagnostic(file: file, line: nil, message: Self.message(error))
        }
    }

    /// The first sheet is read by default even when hidden (the contract's default); its
    /// tab is not shown, so the reader is told, with the sheets they can see.
    private static func hiddenNotice(_ sheet: XlsxWorkbook.Sheet, of book: XlsxWorkbook, file: String) -> Diagnostic {
        let visible = book.sheets.filter { !$0.hidden }.map { "\"\($0.name)\"" }
        let others = visible.isEmpty
            ? "the workbook has no visible sheet"
            : "the visible sheet\(visible.count == 1 ? " is" : "s are") " + visible.joined(separator: ", ")
        return Diagnostic(
            file: file, line: nil, severity: .warning,
            message: "reading the first sheet, \"\(sheet.name)\", which is hidden; \(others): choose one with --sheet NAME")
    }

    /// Takes the warning about the sheet read, if any (once).
    mutating func takeNotice() -> Diagnostic? {
        defer { notice = nil }
        return notice
    }

    static func message(_ error: ZipError) -> String {
        "cannot read the workbook: \(error.description)"
    }

    /// The next row (the header first), or a problem that ends reading; nil at the end.
    mutating func next() -> CSVReader.Event? {
        if let failure {
            self.failure = nil
            reader = nil
            return .fatal(failure)
        }
        guard reader != nil else { return nil }
        while true {
            let row: XlsxRow?
            do {
                row = try reader!.next()
            } catch {
                reader = nil
                return .fatal(Diagnostic(file: file, line: nil, message: Self.message(error)))
            }
            guard let row else {
                reader = nil
                return nil
            }
            guard !row.cells.isEmpty else {
                if width != nil { emptyRows += 1 }
                continue
            }
            return .row(makeRow(row))
        }
    }

    private mutating func makeRow(_ row: XlsxRow) -> CSVRow {
        var problems: [Diagnostic] = []
        let used = (row.cells.map(\.column).max() ?? -1) + 1
        let isHeader = width == nil
        if isHeader { width = used }
        // Cells right of the header's last are kept: the mapper refuses values without a header.
        var fields = [String](repeating: "", count: max(width!, used))
        for cell in row.cells {
            if let problem = cell.problem {
                let column = isHeader || cell.column >= header.count || header[cell.column].isEmpty
                    ? "" : " (column \(TerminalText.quoted(header[cell.column])))"
                problems.append(Diagnostic(
                    file: file, line: row.number, column: cell.column + 1,
                    message: "cell \(XlsxCellText.cellName(column: cell.column, row: row.number))\(column) " + problem))
            }
            fields[cell.column] = cell.text
        }
        if isHeader { header = fields }
        return CSVRow(line: row.number, cells: CSVCells(fields), problems: problems, inSheet: true)
    }

    /// `cell C7: message` for a problem the mapper located at a cell (once).
    static func naming(_ diagnostic: Diagnostic) -> Diagnostic {
        guard let line = diagnostic.line, let column = diagnostic.column, !diagnostic.message.hasPrefix("cell ") else { return diagnostic }
        var named = diagnostic
        named.message = "cell \(XlsxCellText.cellName(column: column - 1, row: line)): " + diagnostic.message
        return named
    }
}
