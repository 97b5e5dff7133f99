/// The rows of one sheet of an .xlsx workbook as the CSV mapper takes them: the first
/// non-empty row is the header, every later row a ``CSVRow`` whose cell `i` is the text of
/// sheet column `i + 1` (located by sheet row and column). Empty rows are skipped and
/// counted; error values and values in columns without a header are row problems.
struct XlsxRowSource {
    let file: String
    private var reader: XlsxSheetReader?
    private var failure: Diagnostic?
    private var width: Int?
    /// Rows with no value that were skipped (after the header).
    private(set) var emptyRows = 0

    init(workbook: () throws(ZipError) -> XlsxWorkbook, sheet: String?, file: String) {
        self.file = file
        do {
            let book = try workbook()
            guard let chosen = book.sheet(named: sheet) else {
                let names = book.sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
                failure = Diagnostic(file: file, line: nil, message: "the workbook has no sheet named \"\(sheet ?? "")\"; its sheets: \(names)")
                return
            }
            reader = try book.rows(of: chosen)
        } catch {
            failure = Diagnostic(file: file, line: nil, message: Self.message(error))
        }
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
        let count = width ?? ((row.cells.map(\.column).max() ?? -1) + 1)
        if width == nil { width = count }
        var fields = [String](repeating: "", count: count)
        for cell in row.cells {
            let name = XlsxCellText.cellName(column: cell.column, row: row.number)
            if cell.column >= count {
                problems.append(Diagnostic(
                    file: file, line: row.number, column: cell.column + 1,
                    message: "cell \(name) has a value but its column has no header: name the column, or clear the cell"))
            } else if cell.isError {
                problems.append(Diagnostic(
                    file: file, line: row.number, column: cell.column + 1,
                    message: "cell \(name) holds the error \(cell.text): correct the formula, or type the value"))
            } else {
                fields[cell.column] = cell.text
            }
        }
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
