/// One CSV row as read: its cells, the physical line it starts on, which cells were
/// quoted (for locating problems) and the problems found while reading it.
struct CSVRow: Sendable, Equatable {
    var line: Int
    var cells: CSVCells
    var problems: [Diagnostic]
    /// A spreadsheet row: `line` is the sheet's row and cell `i` is in sheet column `i + 1`.
    var inSheet = false

    /// Each cell as text (tests, headers and other cold paths).
    var fields: [String] { cells.fields }

    /// The line and column of byte `offset` of cell `cell` (its start when nil).
    func locate(cell: Int, offset: Int? = nil) -> (line: Int, column: Int) {
        if inSheet { return (line, cell + 1) }
        let located = cells.located
        return CSVLocator.locate(rowLine: line, cells: located.cells, quoted: located.quoted, cell: cell, offset: offset)
    }
}
